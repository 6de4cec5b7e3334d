import '../setup';
import { AcmCertificate } from '@cdktf/provider-aws/lib/acm-certificate';
import { DataAwsRoute53Zone } from '@cdktf/provider-aws/lib/data-aws-route53-zone';
import { Lb } from '@cdktf/provider-aws/lib/lb';
import { LbListener } from '@cdktf/provider-aws/lib/lb-listener';
import { LbListenerRule } from '@cdktf/provider-aws/lib/lb-listener-rule';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import { App } from 'cdktf';
import { execFileSync } from 'child_process';
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { addCentralAuthStacks } from '../../modules/app';
import { deploymentOf } from '../../modules/deployment';
import { EXAMPLE_CONFIG } from '../../modules/config/example';
import { signoutHandlerFiles } from '../../modules/constructs/signout-endpoint';
import { planDeployment } from '../../modules/plan/deployment';
import { PRIORITY_RANGES } from '../../modules/plan/routing';
import { authContract, PLACEHOLDER_CLIENT_ID, STACKS } from '../../modules/stacks/outputs';
import { fnv1a, RulePriorities } from '../../modules/plan/priorities';
import { configWith, configWithFourClients, resourcesOf, synthAll } from '../helpers';

const REMOTE = (stack: string, output: string) => `\${data.terraform_remote_state.remote-state-${stack}.outputs.${output}}`;
const ALB_SG = '${aws_security_group.alb-sg_group_9A38C153.id}';
const NLB_SG = REMOTE('cluster', 'ingress_security_group_id');
const TARGETS = '${aws_lb_target_group.ingress-nlb-targets.arn}';

/** How the edge stack reads app client `key`'s id: by key, the placeholder only while auth's state predates `keys`. */
function clientIdOf(key: string, keys: readonly string[]): string {
  const index = key === 'alb' ? '.alb' : `["${key}"]`;
  return `(data.terraform_remote_state.remote-state-auth.outputs.outputs_contract == "${authContract(keys)}") ? data.terraform_remote_state.remote-state-auth.outputs.client_ids${index} : "${PLACEHOLDER_CLIENT_ID}"`;
}

/** The authenticate-cognito settings of app client `key`, every one explicit. */
function signInWith(key: string, keys: readonly string[], onUnauthenticatedRequest: 'authenticate' | 'deny' | 'allow') {
  return {
    user_pool_arn: REMOTE('auth', 'user_pool_arn'),
    user_pool_client_id: `\${${clientIdOf(key, keys)}}`,
    user_pool_domain: REMOTE('auth', 'cognito_domain'),
    scope: 'openid email profile',
    session_cookie_name: 'AWSELBAuthSessionCookie',
    session_timeout: 28800,
    on_unauthenticated_request: onUnauthenticatedRequest,
  };
}

