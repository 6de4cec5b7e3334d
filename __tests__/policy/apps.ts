import { LbListener } from '@cdktf/provider-aws/lib/lb-listener';
import { LbListenerRule } from '@cdktf/provider-aws/lib/lb-listener-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { EXAMPLE_CONFIG } from '../../modules/config/example';
import { Release } from '@cdktf/provider-helm/lib/release';
import { type App, type TerraformRemoteState, Testing } from 'cdktf';
import { addCentralAuthStacks, type CentralAuthStacks } from '../../modules/app';
import type { ResolvedConfig } from '../../modules/config/defaults';
import { deploymentOf } from '../../modules/deployment';
import { CLUSTER_OUTPUTS } from '../../modules/stacks/outputs';
import { configWith } from '../helpers';
import type { FailCase } from './helpers';

const ALB_SG_ONLY = "only the ALB's security group may admit the internet, on tcp 80 and 443";
const NLB_ALB_ONLY = "the ingress NLB's security group may admit only the ALB's security group";

/** A sign-in on the plain-HTTP listener, as the stacks write one on HTTPS. */
const HTTP_SIGN_IN = {
  userPoolArn: 'arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_example',
  userPoolClientId: 'client',
  userPoolDomain: 'example-dev-login',
};

/** Adds the three stacks of `config` to `app` as synthAll does; the one place these tests call addCentralAuthStacks. */
export function addStacks(app: App, config: ResolvedConfig = configWith()): CentralAuthStacks {
  return addCentralAuthStacks(app, deploymentOf(config), { policyLog: () => {} });
}

/**
 * The three stacks of `config` in a fresh Testing app, not synthesized: `mutate` makes them
 * insecure before any aspect runs (synthAll would throw on the first violation).
 */
export function buildApp(
  config: ResolvedConfig,
  mutate: (stacks: CentralAuthStacks, app: App) => void = () => undefined,
): { app: App; stacks: CentralAuthStacks } {
  const app = Testing.app({ stackTraces: false });
  const stacks = addStacks(app, config);
  mutate(stacks, app);
  return { app, stacks };
}

