import { Alb } from '@cdktf/provider-aws/lib/alb';
import { CognitoUserPool } from '@cdktf/provider-aws/lib/cognito-user-pool';
import { Lb } from '@cdktf/provider-aws/lib/lb';
import { LbListener } from '@cdktf/provider-aws/lib/lb-listener';
import { LbListenerRule } from '@cdktf/provider-aws/lib/lb-listener-rule';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { SecurityGroupRule } from '@cdktf/provider-aws/lib/security-group-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Release } from '@cdktf/provider-helm/lib/release';
import { Aspects, TerraformStack, Testing, type App } from 'cdktf';
import type { IConstruct } from 'constructs';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { addCentralAuthStacks, type CentralAuthStacks } from '../../modules/app';
import { EXAMPLE_CONFIG } from '../../modules/config/example';
import type { ResolvedConfig } from '../../modules/config/defaults';
import { ConfigError } from '../../modules/config/validate';
import {
  evaluatePolicy,
  PolicyAspect,
  PolicyError,
  policyViolations,
  reportLines,
  RULE_IDS,
  RULES,
  type PolicyReport,
} from '../../modules/policy';
import { synthAtomically } from '../../modules/synth';
import { configWith } from '../helpers';

const EXAMPLE_SUPPRESSIONS = EXAMPLE_CONFIG.suppressions ?? [];
const ALB_SG_ONLY = "only the ALB's security group may admit the internet, on tcp 80 and 443";

/** The four stacks of `config` in a fresh Testing app; `mutate` makes them insecure. */
function buildApp(
  config: ResolvedConfig,
  mutate: (stacks: CentralAuthStacks, app: App) => void = () => undefined,
): { app: App; stacks: CentralAuthStacks } {
  const app = Testing.app();
  const stacks = addCentralAuthStacks(app, config);
  mutate(stacks, app);
  return { app, stacks };
}

/** Findings as [rule, path, message] triples, sorted, for exact comparison. */
function triples(findings: PolicyReport['violations']): [string, string, string][] {
  return findings.map((f): [string, string, string] => [f.rule, f.path, f.message]).sort((a, b) => a.join('|').localeCompare(b.join('|')));
}

function metadataOf(construct: IConstruct, type: string): unknown[] {
  return construct.node.metadata.filter((m) => m.type === type).map((m) => m.data);
}

describe('policy on the example config', () => {
  // GIVEN the four stacks of the embedded example, synthesized once
  const { app, stacks } = buildApp(configWith());
  const report = evaluatePolicy(app);

  test.each(RULE_IDS)('%s passes', (id) => {
    // THEN no rule has an open finding: neither an error nor a warning
    expect([...report.violations, ...report.warnings].filter((f) => f.rule === id)).toEqual([]);
  });

  test('the example suppresses exactly ALB_ACCESS_LOGS and ALB_WAF, each with its reason', () => {
    expect(report.suppressed.map((f) => [f.rule, f.path, f.reason])).toEqual([
      ['ALB_ACCESS_LOGS', 'edge/alb', 'Example environment: no log bucket exists in the placeholder account.'],
      ['ALB_WAF', 'edge/alb', 'Example environment: every app already requires sign-in; a WAF is optional for dev tools.'],
    ]);
    expect(report.unusedSuppressions).toEqual([]);
    expect(report.suppressionErrors).toEqual([]);
  });

  test('Testing.synth of every stack succeeds: the aspect finds nothing to fail', () => {
    // WHEN each stack is synthesized the way the other tests do
    // THEN none throws
    for (const stack of Object.values(stacks)) expect(() => Testing.synth(stack)).not.toThrow();
  });

  test('every rule has an id, a description, a fix and a severity; ids are unique', () => {
    expect(new Set(RULE_IDS).size).toBe(RULES.length);
    for (const r of RULES) {
      expect(r.id).toMatch(/^[A-Z][A-Z0-9_]{2,63}$/);
      expect(r.description.length).toBeGreaterThan(20);
      expect(r.fix.length).toBeGreaterThan(10);
      expect(['error', 'warning']).toContain(r.severity);
      expect(Boolean(r.check) || Boolean(r.checkAll)).toBe(true);
    }
  });
});