describe('edge stack', () => {
  // GIVEN the example plus a protected API host with many public paths, whose XHR paths answer 401
  const apps = [
    ...EXAMPLE_CONFIG.apps,
    {
      name: 'api',
      host: 'api.dev.example.com',
      access: 'protected' as const,
      publicPaths: ['/hooks/a', '/hooks/b', '/hooks/c', '/hooks/d', '/hooks/e'],
      denyPaths: ['/hooks/*', '/api/*'],
    },
  ];
  const { json, tf, stacks } = synthAll(configWith({ apps }));
  const rules = resourcesOf(tf.edge, 'aws_lb_listener_rule');
  const onHost = (host: string) => rules.filter((r) => r.condition[0].host_header?.values[0] === host);

  test('the ALB is internet-facing, drops invalid headers and is protected from deletion', () => {
    expect(json.edge).toHaveResourceWithProperties(Lb, {
      name: 'dev-central-auth',
      load_balancer_type: 'application',
      internal: false,
      drop_invalid_header_fields: true,
      enable_deletion_protection: true,
      desync_mitigation_mode: 'defensive',
      subnets: ['subnet-0a1b2c3d4e5f60001', 'subnet-0a1b2c3d4e5f60002'],
      security_groups: [ALB_SG],
    });
  });

  test('HTTPS signs in with Cognito first, then forwards, with every authenticate-cognito setting explicit', () => {
    expect(json.edge).toHaveResourceWithProperties(LbListener, {
      port: 443,
      protocol: 'HTTPS',
      ssl_policy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      certificate_arn: '${aws_acm_certificate_validation.cert-wildcard_issued_3717DF60.certificate_arn}',
      default_action: [
        { type: 'authenticate-cognito', order: 1, authenticate_cognito: signInWith('alb', ['alb'], 'authenticate') },
        { type: 'forward', order: 2, target_group_arn: TARGETS },
      ],
    });
    // THEN nothing of the OIDC endpoints or the client secret reaches this stack
    expect(JSON.stringify(tf.edge)).not.toMatch(/authenticate_oidc|client_secret/);
  });

  test('HTTP only redirects to HTTPS', () => {
    expect(json.edge).toHaveResourceWithProperties(LbListener, {
      port: 80,
      protocol: 'HTTP',
      default_action: [{ type: 'redirect', redirect: { protocol: 'HTTPS', port: '443', status_code: 'HTTP_301' } }],
    });
  });

  test('public hosts skip authentication', () => {
    expect(json.edge).toHaveResourceWithProperties(LbListenerRule, {
      condition: [{ host_header: { values: ['status.dev.example.com'] } }],
      action: [{ type: 'forward', order: 1, target_group_arn: TARGETS }],
    });
  });

  test('public paths are packed four per rule, next to the host condition (five condition values at most)', () => {
    const publicPathRules = onHost('api.dev.example.com').filter((r) => r.action[0].type === 'forward');
    expect(publicPathRules.map((r) => r.condition[1].path_pattern.values)).toEqual([
      ['/hooks/a', '/hooks/b', '/hooks/c', '/hooks/d'],
      ['/hooks/e'],
    ]);
    for (const rule of rules) {
      const values = rule.condition.reduce(
        (n: number, c: any) => n + Object.values(c).reduce((m: number, v: any) => m + v.values.length, 0),
        0,
      );
      expect(values).toBeLessThanOrEqual(5);
    }
  });

  test('deny paths answer 401 without a session, after the public paths they overlap and before the host-wide rules', () => {
    const deny = rules.filter((r) => r.action[0].authenticate_cognito?.on_unauthenticated_request === 'deny');
    expect(deny.map((r) => [r.condition, r.action])).toEqual([
      [
        [{ host_header: { values: ['api.dev.example.com'] } }, { path_pattern: { values: ['/api/*', '/hooks/*'] } }],
        [
          { type: 'authenticate-cognito', order: 1, authenticate_cognito: signInWith('alb', ['alb'], 'deny') },
          { type: 'forward', order: 2, target_group_arn: TARGETS },
        ],
      ],
    ]);
    const [{ priority }] = deny as [{ priority: number }];
    expect(priority).toBeGreaterThanOrEqual(PRIORITY_RANGES.denyPaths.first);
    expect(priority).toBeLessThanOrEqual(PRIORITY_RANGES.denyPaths.last);
    // THEN /hooks/a stays public although /hooks/* denies: the ALB evaluates the lower priority first
    const publicPriorities = onHost('api.dev.example.com')
      .filter((r) => r.action[0].type === 'forward')
      .map((r) => r.priority);
    expect(Math.max(...publicPriorities)).toBeLessThan(priority);
    const hostWide = rules.filter((r) => r.condition.length === 1 && r.condition[0].host_header);
    expect(priority).toBeLessThan(Math.min(...hostWide.map((r) => r.priority)));
  });

  test('no rule and no default action denies a whole host: every deny carries a path condition', () => {
    const actions = [...rules.map((r) => [r.condition, r.action[0]]), [[], tf.edge.resource.aws_lb_listener!.https.default_action[0]]];
    const denying = actions.filter(([, a]) => a.authenticate_cognito?.on_unauthenticated_request === 'deny');
    expect(denying).toHaveLength(1);
    for (const [condition] of denying) expect(condition.some((c: any) => c.path_pattern)).toBe(true);
  });

  test('rule priorities are unique, path rules come before host-wide rules, sign-out first', () => {
    const priorities = rules.map((r) => r.priority);
    expect(new Set(priorities).size).toBe(priorities.length);
    const pathRules = rules.filter((r) => r.condition.some((c: any) => c.path_pattern) && r.condition.some((c: any) => c.host_header));
    const hostRules = rules.filter((r) => !r.condition.some((c: any) => c.path_pattern));
    expect(Math.max(...pathRules.map((r) => r.priority))).toBeLessThan(Math.min(...hostRules.map((r) => r.priority)));
    expect(Math.min(...priorities)).toBe(1);
  });

  test("targets are the internal NLB's pinned private IPs, one attachment per subnet", () => {
    expect(json.edge).toHaveResourceWithProperties(LbTargetGroup, {
      name_prefix: 'ing-',
      tags: { Name: 'dev-ca-ingress' },
      lifecycle: { create_before_destroy: true },
      target_type: 'ip',
      protocol: 'HTTP',
      port: 80,
      vpc_id: 'vpc-0123456789abcdef0',
      health_check: expect.objectContaining({ path: '/healthz', matcher: '200' }),
    });
    const attachments = Object.entries<any>(tf.edge.resource.aws_lb_target_group_attachment!).filter(
      ([, a]) => a.target_group_arn === TARGETS,
    );
    expect(attachments.map(([id, a]) => [id, a.target_id, a.port])).toEqual([
      ['ingress-nlb-subnet-0a1b2c3d4e5f61001', '10.0.31.228', 80],
      ['ingress-nlb-subnet-0a1b2c3d4e5f61002', '10.0.47.228', 80],
    ]);
  });

  test('the ALB security group is open on 80 and 443 only, reaches only the NLB and Cognito, and every rule is described', () => {
    const albIngress = resourcesOf(tf.edge, 'aws_vpc_security_group_ingress_rule').filter((r) => r.security_group_id === ALB_SG);
    expect(albIngress.map((r) => [r.cidr_ipv4, r.ip_protocol, r.from_port, r.to_port])).toEqual([
      ['0.0.0.0/0', 'tcp', 443, 443],
      ['0.0.0.0/0', 'tcp', 80, 80],
    ]);
    const albEgress = resourcesOf(tf.edge, 'aws_vpc_security_group_egress_rule').filter((r) => r.security_group_id === ALB_SG);
    expect(albEgress.map((r) => [r.referenced_security_group_id ?? r.cidr_ipv4, r.ip_protocol, r.from_port, r.to_port])).toEqual([
      ['0.0.0.0/0', 'tcp', 443, 443],
      // the NLB by its pinned addresses, never by its group (another stack's, replaceable)
      ['10.0.31.228/32', 'tcp', 80, 80],
      ['10.0.47.228/32', 'tcp', 80, 80],
    ]);
    const groupRules = [
      ...resourcesOf(tf.edge, 'aws_vpc_security_group_ingress_rule'),
      ...resourcesOf(tf.edge, 'aws_vpc_security_group_egress_rule'),
    ];
    groupRules.forEach((r) => expect(r.description).toMatch(/\w{5,}/));
    expect(resourcesOf(tf.edge, 'aws_security_group').map((g) => [g.name_prefix, g.vpc_id, g.lifecycle])).toEqual([
      ['dev-central-auth-alb-', 'vpc-0123456789abcdef0', { create_before_destroy: true }],
    ]);
  });

  test("the NLB's security group (the cluster stack's) admits only the ALB security group, by a rule of this stack", () => {
    const nlbIngress = resourcesOf(tf.edge, 'aws_vpc_security_group_ingress_rule').filter((r) => r.security_group_id === NLB_SG);
    expect(
      nlbIngress.map((r) => [r.referenced_security_group_id, r.cidr_ipv4, r.ip_protocol, r.from_port, r.to_port, r.description]),
    ).toEqual([[ALB_SG, undefined, 'tcp', 80, 80, 'HTTP from the central auth ALB only']]);
  });

  test('every host gets an alias record to the ALB', () => {
    const aliases = resourcesOf(tf.edge, 'aws_route53_record').filter((r) => r.alias);
    expect(aliases.map((r) => r.name).sort()).toEqual([
      'api.dev.example.com',
      'echo.dev.example.com',
      'grafana.dev.example.com',
      'status.dev.example.com',
    ]);
    expect(json.edge).toHaveResourceWithProperties(Route53Record, {
      type: 'A',
      alias: { name: '${aws_lb.alb.dns_name}', zone_id: '${aws_lb.alb.zone_id}', evaluate_target_health: true },
    });
  });

  test('the edge stack reads the two other stacks through remote state and deploys after them', () => {
    expect(Object.keys(tf.edge.data.terraform_remote_state).sort()).toEqual(['remote-state-auth', 'remote-state-cluster']);
    expect(stacks.edge.dependencies.map((s) => s.node.id)).toEqual([STACKS.cluster]);
    expect(stacks.cluster.dependencies.map((s) => s.node.id)).toEqual([STACKS.auth]);
    expect(stacks.auth.dependencies).toEqual([]);
  });
});

