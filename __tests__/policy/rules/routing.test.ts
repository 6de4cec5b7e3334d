import { AcmCertificate } from '@cdktf/provider-aws/lib/acm-certificate';
import { CognitoUserPoolClient } from '@cdktf/provider-aws/lib/cognito-user-pool-client';
import { Lb } from '@cdktf/provider-aws/lib/lb';
import { LbListener, type LbListenerDefaultAction } from '@cdktf/provider-aws/lib/lb-listener';
import { LbListenerRule, type LbListenerRuleCondition } from '@cdktf/provider-aws/lib/lb-listener-rule';
import type { TerraformStack } from 'cdktf';
import { callbackUrl } from '../../../modules/config/patterns';
import { configWith } from '../../helpers';
import { findingsOf, labStack, ruleTests, type FailCase, type PassCase } from '../helpers';

const SIGN_IN: LbListenerDefaultAction = {
  type: 'authenticate-oidc',
  order: 1,
  authenticateOidc: {
    authorizationEndpoint: 'https://login/authorize',
    clientId: 'id',
    clientSecret: 'secret',
    issuer: 'https://issuer',
    tokenEndpoint: 'https://login/token',
    userInfoEndpoint: 'https://login/userinfo',
  },
};
const FORWARD: LbListenerDefaultAction = { type: 'forward', order: 2, targetGroupArn: 'arn:targets' };
// Authenticates when there is a session, and lets everyone else through: signs nobody in.
const ALLOW: LbListenerDefaultAction = {
  ...SIGN_IN,
  authenticateOidc: { ...SIGN_IN.authenticateOidc!, onUnauthenticatedRequest: 'allow' },
};
const TO_HTTPS: LbListenerDefaultAction = { type: 'redirect', redirect: { protocol: 'HTTPS', port: '443', statusCode: 'HTTP_301' } };
const ECHO = 'echo.dev.example.com';
const GRAFANA = 'grafana.dev.example.com';
const NO_SIGN_IN = 'without signing in, but it is neither in its publicPaths nor the sign-out path';

/** A user pool client of `stack` with these callback URLs. */
function client(stack: TerraformStack, id: string, callbackUrls?: string[]): CognitoUserPoolClient {
  return new CognitoUserPoolClient(stack, id, { name: id, userPoolId: 'pool-id', callbackUrls });
}