/** The example without suppressions, with weak config values and insecure overrides on every stack. */
export function insecureApp(): App {
  const config = configWith({
    suppressions: [],
    alb: { deletionProtection: false },
    waf: { mode: 'off' },
    cognito: { ...EXAMPLE_CONFIG.cognito, mfa: 'OFF', passwordMinimumLength: 10, deletionProtection: false },
  });
  const { app } = buildApp(config, ({ auth, cluster, edge }) => {
    edge.alb.addOverride('drop_invalid_header_fields', false);
    edge.alb.addOverride('desync_mitigation_mode', 'monitor');
    edge.httpsListener.addOverride('ssl_policy', 'ELBSecurityPolicy-2016-08');
    const http = edge.node.findChild('http') as LbListener;
    http.addOverride('default_action.0.type', 'forward');
    http.addOverride('default_action.0.redirect', undefined);
    new LbListenerRule(edge, 'http-sign-in', {
      listenerArn: http.arn,
      priority: 5,
      condition: [{ pathPattern: { values: ['/login'] } }],
      action: [
        { type: 'authenticate-cognito', order: 1, authenticateCognito: HTTP_SIGN_IN },
        { type: 'forward', order: 2, targetGroupArn: edge.ingressTargetGroup.arn },
      ],
    });
    new LbListenerRule(edge, 'admin-bypass', {
      listenerArn: edge.httpsListener.arn,
      priority: 6,
      condition: [{ hostHeader: { values: ['echo.dev.example.com'] } }, { pathPattern: { values: ['/admin/*'] } }],
      action: [{ type: 'forward', targetGroupArn: edge.ingressTargetGroup.arn }],
    });
    edge.ingressTargetGroup.addOverride('health_check.enabled', false);
    // The ALB's security group is the edge stack's, created with the ALB.
    const albGroup = edge.securityGroup.group;
    albGroup.addOverride('description', '');
    new VpcSecurityGroupIngressRule(edge, 'ssh-from-anywhere', {
      securityGroupId: albGroup.id,
      ipProtocol: 'tcp',
      fromPort: 22,
      toPort: 22,
      cidrIpv4: '0.0.0.0/0',
      description: 'SSH for debugging',
    });
    new VpcSecurityGroupIngressRule(cluster, 'ingress-from-vpc', {
      securityGroupId: cluster.ingressSecurityGroup.id,
      ipProtocol: 'tcp',
      fromPort: 80,
      toPort: 80,
      cidrIpv4: '10.0.0.0/8',
    });
    // The NLB's group is read from the cluster stack's state; a rule on it in the edge stack is checked all the same.
    const clusterState = edge.node.findChild('remote-state-cluster') as TerraformRemoteState;
    new VpcSecurityGroupIngressRule(edge, 'nlb-from-anywhere', {
      securityGroupId: clusterState.getString(CLUSTER_OUTPUTS.ingressSecurityGroupId),
      ipProtocol: 'tcp',
      fromPort: 80,
      toPort: 80,
      cidrIpv4: '0.0.0.0/0',
      description: 'Debugging the router from outside',
    });
    // A later values document wins in Helm: this one drops client_id and token_use.
    (cluster.node.findChild('app-grafana') as Release).addOverride('values', [
      'env:\n  GF_AUTH_JWT_EXPECT_CLAIMS: \'{"iss":"https://issuer"}\'\n',
    ]);
    const cert = edge.certificates.get('wildcard')!.certificate;
    cert.addOverride('lifecycle.create_before_destroy', false);
    cert.addOverride('options.certificate_transparency_logging_preference', 'DISABLED');
    cert.addOverride('domain_name', '*.other.example.com');
    cert.addOverride('subject_alternative_names', undefined);
    const { pool, clients } = auth.userPool;
    pool.addOverride('admin_create_user_config.allow_admin_create_user_only', false);
    pool.addOverride('username_configuration.case_sensitive', true);
    pool.addOverride('password_policy.require_symbols', false);
    const client = clients.get('alb')!;
    client.addOverride('prevent_user_existence_errors', 'LEGACY');
    client.addOverride('allowed_oauth_flows', ['implicit']); // appended to ["code"]
    client.addOverride('generate_secret', false);
    // Replaces the whole list (an override would append to it): neither protected host keeps its callback.
    client.callbackUrls = ['http://status.dev.example.com/oauth2/idpresponse'];
  });
  return app;
}