describe('certificates', () => {
  // GIVEN the example plus one host two labels below the zone (wildcard strategy)
  const { json, tf } = synthAll(
    configWith({ apps: [...EXAMPLE_CONFIG.apps, { name: 'deep', host: 'api.team.dev.example.com', access: 'protected' }] }),
  );

  test('one wildcard certificate covers the zone, each deeper parent domain gets its own wildcard', () => {
    const certs = resourcesOf(tf.edge, 'aws_acm_certificate');
    expect(certs.map((c) => [c.domain_name, c.subject_alternative_names]).sort()).toEqual([
      ['*.dev.example.com', ['dev.example.com']],
      ['*.team.dev.example.com', undefined],
    ]);
  });

  test('certificates are DNS validated, logged to CT and replaced before destroyed', () => {
    expect(json.edge).toHaveResourceWithProperties(AcmCertificate, {
      validation_method: 'DNS',
      options: { certificate_transparency_logging_preference: 'ENABLED' },
      lifecycle: { create_before_destroy: true },
    });
    expect(json.edge).toHaveDataSourceWithProperties(DataAwsRoute53Zone, { name: 'dev.example.com', private_zone: false });
  });

  test('validation records are created per domain and awaited', () => {
    expect(json.edge).toHaveResourceWithProperties(Route53Record, {
      for_each: expect.stringMatching(
        /^\$\{\{ for key, val in tolist\(aws_acm_certificate\.[\w-]+\.domain_validation_options\): val\.domain_name => val \}\}$/,
      ),
      name: '${each.value.resource_record_name}',
      records: ['${each.value.resource_record_value}'],
      allow_overwrite: true,
    });
    const validations = resourcesOf(tf.edge, 'aws_acm_certificate_validation');
    expect(validations).toHaveLength(2);
    expect(validations[0].validation_record_fqdns).toMatch(/^\$\{\[ for key, val in aws_route53_record\.[\w-]+: val\.fqdn\]\}$/);
  });

  test('the listener uses the validated ARNs of this stack: the zone wildcard by default, the deeper one as a listener certificate', () => {
    expect(tf.edge.resource.aws_lb_listener!.https.certificate_arn).toBe(
      '${aws_acm_certificate_validation.cert-wildcard_issued_3717DF60.certificate_arn}',
    );
    expect(tf.edge.resource.aws_lb_listener_certificate).toEqual({
      'listener-cert-_team_dev_example_com': expect.objectContaining({
        listener_arn: '${aws_lb_listener.https.arn}',
        certificate_arn: '${aws_acm_certificate_validation.cert-teamdevexamplecom_issued_16CD9392.certificate_arn}',
      }),
    });
  });
});