describe('routing rules: callback URLs, host coverage, where authentication happens', () => {
  // GIVEN the example config (echo and grafana protected, status public) and a plain stack with an
  // ALB whose listeners and rules sign in, or not, on each kind of listener and host
  const config = configWith();
  const stack = labStack();
  const alb = new Lb(stack, 'alb', { internal: true });
  const listener = (id: string, protocol: string, actions: LbListenerDefaultAction[]): LbListener =>
    new LbListener(stack, id, { loadBalancerArn: alb.arn, port: 443, protocol, certificateArn: 'arn:cert', defaultAction: actions });
  const https = listener('https', 'HTTPS', [SIGN_IN, FORWARD]);
  listener('https-open', 'HTTPS', [FORWARD]);
  listener('https-allow', 'HTTPS', [ALLOW, FORWARD]);
  const http = listener('http', 'HTTP', [TO_HTTPS]);
  listener('http-sign-in', 'HTTP', [{ ...SIGN_IN, type: 'authenticate-cognito', authenticateOidc: undefined }]);
  let priority = 0;
  const rule = (id: string, on: LbListener, condition: LbListenerRuleCondition[], action: LbListenerDefaultAction[]): void => {
    new LbListenerRule(stack, id, { listenerArn: on.arn, priority: ++priority, condition, action });
  };
  const host = (...values: string[]): LbListenerRuleCondition => ({ hostHeader: { values } });
  const path = (...values: string[]): LbListenerRuleCondition => ({ pathPattern: { values } });
  rule('http-rule-sign-in', http, [path('/login')], [SIGN_IN, FORWARD]);
  rule('admin-bypass', https, [host(ECHO), path('/admin/*')], [FORWARD]);
  rule('echo-open', https, [host(ECHO)], [FORWARD]);
  rule('wildcard-host', https, [host('*.dev.example.com'), path('/debug')], [FORWARD]);
  rule('grafana-health', https, [host(GRAFANA), path('/api/health')], [FORWARD]);
  rule('signout', https, [path('/_auth/signout')], [FORWARD]);
  rule('signout-allow', https, [path('/_auth/signout')], [ALLOW, FORWARD]);
  rule('admin-allow', https, [host(ECHO), path('/admin/*')], [ALLOW, FORWARD]);
  rule('status', https, [host('status.dev.example.com')], [FORWARD]);
  rule('signed-in', https, [host(ECHO), path('/admin/*')], [SIGN_IN, FORWARD]);
  client(stack, 'alb-client', [callbackUrl(ECHO), callbackUrl(GRAFANA)]);
  client(stack, 'http-callback', ['http://status.dev.example.com/oauth2/idpresponse']);
  client(stack, 'public-callback', [callbackUrl('status.dev.example.com')]);
  client(stack, 'expression-callbacks').addOverride('callback_urls', '${var.callback_urls}');
  client(stack, 'no-callbacks');
  new AcmCertificate(stack, 'wildcard', { domainName: '*.dev.example.com', validationMethod: 'DNS' });
  // AND a second stack whose certificate covers no protected host and whose client lacks grafana's callback
  const uncovered = labStack('uncovered');
  new AcmCertificate(uncovered, 'other', { domainName: '*.other.example.com', validationMethod: 'DNS' });
  client(uncovered, 'client', [callbackUrl(ECHO)]);
  // WHEN the policy runs on each stack with the config, and without one
  const found = [...findingsOf(stack, { config }), ...findingsOf(uncovered, { config })];
  const withoutConfig = [...findingsOf(stack), ...findingsOf(uncovered)];

  const fails: FailCase[] = [
    [
      'COGNITO_CALLBACK_URLS',
      'a callback URL is plain HTTP',
      'lab/http-callback',
      'callback_urls has "http://status.dev.example.com/oauth2/idpresponse", must be https://<protected host>/oauth2/idpresponse',
    ],
    [
      'COGNITO_CALLBACK_URLS',
      'a callback URL is on a public host',
      'lab/public-callback',
      'callback_urls has "https://status.dev.example.com/oauth2/idpresponse", but status.dev.example.com is not a protected host in the config',
    ],
    [
      'COGNITO_CALLBACK_URLS',
      'the callback URLs are an expression',
      'lab/expression-callbacks',
      'callback_urls is "${var.callback_urls}" (an expression), must be a literal list',
    ],
    [
      'PROTECTED_HOST_COVERAGE',
      'no certificate covers echo',
      'uncovered',
      `protected host "${ECHO}" is covered by no aws_acm_certificate (domain_name or subject_alternative_names)`,
    ],
    [
      'PROTECTED_HOST_COVERAGE',
      'grafana has no callback URL',
      'uncovered/client',
      `protected host "${GRAFANA}" has no callback URL "https://${GRAFANA}/oauth2/idpresponse" on any app client`,
    ],
    [
      'AUTH_ACTION_HTTPS_ONLY',
      'authenticate-cognito is the default action of a plain-HTTP listener',
      'lab/http-sign-in',
      'default_action[0].type is "authenticate-cognito" on a "HTTP" listener, must be on an HTTPS listener',
    ],
    [
      'AUTH_ACTION_HTTPS_ONLY',
      'authenticate-oidc sits on a plain-HTTP listener rule',
      'lab/http-rule-sign-in',
      'action[0].type is "authenticate-oidc" on a "HTTP" listener, must be on an HTTPS listener',
    ],
    [
      'PROTECTED_HOST_AUTH',
      'the HTTPS listener forwards unmatched requests without signing in',
      'lab/https-open',
      'default_action[0].type is "forward", must be an authenticate action: requests no rule matches reach protected hosts',
    ],
    [
      'PROTECTED_HOST_AUTH',
      'the HTTPS listener authenticates with allow, letting unmatched requests through',
      'lab/https-allow',
      'default_action[0] is "authenticate-oidc" with on_unauthenticated_request "allow", must sign in: requests no rule matches reach protected hosts',
    ],
    [
      'PROTECTED_HOST_AUTH',
      'an HTTPS rule forwards a protected path without signing in',
      'lab/admin-bypass',
      `forwards "/admin/*" on protected host ${ECHO} ${NO_SIGN_IN}`,
    ],
    [
      'PROTECTED_HOST_AUTH',
      'an HTTPS rule authenticates with allow before a protected path, which signs nobody in',
      'lab/admin-allow',
      `forwards "/admin/*" on protected host ${ECHO} ${NO_SIGN_IN}`,
    ],
    [
      'PROTECTED_HOST_AUTH',
      'an HTTPS rule forwards a whole protected host',
      'lab/echo-open',
      `forwards every path of protected host ${ECHO} without signing in`,
    ],
    [
      'PROTECTED_HOST_AUTH',
      'a wildcard host condition matches a protected host',
      'lab/wildcard-host',
      `forwards "/debug" on protected host ${GRAFANA} ${NO_SIGN_IN}`,
    ],
  ];
  const passes: PassCase[] = [
    ['COGNITO_CALLBACK_URLS', 'every callback URL is a protected host', 'lab/alb-client'],
    ['COGNITO_CALLBACK_URLS', 'the client has no callback URLs', 'lab/no-callbacks'],
    ['PROTECTED_HOST_COVERAGE', 'a wildcard certificate covers every protected host', 'lab'],
    ['PROTECTED_HOST_COVERAGE', 'the clients have every protected callback URL', 'lab/alb-client'],
    ['AUTH_ACTION_HTTPS_ONLY', 'the HTTPS listener signs in', 'lab/https'],
    ['AUTH_ACTION_HTTPS_ONLY', 'a rule on the HTTPS listener signs in', 'lab/signed-in'],
    ['PROTECTED_HOST_AUTH', 'the HTTPS listener signs in before forwarding', 'lab/https'],
    ['PROTECTED_HOST_AUTH', 'a rule signs in before forwarding', 'lab/signed-in'],
    ['PROTECTED_HOST_AUTH', "a rule forwards a protected host's publicPaths", 'lab/grafana-health'],
    ['PROTECTED_HOST_AUTH', 'a rule forwards the sign-out path on every host', 'lab/signout'],
    ['PROTECTED_HOST_AUTH', 'a rule authenticates with allow on the sign-out path', 'lab/signout-allow'],
    ['PROTECTED_HOST_AUTH', 'a rule forwards a public host', 'lab/status'],
  ];
  ruleTests(stack, found, fails, passes);

  test('rules that need the config skip without one: no coverage, no host check on callbacks, no auth check', () => {
    // THEN only the callback URL's shape is checked
    expect(withoutConfig.filter(([rule]) => ['PROTECTED_HOST_COVERAGE', 'PROTECTED_HOST_AUTH'].includes(rule))).toEqual([]);
    expect(withoutConfig.filter(([rule]) => rule === 'COGNITO_CALLBACK_URLS').map(([, path]) => path)).toEqual([
      'lab/expression-callbacks',
      'lab/http-callback',
    ]);
  });
});