/** Every finding of insecureApp(), errors and the one warning, nothing else. */
export const INSECURE_FINDINGS: FailCase[] = [
  ['ALB_DROP_INVALID_HEADERS', 'the ALB keeps invalid header fields', 'edge/alb', 'drop_invalid_header_fields is false, must be true'],
  [
    'ALB_DESYNC_MITIGATION',
    'desync mitigation only monitors',
    'edge/alb',
    'desync_mitigation_mode is "monitor", must be "defensive" or "strictest"',
  ],
  [
    'ALB_DELETION_PROTECTION',
    'alb.deletionProtection is false without a suppression',
    'edge/alb',
    'enable_deletion_protection is false, must be true',
  ],
  [
    'ALB_ACCESS_LOGS',
    'the ALB has no access logs and no suppression',
    'edge/alb',
    'access_logs is (not set), must be a block with enabled = true and a bucket',
  ],
  [
    'ALB_WAF',
    'the ALB has no WAF association and no suppression',
    'edge/alb',
    'no aws_wafv2_web_acl_association has resource_arn = "${aws_lb.alb.arn}"',
  ],
  [
    'COGNITO_WAF',
    'the user pool has no WAF association and no suppression',
    'auth/user-pool/pool',
    'no aws_wafv2_web_acl_association names this user pool (resource_arn)',
  ],
  [
    'OPERATIONS_ALARMS',
    'no alarm notifies anyone (a warning)',
    'edge',
    'none of the 10 CloudWatch alarms notifies anyone (alarm_actions empty): a broken sign-in would go unnoticed',
  ],
  [
    'ALB_TLS_POLICY',
    'the HTTPS listener allows TLS 1.0',
    'edge/https',
    'ssl_policy is "ELBSecurityPolicy-2016-08", must be a literal ELBSecurityPolicy-TLS13-1-2-* policy',
  ],
  [
    'ALB_HTTP_REDIRECT',
    'the HTTP listener forwards instead of redirecting',
    'edge/http',
    'default_action[0].type is "forward", must be "redirect" on a plain-HTTP listener',
  ],
  [
    'ALB_HTTP_REDIRECT',
    'a rule on the HTTP listener signs in',
    'edge/http-sign-in',
    'action[0].type is "authenticate-cognito", must be "redirect" on a plain-HTTP listener',
  ],
  [
    'ALB_HTTP_REDIRECT',
    'a rule on the HTTP listener forwards',
    'edge/http-sign-in',
    'action[1].type is "forward", must be "redirect" on a plain-HTTP listener',
  ],
  [
    'AUTH_ACTION_HTTPS_ONLY',
    'authenticate-cognito sits on a plain-HTTP listener rule',
    'edge/http-sign-in',
    'action[0].type is "authenticate-cognito" on a "HTTP" listener, must be on an HTTPS listener',
  ],
  [
    'PROTECTED_HOST_AUTH',
    'an HTTPS rule forwards a protected path without signing in',
    'edge/admin-bypass',
    'forwards "/admin/*" on protected host echo.dev.example.com without signing in, but it is neither in its publicPaths nor the sign-out path',
  ],
  [
    'TARGET_GROUP_HEALTH_CHECK',
    'the ingress target group disables its health check',
    'edge/ingress-nlb-targets',
    'health_check.enabled is false, must be true',
  ],
  [
    'SG_DESCRIPTION',
    'a security group has an empty description',
    'edge/alb-sg/group',
    'description is "", must be a description (the provider default is "Managed by Terraform")',
  ],
  [
    'SG_DESCRIPTION',
    'a security group rule has no description',
    'cluster/ingress-from-vpc',
    'description is (not set), must be a description',
  ],
  [
    'SG_PUBLIC_INGRESS',
    'the ALB security group admits SSH from anywhere',
    'edge/ssh-from-anywhere',
    `cidr_ipv4 admits "0.0.0.0/0" on tcp 22; ${ALB_SG_ONLY}`,
  ],
  [
    'SG_PUBLIC_INGRESS',
    "the NLB's group, read from the cluster stack, admits the internet",
    'edge/nlb-from-anywhere',
    `cidr_ipv4 admits "0.0.0.0/0" on tcp 80; ${ALB_SG_ONLY}`,
  ],
  [
    'NLB_INGRESS_FROM_ALB_ONLY',
    "the NLB's group, read from the cluster stack, admits a CIDR in the edge stack",
    'edge/nlb-from-anywhere',
    `cidr_ipv4 admits "0.0.0.0/0"; ${NLB_ALB_ONLY}`,
  ],
  [
    'NLB_INGRESS_FROM_ALB_ONLY',
    'the ingress security group admits a CIDR',
    'cluster/ingress-from-vpc',
    `cidr_ipv4 admits "10.0.0.0/8"; ${NLB_ALB_ONLY}`,
  ],
  [
    'GRAFANA_JWT_CLAIMS',
    'Grafana stops pinning client_id and token_use',
    'cluster/app-grafana',
    'env.GF_AUTH_JWT_EXPECT_CLAIMS is "{\\"iss\\":\\"https://issuer\\"}", must pin client_id, token_use = "access"',
  ],
  [
    'ACM_CREATE_BEFORE_DESTROY',
    'a certificate is destroyed before its replacement exists',
    'edge/cert-wildcard/certificate',
    'lifecycle.create_before_destroy is false, must be true',
  ],
  [
    'ACM_CT_LOGGING',
    'a certificate opts out of Certificate Transparency',
    'edge/cert-wildcard/certificate',
    'options.certificate_transparency_logging_preference is "DISABLED", must be "ENABLED"',
  ],
  [
    'ROUTER_RETIRED',
    'the router is the retired ingress-nginx',
    'cluster/ingress-nginx',
    'ingress-nginx 4.14.5 is retired upstream (March 2026): no releases, no security fixes',
  ],
  [
    'PROTECTED_HOST_COVERAGE',
    'no certificate covers echo',
    'edge',
    'protected host "echo.dev.example.com" is covered by no aws_acm_certificate (domain_name or subject_alternative_names)',
  ],
  [
    'PROTECTED_HOST_COVERAGE',
    'no certificate covers grafana',
    'edge',
    'protected host "grafana.dev.example.com" is covered by no aws_acm_certificate (domain_name or subject_alternative_names)',
  ],
  [
    'PROTECTED_HOST_COVERAGE',
    'echo has no callback URL',
    'auth/user-pool/alb-client',
    'protected host "echo.dev.example.com" has no callback URL "https://echo.dev.example.com/oauth2/idpresponse" on any app client',
  ],
  [
    'PROTECTED_HOST_COVERAGE',
    'grafana has no callback URL',
    'auth/user-pool/alb-client',
    'protected host "grafana.dev.example.com" has no callback URL "https://grafana.dev.example.com/oauth2/idpresponse" on any app client',
  ],
  [
    'COGNITO_ADMIN_CREATE_ONLY',
    'users may sign themselves up',
    'auth/user-pool/pool',
    'admin_create_user_config.allow_admin_create_user_only is false, must be true',
  ],
  [
    'COGNITO_CASE_INSENSITIVE_USERNAMES',
    'usernames are case-sensitive',
    'auth/user-pool/pool',
    'username_configuration.case_sensitive is true, must be false',
  ],
  [
    'COGNITO_DELETION_PROTECTION',
    'cognito.deletionProtection is false without a suppression',
    'auth/user-pool/pool',
    'deletion_protection is "INACTIVE", must be "ACTIVE"',
  ],
  [
    'COGNITO_PASSWORD_LENGTH',
    'cognito.passwordMinimumLength is 10 without a suppression',
    'auth/user-pool/pool',
    'password_policy.minimum_length is 10, must be at least 12',
  ],
  ['COGNITO_PASSWORD_CLASSES', 'passwords need no symbol', 'auth/user-pool/pool', 'password_policy.require_symbols is false, must be true'],
  [
    'COGNITO_MFA_OFF',
    'cognito.mfa is OFF (a warning)',
    'auth/user-pool/pool',
    'mfa_configuration is "OFF": users sign in with a password alone',
  ],
  [
    'COGNITO_USER_EXISTENCE_ERRORS',
    'the client reveals whether a user exists',
    'auth/user-pool/alb-client',
    'prevent_user_existence_errors is "LEGACY", must be "ENABLED"',
  ],
  [
    'COGNITO_CLIENT_CODE_FLOW',
    'the client also allows the implicit flow',
    'auth/user-pool/alb-client',
    'allowed_oauth_flows is ["code","implicit"], must be exactly ["code"], or ["client_credentials"] for a machine client',
  ],
  ['COGNITO_CLIENT_SECRET', 'the client has no secret', 'auth/user-pool/alb-client', 'generate_secret is false, must be true'],
  [
    'COGNITO_CALLBACK_URLS',
    'a callback URL is plain HTTP on a public host',
    'auth/user-pool/alb-client',
    'callback_urls has "http://status.dev.example.com/oauth2/idpresponse", must be https://<protected host>/oauth2/idpresponse',
  ],
];