describe('edge stack with per-host certificates, access logs and WAF', () => {
  const { tf } = synthAll(
    configWith({
      certificates: 'per-host',
      alb: {
        accessLogs: { bucket: 'acme-alb-logs', prefix: 'dev' },
      },
      waf: { mode: 'existing', webAclArn: 'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/dev/0b0c0d0e-1111-2222-3333-444455556666' },
    }),
  );

  test('the first certificate is the default and the rest are listener certificates', () => {
    expect(tf.edge.resource.aws_lb_listener!.https.certificate_arn).toBe(
      '${aws_acm_certificate_validation.cert-echodevexamplecom_issued_E7E0AAC8.certificate_arn}',
    );
    const extra = resourcesOf(tf.edge, 'aws_lb_listener_certificate')
      .map((c) => c.certificate_arn)
      .sort();
    expect(extra).toEqual([
      '${aws_acm_certificate_validation.cert-grafanadevexamplecom_issued_33579B28.certificate_arn}',
      '${aws_acm_certificate_validation.cert-statusdevexamplecom_issued_8C7031AF.certificate_arn}',
    ]);
    expect(resourcesOf(tf.edge, 'aws_acm_certificate').map((c) => c.domain_name)).toEqual([
      'echo.dev.example.com',
      'grafana.dev.example.com',
      'status.dev.example.com',
    ]);
  });

  test('access logs and the WAF association follow the config', () => {
    expect(tf.edge.resource.aws_lb!.alb.access_logs).toEqual({ bucket: 'acme-alb-logs', prefix: 'dev', enabled: true });
    expect(resourcesOf(tf.edge, 'aws_wafv2_web_acl_association')).toEqual([
      {
        resource_arn: '${aws_lb.alb.arn}',
        web_acl_arn: 'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/dev/0b0c0d0e-1111-2222-3333-444455556666',
      },
      // The user pool, through the auth stack's output: both front doors behind the same web ACL.
      {
        resource_arn: '${data.terraform_remote_state.remote-state-auth.outputs.user_pool_arn}',
        web_acl_arn: 'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/dev/0b0c0d0e-1111-2222-3333-444455556666',
      },
    ]);
    // An existing web ACL: none is created here.
    expect(resourcesOf(tf.edge, 'aws_wafv2_web_acl')).toEqual([]);
  });
});

