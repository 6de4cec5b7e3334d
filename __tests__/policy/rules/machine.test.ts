import { CognitoResourceServer } from '@cdktf/provider-aws/lib/cognito-resource-server';
import { CognitoUserPoolClient } from '@cdktf/provider-aws/lib/cognito-user-pool-client';
import { Lb } from '@cdktf/provider-aws/lib/lb';
import { LbListener } from '@cdktf/provider-aws/lib/lb-listener';
import { LbListenerRule } from '@cdktf/provider-aws/lib/lb-listener-rule';
import { findingsOf, labStack, ruleTests, type FailCase, type PassCase } from '../helpers';

describe('machine access rules: machine clients, their scopes, and the bearer-token rules', () => {
  // GIVEN a resource server with three scopes, bearer rules demanding {read} and {read, write},
  // and machine clients that can or cannot satisfy them
  const stack = labStack();
  const server = new CognitoResourceServer(stack, 'server', {
    userPoolId: 'pool',
    identifier: 'dev-central-auth',
    name: 'apis',
    scope: ['read', 'write', 'admin'].map((s) => ({ scopeName: s, scopeDescription: s })),
  });
  const alb = new Lb(stack, 'alb', { internal: false });
  const https = new LbListener(stack, 'https', {
    loadBalancerArn: alb.arn,
    port: 443,
    protocol: 'HTTPS',
    certificateArn: 'arn:cert',
    defaultAction: [{ type: 'fixed-response', fixedResponse: { contentType: 'text/plain', statusCode: '401' } }],
  });
  let priority = 0;
  const bearerRule = (id: string, host: string, scopes: string[]) =>
    new LbListenerRule(stack, id, {
      listenerArn: https.arn,
      priority: ++priority,
      condition: [{ hostHeader: { values: [host] } }, { httpHeader: { httpHeaderName: 'Authorization', values: ['Bearer *'] } }],
      action: [
        {
          type: 'jwt-validation',
          order: 1,
          jwtValidation: {
            issuer: 'https://issuer',
            jwksEndpoint: 'https://issuer/jwks',
            additionalClaim: [{ name: 'scope', format: 'space-separated-values', values: scopes.map((s) => `dev-central-auth/${s}`) }],
          },
        },
        { type: 'forward', order: 2, targetGroupArn: 'arn:targets' },
      ],
    });
  bearerRule('reports-rule', 'reports.dev.example.com', ['read']);
  bearerRule('deploy-rule', 'deploy.dev.example.com', ['read', 'write']);
  bearerRule('admin-rule', 'admin.dev.example.com', ['admin']);
  const machine = (id: string, scopes: string[], extra: Record<string, unknown> = {}) =>
    new CognitoUserPoolClient(stack, id, {
      name: id,
      userPoolId: 'pool',
      generateSecret: true,
      allowedOauthFlowsUserPoolClient: true,
      allowedOauthFlows: ['client_credentials'],
      allowedOauthScopes: scopes.map((s) => `${server.identifier}/${s}`),
      explicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
      ...extra,
    });
  machine('reader', ['read']);
  machine('deployer', ['read', 'write']);
  machine('writer-only', ['write']);
  machine('with-callback', ['read'], { callbackUrls: ['https://evil.example/cb'] });
  machine('with-user-flow', ['read'], { explicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'] });
  new CognitoUserPoolClient(stack, 'foreign-scope', {
    name: 'foreign-scope',
    userPoolId: 'pool',
    allowedOauthFlows: ['client_credentials'],
    allowedOauthScopes: ['openid', 'other-server/read'],
    explicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
  });
  new CognitoUserPoolClient(stack, 'browser', { name: 'browser', userPoolId: 'pool', allowedOauthFlows: ['code'] });
  // WHEN the policy runs
  const found = findingsOf(stack);

  const fails: FailCase[] = [
    [
      'MACHINE_CLIENT_SCOPES',
      'a machine client holds only part of every rule’s scopes',
      'lab/writer-only',
      'machine client "writer-only" with scopes ["write"] can call no app: every bearer-token rule demands a scope it lacks (a token must carry all of a rule\'s scopes)',
    ],
    [
      'BEARER_SCOPE_UNOBTAINABLE',
      'no machine client may obtain a rule’s scope',
      'lab/admin-rule',
      'hosts ["admin.dev.example.com"] accept bearer tokens with scopes ["admin"], which no machine client can obtain all of',
    ],
    [
      'COGNITO_CLIENT_CODE_FLOW',
      'a machine client has a callback URL',
      'lab/with-callback',
      'callback_urls is ["https://evil.example/cb"] on a machine client, must be empty (nobody is redirected)',
    ],
    [
      'COGNITO_CLIENT_CODE_FLOW',
      'a machine client allows a user sign-in flow',
      'lab/with-user-flow',
      'explicit_auth_flows is ["ALLOW_USER_PASSWORD_AUTH"], must be exactly ["ALLOW_REFRESH_TOKEN_AUTH"] (no user signs in through a machine client)',
    ],
    [
      'COGNITO_CLIENT_CODE_FLOW',
      'a machine client asks for openid, a user scope',
      'lab/foreign-scope',
      'allowed_oauth_scopes has "openid", must be a scope of this environment\'s resource server (no openid, email, profile or admin scope)',
    ],
    [
      'COGNITO_CLIENT_CODE_FLOW',
      'a machine client asks for another resource server’s scope',
      'lab/foreign-scope',
      'allowed_oauth_scopes has "other-server/read", must be a scope of this environment\'s resource server (no openid, email, profile or admin scope)',
    ],
  ];
  const passes: PassCase[] = [
    ['MACHINE_CLIENT_SCOPES', 'a machine client holds every scope of one rule', 'lab/reader'],
    ['MACHINE_CLIENT_SCOPES', 'a machine client holds more than one rule needs', 'lab/deployer'],
    ['BEARER_SCOPE_UNOBTAINABLE', 'a client holds all of a two-scope rule', 'lab/deploy-rule'],
    ['COGNITO_CLIENT_CODE_FLOW', 'a machine client has only its resource server’s scopes', 'lab/reader'],
    ['COGNITO_CLIENT_CODE_FLOW', 'a browser client runs the code flow', 'lab/browser'],
  ];
  ruleTests(stack, found, fails, passes);
});