describe('docs/policy.md', () => {
  const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'policy.md'), 'utf8');
  const rows = new Map(
    doc
      .split('\n')
      .filter((l) => l.startsWith('| `'))
      .map((l) => [/^\| `([A-Z0-9_]+)`/.exec(l)![1]!, l]),
  );

  test.each(RULES.map((r) => [r.id, r] as const))('documents %s with its mirrors, severity and suppressibility', (id, rule) => {
    const row = rows.get(id);
    expect(row).toBeDefined();
    for (const m of rule.mirrors) expect(row).toContain(`\`${m}\``);
    expect(row).toContain(`| ${rule.severity} | ${rule.suppressible ? 'yes' : 'no'} |`);
  });

  test('documents no rule that does not exist', () => {
    expect([...rows.keys()].sort()).toEqual([...RULE_IDS].sort());
  });
});

describe('policy on an insecure app', () => {
  // GIVEN the example without suppressions, with weak config values and insecure overrides on every stack
  const config = configWith({
    suppressions: [],
    alb: { deletionProtection: false },
    cognito: { domainPrefix: 'example-dev-login', mfa: 'OFF', passwordMinimumLength: 10, deletionProtection: false },
  });
  const { app } = buildApp(config, ({ auth, certs, cluster, edge }) => {
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
        { type: 'authenticate-oidc', order: 1, authenticateOidc: edge.oidc },
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
    cluster.albSecurityGroup.addOverride('description', '');
    new VpcSecurityGroupIngressRule(cluster, 'ssh-from-anywhere', {
      securityGroupId: cluster.albSecurityGroup.id,
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
    // A later values document wins in Helm: this one drops client_id and token_use.
    (cluster.node.findChild('app-grafana') as Release).addOverride('values', [
      'env:\n  GF_AUTH_JWT_EXPECT_CLAIMS: \'{"iss":"https://issuer"}\'\n',
    ]);
    const cert = [...certs.certificates.values()][0]!.certificate;
    cert.addOverride('lifecycle.create_before_destroy', false);
    cert.addOverride('options.certificate_transparency_logging_preference', 'DISABLED');
    cert.addOverride('domain_name', '*.other.example.com');
    cert.addOverride('subject_alternative_names', undefined);
    const { pool, clients } = auth.userPool;
    pool.addOverride('admin_create_user_config.allow_admin_create_user_only', false);
    pool.addOverride('username_configuration.case_sensitive', true);
    pool.addOverride('password_policy.require_symbols', false);
    const client = clients[0]!;
    client.addOverride('prevent_user_existence_errors', 'LEGACY');
    client.addOverride('allowed_oauth_flows', ['implicit']); // appended to ["code"]
    client.addOverride('generate_secret', false);
    client.addOverride('callback_urls.0', 'http://status.dev.example.com/oauth2/idpresponse');
  });
  // WHEN the policy runs once over the whole app
  const report = evaluatePolicy(app);
  const found = triples([...report.violations, ...report.warnings]);

  const cases: [rule: string, when: string, path: string, message: string][] = [
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
      'action[0].type is "authenticate-oidc", must be "redirect" on a plain-HTTP listener',
    ],
    [
      'ALB_HTTP_REDIRECT',
      'a rule on the HTTP listener forwards',
      'edge/http-sign-in',
      'action[1].type is "forward", must be "redirect" on a plain-HTTP listener',
    ],
    [
      'AUTH_ACTION_HTTPS_ONLY',
      'authenticate-oidc sits on a plain-HTTP listener rule',
      'edge/http-sign-in',
      'action[0].type is "authenticate-oidc" on a "HTTP" listener, must be on an HTTPS listener',
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
      'cluster/alb-sg',
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
      'cluster/ssh-from-anywhere',
      `cidr_ipv4 admits "0.0.0.0/0" on tcp 22; ${ALB_SG_ONLY}`,
    ],
    [
      'NLB_INGRESS_FROM_ALB_ONLY',
      'the ingress security group admits a CIDR',
      'cluster/ingress-from-vpc',
      'cidr_ipv4 admits "10.0.0.0/8"; the ingress NLB\'s security group may admit only the ALB\'s security group',
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
      'certs/cert-wildcard/certificate',
      'lifecycle.create_before_destroy is false, must be true',
    ],
    [
      'ACM_CT_LOGGING',
      'a certificate opts out of Certificate Transparency',
      'certs/cert-wildcard/certificate',
      'options.certificate_transparency_logging_preference is "DISABLED", must be "ENABLED"',
    ],
    [
      'PROTECTED_HOST_COVERAGE',
      'no certificate covers echo',
      'certs',
      'protected host "echo.dev.example.com" is covered by no aws_acm_certificate (domain_name or subject_alternative_names)',
    ],
    [
      'PROTECTED_HOST_COVERAGE',
      'no certificate covers grafana',
      'certs',
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
    [
      'COGNITO_PASSWORD_CLASSES',
      'passwords need no symbol',
      'auth/user-pool/pool',
      'password_policy.require_symbols is false, must be true',
    ],
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
      'allowed_oauth_flows is ["code","implicit"], must be exactly ["code"]',
    ],
    ['COGNITO_CLIENT_SECRET', 'the client has no secret', 'auth/user-pool/alb-client', 'generate_secret is false, must be true'],
    [
      'COGNITO_CALLBACK_URLS',
      'a callback URL is plain HTTP on a public host',
      'auth/user-pool/alb-client',
      'callback_urls has "http://status.dev.example.com/oauth2/idpresponse", must be https://<protected host>/oauth2/idpresponse',
    ],
  ];

  test.each(cases)('%s fails when %s', (rule, _when, path, message) => {
    // THEN the rule reports the exact construct path and message
    expect(found).toContainEqual([rule, path, message]);
  });

  test('reports exactly these findings, nothing else', () => {
    expect(found).toEqual(triples(cases.map(([rule, , path, message]) => ({ rule, path, message }) as never)));
  });

  test('COGNITO_MFA_OFF is a warning, everything else an error', () => {
    expect(report.warnings.map((f) => f.rule)).toEqual(['COGNITO_MFA_OFF']);
    expect(report.violations.every((f) => f.severity === 'error')).toBe(true);
  });

  test("each finding carries the rule's mirrored scanner ids and fix", () => {
    const f = report.violations.find((v) => v.rule === 'ALB_TLS_POLICY')!;
    expect(f.mirrors).toEqual(['CKV_AWS_103', 'CKV2_AWS_74', 'AWS-0047']);
    expect(f.fix).toBe('Set sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06" (TLS_POLICY in modules/edge-stack.ts) on the listener.');
  });

  test('fails when Testing.synth runs the aspect: one PolicyError naming every violation', () => {
    // WHEN any stack of the app is synthesized for a test
    // THEN the aspect throws, listing all violations of all stacks, not only the stack's own
    let error: unknown;
    try {
      Testing.synth(app.node.findChild('auth') as TerraformStack);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(PolicyError);
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message.split('\n')[0]).toBe(`Policy check failed (${report.violations.length} problems):`);
    expect(message).toContain(
      '  - ALB_DROP_INVALID_HEADERS (CKV_AWS_131, AWS-0052) at edge/alb: drop_invalid_header_fields is false, must be true\n    fix: Set dropInvalidHeaderFields: true on the load balancer.',
    );
    expect(message).toContain('  - COGNITO_CLIENT_SECRET at auth/user-pool/alb-client: generate_secret is false, must be true');
    expect(message).not.toContain('COGNITO_MFA_OFF');
  });

  test('the aspect annotates each offending construct with an error, and warnings as warnings', () => {
    const alb = app.node.findAll().find((c) => c.node.path === 'edge/alb')!;
    expect(metadataOf(alb, '@cdktf/error')).toContain(
      '[ALB_DROP_INVALID_HEADERS] (CKV_AWS_131, AWS-0052) drop_invalid_header_fields is false, must be true. Fix: Set dropInvalidHeaderFields: true on the load balancer.',
    );
    const pool = app.node.findAll().find((c) => c.node.path === 'auth/user-pool/pool')!;
    expect(metadataOf(pool, '@cdktf/warn')).toEqual([
      expect.stringMatching(/^\[COGNITO_MFA_OFF\] \(AwsSolutions-COG2\) mfa_configuration is "OFF"/),
    ]);
  });
});

describe('policy on an app whose resources drift from the config', () => {
  // GIVEN MFA "OPTIONAL" in the config but "ON" without TOTP in the pool, and an HTTPS listener that forwards by default
  const { app } = buildApp(configWith(), ({ auth, edge }) => {
    auth.userPool.pool.addOverride('mfa_configuration', 'ON');
    auth.userPool.pool.addOverride('software_token_mfa_configuration', undefined);
    edge.httpsListener.addOverride('default_action.0.type', 'forward');
    edge.httpsListener.addOverride('default_action.0.authenticate_oidc', undefined);
    edge.httpsListener.addOverride('default_action.0.target_group_arn', edge.ingressTargetGroup.arn);
  });
  const found = triples(policyViolations(app));

  test("COGNITO_MFA fails when the pool's MFA is not the config's, or lacks TOTP", () => {
    expect(found.filter(([rule]) => rule === 'COGNITO_MFA')).toEqual([
      ['COGNITO_MFA', 'auth/user-pool/pool', 'mfa_configuration is "ON", must be "OPTIONAL" (cognito.mfa)'],
      [
        'COGNITO_MFA',
        'auth/user-pool/pool',
        'software_token_mfa_configuration.enabled is (not set), must be true when mfa_configuration is "ON"',
      ],
    ]);
  });

  test('PROTECTED_HOST_AUTH fails when the HTTPS listener forwards unmatched requests without signing in', () => {
    expect(found.filter(([rule]) => rule === 'PROTECTED_HOST_AUTH')).toEqual([
      [
        'PROTECTED_HOST_AUTH',
        'edge/https',
        'default_action[0].type is "forward", must be an authenticate action: requests no rule matches reach protected hosts',
      ],
    ]);
  });

  test('reports nothing else', () => {
    expect(found.map(([rule]) => rule)).toEqual(['COGNITO_MFA', 'COGNITO_MFA', 'PROTECTED_HOST_AUTH']);
  });
});

describe('policy on hand-built resources (no config)', () => {
  // GIVEN one plain stack with an ALB, an NLB, their security groups and assorted resources
  const app = Testing.app();
  const stack = new TerraformStack(app, 'lab');
  const albSg = new SecurityGroup(stack, 'alb-sg', { description: 'ALB' });
  const nlbSg = new SecurityGroup(stack, 'nlb-sg', { description: 'NLB' });
  const alb = new Lb(stack, 'alb', {
    securityGroups: [albSg.id],
    dropInvalidHeaderFields: true,
    enableDeletionProtection: true,
    accessLogs: { bucket: 'logs', enabled: true },
    internal: true,
  });
  new Lb(stack, 'nlb', { loadBalancerType: 'network', securityGroups: [nlbSg.id] });
  new Alb(stack, 'legacy-alb', {
    internal: true,
    enableDeletionProtection: true,
    accessLogs: { bucket: 'logs', enabled: true },
    desyncMitigationMode: '${var.mode}',
  });
  new LbListener(stack, 'tls-default', {
    loadBalancerArn: alb.arn,
    port: 443,
    protocol: 'HTTPS',
    certificateArn: 'arn:cert',
    defaultAction: [{ type: 'fixed-response', fixedResponse: { contentType: 'text/plain', statusCode: '404' } }],
  });
  new LbListener(stack, 'no-protocol', {
    loadBalancerArn: alb.arn,
    port: 80,
    defaultAction: [{ type: 'redirect', redirect: { protocol: 'HTTPS', port: '443', statusCode: 'HTTP_301' } }],
  });
  new VpcSecurityGroupIngressRule(stack, 'alb-https', {
    securityGroupId: albSg.id,
    ipProtocol: 'tcp',
    fromPort: 443,
    toPort: 443,
    cidrIpv4: '0.0.0.0/0',
    description: 'HTTPS',
  });
  new VpcSecurityGroupIngressRule(stack, 'alb-range', {
    securityGroupId: albSg.id,
    ipProtocol: 'tcp',
    fromPort: 80,
    toPort: 443,
    cidrIpv4: '0.0.0.0/0',
    description: 'a range',
  });
  new SecurityGroupRule(stack, 'nlb-from-alb', {
    type: 'ingress',
    securityGroupId: nlbSg.id,
    protocol: 'tcp',
    fromPort: 80,
    toPort: 80,
    sourceSecurityGroupId: albSg.id,
    description: 'from the ALB',
  });
  new SecurityGroupRule(stack, 'nlb-self', {
    type: 'ingress',
    securityGroupId: nlbSg.id,
    protocol: 'tcp',
    fromPort: 80,
    toPort: 80,
    selfAttribute: true,
    description: 'itself',
  });
  new SecurityGroupRule(stack, 'anything-v6', {
    type: 'ingress',
    securityGroupId: albSg.id,
    protocol: '-1',
    fromPort: 0,
    toPort: 0,
    ipv6CidrBlocks: ['::/0'],
    description: 'everything',
  });
  new SecurityGroupRule(stack, 'egress-anywhere', {
    type: 'egress',
    securityGroupId: albSg.id,
    protocol: '-1',
    fromPort: 0,
    toPort: 0,
    cidrBlocks: ['0.0.0.0/0'],
    description: 'egress is not ingress',
  });
  new SecurityGroup(stack, 'inline', { ingress: [{ protocol: 'tcp', fromPort: 22, toPort: 22, cidrBlocks: ['0.0.0.0/0'] }] });
  new LbTargetGroup(stack, 'ip-targets', { targetType: 'ip', protocol: 'HTTP', port: 80 });
  new LbTargetGroup(stack, 'default-path', { targetType: 'ip', protocol: 'HTTP', port: 80, healthCheck: { enabled: true } });
  new LbTargetGroup(stack, 'signout-lambda', { targetType: 'lambda' });
  new LbTargetGroup(stack, 'tcp-targets', { targetType: 'ip', protocol: 'TCP', port: 80, healthCheck: { enabled: true, protocol: 'TCP' } });
  new CognitoUserPool(stack, 'bare-pool', { name: 'bare' });
  new Release(stack, 'grafana', { name: 'grafana', chart: 'grafana', values: ['env:\n  GF_AUTH_JWT_ENABLED: "true"\n'] });
  new Release(stack, 'grafana-no-jwt', { name: 'g2', chart: 'grafana', values: ['env:\n  GF_AUTH_JWT_ENABLED: "false"\n'] });
  // WHEN the policy runs on the stack alone
  const report = evaluatePolicy(stack);
  const found = triples([...report.violations, ...report.warnings]);

  test.each([
    [
      'ALB_DROP_INVALID_HEADERS',
      'the aws_alb alias type keeps invalid headers',
      'lab/legacy-alb',
      'drop_invalid_header_fields is (not set), must be true',
    ],
    [
      'ALB_TLS_POLICY',
      'an HTTPS listener leaves ssl_policy to the provider',
      'lab/tls-default',
      'ssl_policy is (not set) (the provider default, ELBSecurityPolicy-2016-08, allows TLS 1.0), must be a literal ELBSecurityPolicy-TLS13-1-2-* policy',
    ],
    [
      'SG_PUBLIC_INGRESS',
      'the ALB group admits a port range from anywhere',
      'lab/alb-range',
      `cidr_ipv4 admits "0.0.0.0/0" on tcp 80-443; ${ALB_SG_ONLY}`,
    ],
    [
      'SG_PUBLIC_INGRESS',
      'an aws_security_group_rule admits ::/0 on all protocols',
      'lab/anything-v6',
      `ipv6_cidr_blocks admits "::/0" on all protocols; ${ALB_SG_ONLY}`,
    ],
    [
      'SG_PUBLIC_INGRESS',
      'an inline ingress block admits SSH from anywhere',
      'lab/inline',
      `ingress[0].cidr_blocks admits "0.0.0.0/0" on tcp 22; ${ALB_SG_ONLY}`,
    ],
    [
      'SG_DESCRIPTION',
      'a security group has no description',
      'lab/inline',
      'description is (not set), must be a description (the provider default is "Managed by Terraform")',
    ],
    [
      'SG_DESCRIPTION',
      'an inline ingress block has no description',
      'lab/inline',
      'ingress[0].description is (not set), must be a description',
    ],
    [
      'NLB_INGRESS_FROM_ALB_ONLY',
      'the NLB group admits itself',
      'lab/nlb-self',
      "self is true; the ingress NLB's security group may admit only the ALB's security group",
    ],
    [
      'TARGET_GROUP_HEALTH_CHECK',
      'an IP target group declares no health check',
      'lab/ip-targets',
      'health_check is (not set), must be a block with enabled = true',
    ],
    [
      'TARGET_GROUP_HEALTH_CHECK',
      'an HTTP health check has no path',
      'lab/default-path',
      'health_check.path is (not set), must be an explicit path for an HTTP health check',
    ],
    [
      'COGNITO_ADMIN_CREATE_ONLY',
      'a pool leaves sign-up to the AWS default',
      'lab/bare-pool',
      'admin_create_user_config.allow_admin_create_user_only is (not set), must be true',
    ],
    [
      'COGNITO_CASE_INSENSITIVE_USERNAMES',
      'a pool leaves username case to the AWS default',
      'lab/bare-pool',
      'username_configuration.case_sensitive is (not set), must be false',
    ],
    [
      'COGNITO_DELETION_PROTECTION',
      'a pool leaves deletion protection off',
      'lab/bare-pool',
      'deletion_protection is (not set), must be "ACTIVE"',
    ],
    [
      'COGNITO_PASSWORD_LENGTH',
      'a pool has no password policy',
      'lab/bare-pool',
      'password_policy.minimum_length is (not set), must be at least 12 (the AWS default is 8)',
    ],
    [
      'COGNITO_PASSWORD_CLASSES',
      'a pool requires no lowercase letter',
      'lab/bare-pool',
      'password_policy.require_lowercase is (not set), must be true',
    ],
    [
      'COGNITO_MFA_OFF',
      'a pool leaves MFA to the AWS default (off)',
      'lab/bare-pool',
      'mfa_configuration is "OFF": users sign in with a password alone',
    ],
    [
      'GRAFANA_JWT_CLAIMS',
      'Grafana enables JWT sign-in without expected claims',
      'lab/grafana',
      'values set GF_AUTH_JWT_ENABLED but no env.GF_AUTH_JWT_EXPECT_CLAIMS, must pin iss, client_id and token_use = "access"',
    ],
  ])('%s fails when %s', (rule, _when, path, message) => {
    expect(found).toContainEqual([rule, path, message]);
  });

  test('passes what it cannot prove insecure or what is allowed', () => {
    const paths = new Set(found.map(([, path]) => path));
    // THEN: tcp 443 from anywhere on the ALB's group (found through aws_lb.security_groups);
    // the NLB group admitting the ALB's group; egress; a Lambda target group without health check;
    // a TCP health check without path; an unknown desync mode; a protocol-less ALB listener that
    // redirects; Grafana without JWT sign-in
    for (const ok of [
      'lab/alb-https',
      'lab/nlb-from-alb',
      'lab/egress-anywhere',
      'lab/signout-lambda',
      'lab/tcp-targets',
      'lab/no-protocol',
      'lab/grafana-no-jwt',
      'lab/nlb',
    ]) {
      expect([ok, paths.has(ok)]).toEqual([ok, false]);
    }
    expect(found.filter(([rule, path]) => path === 'lab/legacy-alb' && rule === 'ALB_DESYNC_MITIGATION')).toEqual([]);
  });

  test('rules that need the config skip without one: no COGNITO_MFA, no coverage, no callback check', () => {
    expect(found.filter(([rule]) => ['COGNITO_MFA', 'PROTECTED_HOST_COVERAGE', 'PROTECTED_HOST_AUTH'].includes(rule))).toEqual([]);
  });
});

describe('suppressions', () => {
  test('the example echoes each suppression with its reason, as a line and an info annotation', () => {
    // GIVEN the example app with a second aspect that captures its lines
    const lines: string[] = [];
    const capture = new PolicyAspect({ log: (l) => lines.push(l) });
    const { app, stacks } = buildApp(configWith(), (s) => Object.values(s).forEach((stack) => Aspects.of(stack).add(capture)));
    // WHEN a stack is synthesized
    Testing.synth(stacks.edge);
    // THEN one line per suppressed finding, and the ALB carries the reasons
    expect(lines).toEqual([
      'policy: ALB_ACCESS_LOGS suppressed for edge/alb — Example environment: no log bucket exists in the placeholder account.',
      'policy: ALB_WAF suppressed for edge/alb — Example environment: every app already requires sign-in; a WAF is optional for dev tools.',
    ]);
    const alb = app.node.findAll().find((c) => c.node.path === 'edge/alb')!;
    expect(metadataOf(alb, '@cdktf/info')).toContain(
      '[ALB_ACCESS_LOGS] suppressed in the config: Example environment: no log bucket exists in the placeholder account.',
    );
    // AND the other stacks synthesize without repeating the lines
    Testing.synth(stacks.auth);
    expect(lines).toHaveLength(2);
  });

  test('a password minimum below 12 passes with a suppression, and MFA OFF warns once', () => {
    // GIVEN passwordMinimumLength 10 and mfa OFF, with COGNITO_PASSWORD_LENGTH suppressed
    const config = configWith({
      cognito: { domainPrefix: 'example-dev-login', mfa: 'OFF', passwordMinimumLength: 10 },
      suppressions: [...EXAMPLE_SUPPRESSIONS, { rule: 'COGNITO_PASSWORD_LENGTH', reason: 'Legacy kiosk accounts; rotated to 12 by Q3.' }],
    });
    const report = evaluatePolicy(buildApp(config).app);
    // THEN nothing fails; the suppression and the warning are echoed
    expect(report.violations).toEqual([]);
    expect(reportLines(report)).toEqual([
      'policy: ALB_ACCESS_LOGS suppressed for edge/alb — Example environment: no log bucket exists in the placeholder account.',
      'policy: ALB_WAF suppressed for edge/alb — Example environment: every app already requires sign-in; a WAF is optional for dev tools.',
      'policy: COGNITO_PASSWORD_LENGTH suppressed for auth/user-pool/pool — Legacy kiosk accounts; rotated to 12 by Q3.',
      'policy: warning COGNITO_MFA_OFF (AwsSolutions-COG2) at auth/user-pool/pool: mfa_configuration is "OFF": users sign in with a password alone',
    ]);
  });

  test('a suppression with nothing to suppress is echoed as removable', () => {
    // GIVEN access logs and a WAF configured, while the example's suppressions stay
    const config = configWith({
      alb: {
        accessLogs: { bucket: 'acme-alb-logs' },
        webAclArn: 'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/dev/0b0c0d0e-1111-2222-3333-444455556666',
      },
    });
    const report = evaluatePolicy(buildApp(config).app);
    expect(report.violations).toEqual([]);
    expect(reportLines(report)).toEqual([
      'policy: ALB_ACCESS_LOGS suppressed but nothing to suppress (remove the suppression) — Example environment: no log bucket exists in the placeholder account.',
      'policy: ALB_WAF suppressed but nothing to suppress (remove the suppression) — Example environment: every app already requires sign-in; a WAF is optional for dev tools.',
    ]);
  });

  test('fails when a suppression names an unknown rule, listing the known ids', () => {
    // GIVEN a suppression of a misspelt rule
    const config = configWith({
      suppressions: [...EXAMPLE_SUPPRESSIONS, { rule: 'ALB_LOGS', reason: 'We ship logs through Firehose instead.' }],
    });
    const { stacks } = buildApp(config);
    // WHEN a stack is synthesized THEN it throws naming the id and every known id
    expect(() => Testing.synth(stacks.auth)).toThrow(
      `Policy check failed (1 problem):\n  - suppressions[2].rule: "ALB_LOGS" is not a known policy rule (known rules: ${RULE_IDS.join(', ')})\n`,
    );
  });

  test('fails when a suppression names a rule that cannot be suppressed', () => {
    const config = configWith({
      suppressions: [
        { rule: 'ALB_DROP_INVALID_HEADERS', reason: 'Legacy clients send underscores in header names.' },
        ...EXAMPLE_SUPPRESSIONS,
      ],
    });
    const report = evaluatePolicy(buildApp(config).app);
    const suppressible = RULES.filter((r) => r.suppressible).map((r) => r.id);
    expect(suppressible).toEqual([
      'ALB_DELETION_PROTECTION',
      'ALB_ACCESS_LOGS',
      'ALB_WAF',
      'COGNITO_DELETION_PROTECTION',
      'COGNITO_PASSWORD_LENGTH',
      'COGNITO_MFA_OFF',
    ]);
    expect(report.suppressionErrors).toEqual([
      `suppressions[0].rule: "ALB_DROP_INVALID_HEADERS" cannot be suppressed; fix the finding instead (suppressible rules: ${suppressible.join(', ')})`,
    ]);
  });
});

describe('synth with a violation', () => {
  // GIVEN a folder with a good previous output
  const dir = mkdtempSync(join(tmpdir(), 'central-auth-policy-'));
  const outdir = join(dir, 'cdktf.out');
  const insecure = (app: App): void => {
    const { edge } = addCentralAuthStacks(app, configWith());
    edge.alb.addOverride('drop_invalid_header_fields', false);
  };
  const expected = [
    'Policy check failed (1 problem):',
    '  - ALB_DROP_INVALID_HEADERS (CKV_AWS_131, AWS-0052) at edge/alb: drop_invalid_header_fields is false, must be true',
    '    fix: Set dropInvalidHeaderFields: true on the load balancer.',
    'Suppress a suppressible rule only in the config, with a reason: suppressions: [{ rule: <RULE_ID>, reason: <why, at least 20 characters> }] (docs/policy.md).',
  ].join('\n');
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  afterAll(() => stderr.mockRestore());

  test('fails with one PolicyError and writes nothing when there was no output', () => {
    // WHEN synthAtomically builds an app with one violation
    // THEN app.synth() throws the exact message and neither the output nor the staging folder exists
    expect(() => synthAtomically(insecure, outdir)).toThrow(expected);
    expect(existsSync(outdir)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });

  test('fails even when the cdktf CLI asks to continue on error annotations, leaving the previous output untouched', () => {
    // GIVEN a good output, and the variable `cdktf synth` sets for the app
    synthAtomically((app) => addCentralAuthStacks(app, configWith()), outdir);
    const before = readFileSync(join(outdir, 'stacks', 'edge', 'cdk.tf.json'), 'utf8');
    process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS = 'true';
    try {
      // WHEN the insecure app is synthesized
      expect(() => synthAtomically(insecure, outdir)).toThrow(expected);
    } finally {
      delete process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS;
    }
    // THEN the previous output is still there, byte for byte, and no staging folder is left
    expect(readFileSync(join(outdir, 'stacks', 'edge', 'cdk.tf.json'), 'utf8')).toBe(before);
    expect(readdirSync(dir)).toEqual(['cdktf.out']);
  });

  test('the suppression lines go to stderr during a real synth', () => {
    stderr.mockClear();
    synthAtomically((app) => addCentralAuthStacks(app, configWith()), outdir);
    expect(stderr.mock.calls.map(([line]) => line)).toEqual([
      'policy: ALB_ACCESS_LOGS suppressed for edge/alb — Example environment: no log bucket exists in the placeholder account.\n',
      'policy: ALB_WAF suppressed for edge/alb — Example environment: every app already requires sign-in; a WAF is optional for dev tools.\n',
    ]);
  });
});
