import '../setup';
import { DataAwsLb } from '@cdktf/provider-aws/lib/data-aws-lb';
import { DataAwsNetworkInterfaces } from '@cdktf/provider-aws/lib/data-aws-network-interfaces';
import { Lb } from '@cdktf/provider-aws/lib/lb';
import { LbListener } from '@cdktf/provider-aws/lib/lb-listener';
import { LbListenerRule } from '@cdktf/provider-aws/lib/lb-listener-rule';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import { LbTargetGroupAttachment } from '@cdktf/provider-aws/lib/lb-target-group-attachment';
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
import { STACKS } from '../../modules/stacks/outputs';
import { fnv1a, RulePriorities } from '../../modules/plan/priorities';
import { configWith, resourcesOf, synthAll } from '../helpers';

const REMOTE = (stack: string, output: string) => `\${data.terraform_remote_state.remote-state-${stack}.outputs.${output}}`;

describe('edge stack', () => {
  // GIVEN the example plus a protected API host that answers 401 and has many public paths
  const apps = [
    ...EXAMPLE_CONFIG.apps,
    {
      name: 'api',
      host: 'api.dev.example.com',
      access: 'protected' as const,
      onUnauthenticated: 'deny' as const,
      publicPaths: ['/hooks/a', '/hooks/b', '/hooks/c', '/hooks/d', '/hooks/e'],
    },
  ];
  const { json, tf, stacks } = synthAll(configWith({ apps }));
  const rules = resourcesOf(tf.edge, 'aws_lb_listener_rule');

  test('the ALB is internet-facing, drops invalid headers and is protected from deletion', () => {
    expect(json.edge).toHaveResourceWithProperties(Lb, {
      name: 'dev-central-auth',
      load_balancer_type: 'application',
      internal: false,
      drop_invalid_header_fields: true,
      enable_deletion_protection: true,
      desync_mitigation_mode: 'defensive',
      subnets: ['subnet-0a1b2c3d4e5f60001', 'subnet-0a1b2c3d4e5f60002'],
      security_groups: [REMOTE('cluster', 'alb_security_group_id')],
    });
  });

  test('HTTPS signs in with Cognito first, then forwards, with every OIDC setting explicit', () => {
    expect(json.edge).toHaveResourceWithProperties(LbListener, {
      port: 443,
      protocol: 'HTTPS',
      ssl_policy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      certificate_arn: '${data.terraform_remote_state.remote-state-certs.outputs.certificate_arns.wildcard}',
      default_action: [
        {
          type: 'authenticate-oidc',
          order: 1,
          authenticate_oidc: {
            authorization_endpoint: REMOTE('auth', 'authorization_endpoint'),
            token_endpoint: REMOTE('auth', 'token_endpoint'),
            user_info_endpoint: REMOTE('auth', 'userinfo_endpoint'),
            issuer: REMOTE('auth', 'issuer_url'),
            client_id: '${element(data.terraform_remote_state.remote-state-auth.outputs.client_ids, 0)}',
            client_secret: '${element(data.terraform_remote_state.remote-state-auth.outputs.client_secrets, 0)}',
            scope: 'openid email profile',
            session_cookie_name: 'AWSELBAuthSessionCookie',
            session_timeout: 28800,
            on_unauthenticated_request: 'authenticate',
          },
        },
        { type: 'forward', order: 2, target_group_arn: '${aws_lb_target_group.ingress-nlb-targets.arn}' },
      ],
    });
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
      action: [{ type: 'forward', order: 1, target_group_arn: '${aws_lb_target_group.ingress-nlb-targets.arn}' }],
    });
  });

  test('public paths are packed four per rule, next to the host condition (five condition values at most)', () => {
    const apiPathRules = rules.filter((r) => r.condition.length === 2 && r.condition[0].host_header.values[0] === 'api.dev.example.com');
    expect(apiPathRules.map((r) => r.condition[1].path_pattern.values)).toEqual([
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

  test('a deny host answers 401 after its public paths are considered', () => {
    const deny = rules.find((r) => r.action[0].type === 'authenticate-oidc')!;
    expect(deny.condition).toEqual([{ host_header: { values: ['api.dev.example.com'] } }]);
    expect(deny.action[0].authenticate_oidc.on_unauthenticated_request).toBe('deny');
    const pathPriorities = rules
      .filter((r) => r.condition.length === 2 && r.condition[0].host_header.values[0] === 'api.dev.example.com')
      .map((r) => r.priority);
    expect(Math.max(...pathPriorities)).toBeLessThan(deny.priority);
  });

  test('rule priorities are unique, path rules come before host-wide rules, sign-out first', () => {
    const priorities = rules.map((r) => r.priority);
    expect(new Set(priorities).size).toBe(priorities.length);
    const pathRules = rules.filter((r) => r.condition.some((c: any) => c.path_pattern) && r.condition.some((c: any) => c.host_header));
    const hostRules = rules.filter((r) => !r.condition.some((c: any) => c.path_pattern));
    expect(Math.max(...pathRules.map((r) => r.priority))).toBeLessThan(Math.min(...hostRules.map((r) => r.priority)));
    expect(Math.min(...priorities)).toBe(1);
  });

  test('targets are the internal NLB private IPs found through the AWS API', () => {
    expect(json.edge).toHaveResourceWithProperties(LbTargetGroup, {
      name_prefix: 'ing-',
      lifecycle: { create_before_destroy: true },
      target_type: 'ip',
      protocol: 'HTTP',
      port: 80,
      vpc_id: 'vpc-0123456789abcdef0',
      health_check: expect.objectContaining({ path: '/healthz', matcher: '200' }),
    });
    expect(json.edge).toHaveDataSourceWithProperties(DataAwsLb, { tags: REMOTE('cluster', 'ingress_nlb_tags') });
    expect(json.edge).toHaveDataSourceWithProperties(DataAwsNetworkInterfaces, {
      filter: [
        { name: 'description', values: ['ELB ${data.aws_lb.ingress-nlb.arn_suffix}'] },
        { name: 'vpc-id', values: ['vpc-0123456789abcdef0'] },
      ],
    });
    expect(json.edge).toHaveResourceWithProperties(LbTargetGroupAttachment, {
      for_each: '${data.aws_network_interface.ingress-nlb-eni}',
      target_id: '${each.value.private_ip}',
      port: 80,
    });
    expect(tf.edge.data.aws_network_interface['ingress-nlb-eni']).toMatchObject({
      for_each: '${toset(data.aws_network_interfaces.ingress-nlb-enis.ids)}',
      id: '${each.value}',
    });
  });

  test('every host gets an alias record to the ALB', () => {
    const aliases = resourcesOf(tf.edge, 'aws_route53_record');
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

  test('the edge stack reads the three other stacks through remote state and deploys after them', () => {
    expect(Object.keys(tf.edge.data.terraform_remote_state).sort()).toEqual([
      'remote-state-auth',
      'remote-state-certs',
      'remote-state-cluster',
    ]);
    expect(stacks.edge.dependencies.map((s) => s.node.id)).toEqual([STACKS.cluster]);
    expect(stacks.cluster.dependencies.map((s) => s.node.id)).toEqual([STACKS.certs]);
    expect(stacks.certs.dependencies.map((s) => s.node.id)).toEqual([STACKS.auth]);
  });
});

describe('edge stack with per-host certificates, access logs and WAF', () => {
  const { tf } = synthAll(
    configWith({
      certificates: 'per-host',
      alb: {
        accessLogs: { bucket: 'acme-alb-logs', prefix: 'dev' },
        webAclArn: 'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/dev/0b0c0d0e-1111-2222-3333-444455556666',
      },
    }),
  );

  test('the first certificate is the default and the rest are listener certificates', () => {
    expect(tf.edge.resource.aws_lb_listener.https.certificate_arn).toBe(
      '${data.terraform_remote_state.remote-state-certs.outputs.certificate_arns["echo.dev.example.com"]}',
    );
    const extra = resourcesOf(tf.edge, 'aws_lb_listener_certificate')
      .map((c) => c.certificate_arn)
      .sort();
    expect(extra).toEqual([
      '${data.terraform_remote_state.remote-state-certs.outputs.certificate_arns["grafana.dev.example.com"]}',
      '${data.terraform_remote_state.remote-state-certs.outputs.certificate_arns["status.dev.example.com"]}',
    ]);
  });

  test('access logs and the WAF association follow the config', () => {
    expect(tf.edge.resource.aws_lb.alb.access_logs).toEqual({ bucket: 'acme-alb-logs', prefix: 'dev', enabled: true });
    expect(resourcesOf(tf.edge, 'aws_wafv2_web_acl_association')).toEqual([
      {
        resource_arn: '${aws_lb.alb.arn}',
        web_acl_arn: 'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/dev/0b0c0d0e-1111-2222-3333-444455556666',
      },
    ]);
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
      name: 'dev-ca-signout',
      target_type: 'lambda',
      lambda_multi_value_headers_enabled: true,
    });
    const [permission] = resourcesOf(tf.edge, 'aws_lambda_permission');
    expect(permission).toMatchObject({
      action: 'lambda:InvokeFunction',
      principal: 'elasticloadbalancing.amazonaws.com',
      source_arn: expect.stringMatching(/^\$\{aws_lb_target_group\.signout_targets_\w+\.arn\}$/),
    });
    const [attachment] = resourcesOf(tf.edge, 'aws_lb_target_group_attachment').filter((a) => !a.for_each);
    expect(attachment.target_id).toMatch(/^\$\{aws_lambda_function\.signout_function_\w+\.arn\}$/);
    expect(attachment.depends_on).toEqual([expect.stringMatching(/^aws_lambda_permission\./)]);
  });

  test('the sign-out path is the first rule, on every host, and forwards without signing in', () => {
    const rule = resourcesOf(tf.edge, 'aws_lb_listener_rule').find((r) => r.priority === 1)!;
    expect(rule.condition).toEqual([{ path_pattern: { values: ['/_auth/signout'] } }]);
    expect(rule.action).toEqual([{ type: 'forward', order: 1, target_group_arn: expect.stringMatching(/signout_targets/) }]);
  });

  test('the function gets the Cognito logout endpoint and client ids from the auth stack, and keeps its logs 30 days', () => {
    expect(fn).toMatchObject({
      runtime: 'nodejs22.x',
      handler: 'index.handler',
      environment: {
        variables: {
          COGNITO_LOGOUT_ENDPOINT: REMOTE('auth', 'logout_endpoint'),
          CLIENT_IDS: '${join(",", data.terraform_remote_state.remote-state-auth.outputs.client_ids)}',
        },
      },
    });
    expect(resourcesOf(tf.edge, 'aws_cloudwatch_log_group')).toEqual([
      expect.objectContaining({ name: '/aws/lambda/dev-central-auth-signout', retention_in_days: 30 }),
    ]);
    const [policy] = resourcesOf(tf.edge, 'aws_iam_role_policy');
    expect(policy.policy).toContain('logs:PutLogEvents');
    expect(policy.policy).not.toContain('"*"');
  });

  test("the package holds the handler and a config whose logout URIs are the app client's logout URLs", () => {
    // WHEN the app is really synthesized to disk
    const outdir = mkdtempSync(join(tmpdir(), 'central-auth-edge-'));
    const app = new App({ outdir });
    addCentralAuthStacks(app, deploymentOf(configWith()));
    app.synth();
    const zip = join(outdir, 'stacks', 'edge', fn.filename);
    const listing = execFileSync('unzip', ['-Z1', zip], { encoding: 'utf8' }).trim().split('\n').sort();
    expect(listing).toEqual(['config.json', ...signoutHandlerFiles()].sort());
    expect(listing).toContain('index.js');
    const config = JSON.parse(execFileSync('unzip', ['-p', zip, 'config.json'], { encoding: 'utf8' }));
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
      defaultHost: 'echo.dev.example.com',
    });
    expect(fn.source_code_hash).toMatch(/^[0-9A-F]{32}$/);
  });
});