describe('edge stack with several app clients', () => {
  // GIVEN seven protected hosts on four app clients
  const config = configWithFourClients();
  const { edge } = planDeployment(config);
  const { tf } = synthAll(config);
  const keys = edge.clientKeys;

  test("each client's hosts sign in with that client, read by key", () => {
    expect(keys).toEqual(['alb', 'alb-1', 'alb-2', 'alb-3']);
    const signIns = resourcesOf(tf.edge, 'aws_lb_listener_rule')
      .filter((r) => r.action[0].type === 'authenticate-cognito' && r.priority !== 1)
      .map((r) => [r.condition[0].host_header.values, r.action[0].authenticate_cognito]);
    expect(signIns).toEqual(
      edge.rules.filter((r) => r.kind === 'client-hosts').map((r) => [r.hosts, signInWith(r.client!, keys, 'authenticate')]),
    );
    expect(signIns.map(([, a]) => a.user_pool_client_id)).toEqual([
      expect.stringContaining('client_ids["alb-1"]'),
      expect.stringContaining('client_ids["alb-2"]'),
      expect.stringContaining('client_ids["alb-3"]'),
    ]);
  });

  test('the sign-out function gets every client id in the order of its host-to-client indexes', () => {
    const [fn] = resourcesOf(tf.edge, 'aws_lambda_function');
    expect(fn!.environment.variables.CLIENT_IDS).toBe(`\${join(",", [${keys.map((k) => clientIdOf(k, keys)).join(', ')}])}`);
    expect(edge.signout.clientKeys).toEqual(keys);
  });
});

describe('rule priorities', () => {
  test('adding a rule key leaves every other key where it was', () => {
    const keys = Array.from({ length: 200 }, (_, i) => `app${i}.dev.example.com`);
    const before = new RulePriorities(keys);
    const after = new RulePriorities([...keys, 'new.dev.example.com']);
    keys.forEach((k) => expect(after.priority(k)).toBe(before.priority(k)));
  });

  test('colliding hashes are settled by key order into distinct priorities within the range', () => {
    // GIVEN two keys that hash to the same slot of a 100-priority range
    const range = { first: 200, last: 299 };
    const seen = new Map<number, string>();
    let pair: [string, string] | undefined;
    for (let i = 0; !pair; i++) {
      const key = `h${i}.example.com`;
      const slot = fnv1a(key) % 100;
      const other = seen.get(slot);
      if (other) pair = [other, key];
      seen.set(slot, key);
    }
    // WHEN both get priorities THEN the first in key order keeps the slot and the other takes the next
    const priorities = new RulePriorities(pair, range);
    const [first, second] = [...pair].sort();
    expect(priorities.priority(first!)).toBe(200 + (fnv1a(first!) % 100));
    expect(priorities.priority(second!)).toBe(200 + (((fnv1a(first!) % 100) + 1) % 100));
  });

  test('fails when asked for a key it does not know, or when keys outnumber the range', () => {
    expect(() => new RulePriorities(['a.example.com']).priority('b.example.com')).toThrow(
      'RulePriorities: rule "b.example.com" has no priority',
    );
    expect(() => new RulePriorities(['a', 'b', 'c'], { first: 1, last: 2 })).toThrow('RulePriorities: 3 rules do not fit priorities 1-2');
  });
});

describe('sign-out endpoint', () => {
  // GIVEN the example config
  const { json, tf } = synthAll(configWith());
  const fn = resourcesOf(tf.edge, 'aws_lambda_function')[0]!;

  test('a Lambda target group with multi-value headers, invokable only by the ALB through that group', () => {
    expect(json.edge).toHaveResourceWithProperties(LbTargetGroup, {
      name_prefix: 'sgo-',
      tags: { Name: 'dev-ca-signout' },
      target_type: 'lambda',
      lambda_multi_value_headers_enabled: true,
    });
    const [permission] = resourcesOf(tf.edge, 'aws_lambda_permission');
    expect(permission).toMatchObject({
      action: 'lambda:InvokeFunction',
      principal: 'elasticloadbalancing.amazonaws.com',
      source_arn: expect.stringMatching(/^\$\{aws_lb_target_group\.signout_targets_\w+\.arn\}$/),
    });
    const [attachment] = resourcesOf(tf.edge, 'aws_lb_target_group_attachment').filter((a) => a.target_group_arn !== TARGETS);
    expect(attachment.target_id).toMatch(/^\$\{aws_lambda_function\.signout_function_\w+\.arn\}$/);
    expect(attachment.depends_on).toEqual([expect.stringMatching(/^aws_lambda_permission\./)]);
  });

  test('the sign-out path is the first rule, on every host, and reads a session without ever asking to sign in', () => {
    const rule = resourcesOf(tf.edge, 'aws_lb_listener_rule').find((r) => r.priority === 1)!;
    expect(rule.condition).toEqual([{ path_pattern: { values: ['/_auth/signout'] } }]);
    expect(rule.action).toEqual([
      { type: 'authenticate-cognito', order: 1, authenticate_cognito: signInWith('alb', ['alb'], 'allow') },
      { type: 'forward', order: 2, target_group_arn: expect.stringMatching(/signout_targets/) },
    ]);
    // AND its clear hop, where the cookies expire, forwards without any authenticate action
    const clear = resourcesOf(tf.edge, 'aws_lb_listener_rule').find((r) => r.priority === 2)!;
    expect(clear.condition).toEqual([{ path_pattern: { values: ['/_auth/signout/clear'] } }]);
    expect(clear.action).toEqual([{ type: 'forward', order: 1, target_group_arn: expect.stringMatching(/signout_targets/) }]);
  });

  test('the function gets the Cognito logout endpoint, client ids, issuer and JWKS from the auth stack, and keeps its logs 30 days', () => {
    expect(fn).toMatchObject({
      runtime: 'nodejs22.x',
      handler: 'lambda/signout/index.handler',
      timeout: 10,
      reserved_concurrent_executions: 10,
      environment: {
        variables: {
          COGNITO_LOGOUT_ENDPOINT: REMOTE('auth', 'logout_endpoint'),
          CLIENT_IDS: `\${join(",", [${clientIdOf('alb', ['alb'])}])}`,
          COGNITO_ISSUER_URL: REMOTE('auth', 'issuer_url'),
          COGNITO_JWKS_URL: REMOTE('auth', 'jwks_url'),
        },
      },
    });
    expect(resourcesOf(tf.edge, 'aws_cloudwatch_log_group')).toContainEqual(
      expect.objectContaining({ name: '/aws/lambda/dev-central-auth-signout', retention_in_days: 30 }),
    );
    const [policy] = resourcesOf(tf.edge, 'aws_iam_role_policy');
    expect(policy.policy).toContain('logs:PutLogEvents');
    expect(policy.policy).not.toContain('"*"');
  });

  test("the function may sign out only this pool's users, and nothing else of Cognito", () => {
    // THEN the role's one Cognito statement is AdminUserGlobalSignOut on the auth stack's pool
    const [policy] = resourcesOf(tf.edge, 'aws_iam_role_policy');
    const cognitoActions = [...String(policy.policy).matchAll(/cognito-idp:\w+/g)].map((m) => m[0]);
    expect(cognitoActions).toEqual(['cognito-idp:AdminUserGlobalSignOut']);
    expect(policy.policy).toContain(
      '{"Effect" = "Allow", "Action" = ["cognito-idp:AdminUserGlobalSignOut"], "Resource" = [data.terraform_remote_state.remote-state-auth.outputs.user_pool_arn]}',
    );
  });

  test("the package holds the handler and a config whose logout URIs are the app client's logout URLs", () => {
    // WHEN the app is really synthesized to disk
    const outdir = mkdtempSync(join(tmpdir(), 'central-auth-edge-'));
    const app = new App({ outdir });
    addCentralAuthStacks(app, deploymentOf(configWith()), { policyLog: () => {} });
    app.synth();
    const zip = join(outdir, 'stacks', 'edge', fn.filename);
    const listing = execFileSync('unzip', ['-Z1', zip], { encoding: 'utf8' }).trim().split('\n').sort();
    expect(listing).toEqual(['lambda/signout/config.json', ...signoutHandlerFiles()].sort());
    expect(listing).toContain('lambda/signout/index.js');
    const config = JSON.parse(execFileSync('unzip', ['-p', zip, 'lambda/signout/config.json'], { encoding: 'utf8' }));
    // THEN every protected host signs out through client 0 back to a URL Cognito allows
    const [client] = resourcesOf(tf.auth, 'aws_cognito_user_pool_client');
    expect(
      Object.values(config.hosts)
        .map((h: any) => h.logoutUri)
        .sort(),
    ).toEqual(client.logout_urls);
    expect(config).toMatchObject({
      cookieName: 'AWSELBAuthSessionCookie',
      shardCount: 4,
      signoutPath: '/_auth/signout',
      clearPath: '/_auth/signout/clear',
      defaultHost: 'echo.dev.example.com',
    });
    expect(fn.source_code_hash).toMatch(/^[0-9A-F]{32}$/);
  });
});
