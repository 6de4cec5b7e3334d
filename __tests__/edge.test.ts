import { DataAwsLb } from '@cdktf/provider-aws/lib/data-aws-lb';
import { DataAwsNetworkInterfaces } from '@cdktf/provider-aws/lib/data-aws-network-interfaces';
import { Lb } from '@cdktf/provider-aws/lib/lb';
import { LbListener } from '@cdktf/provider-aws/lib/lb-listener';
import { LbListenerRule } from '@cdktf/provider-aws/lib/lb-listener-rule';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import { LbTargetGroupAttachment } from '@cdktf/provider-aws/lib/lb-target-group-attachment';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import { EXAMPLE_CONFIG } from '../modules/config/example';
import { STACKS } from '../modules/outputs';
import { fnv1a, PRIORITIES_PER_HOST, RulePriorities } from '../modules/rule-priorities';
import { configWith, resourcesOf, synthAll } from './helpers';

const REMOTE = (stack: string, output: string) => `\${data.terraform_remote_state.remote-state-${stack}.outputs.${output}}`;

describe('edge stack', () => {
  // GIVEN the example plus a protected API host that answers 401 and has many public paths
  const apps = [
    ...EXAMPLE_CONFIG.apps,
    { name: 'api', host: 'api.dev.example.com', access: 'protected' as const, onUnauthenticated: 'deny' as const, publicPaths: ['/hooks/a', '/hooks/b', '/hooks/c', '/hooks/d', '/hooks/e'] },
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
            client_id: REMOTE('auth', 'client_id'),
            client_secret: REMOTE('auth', 'client_secret'),
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
    expect(apiPathRules.map((r) => r.condition[1].path_pattern.values)).toEqual([['/hooks/a', '/hooks/b', '/hooks/c', '/hooks/d'], ['/hooks/e']]);
    for (const rule of rules) {
      const values = rule.condition.reduce((n: number, c: any) => n + Object.values(c).reduce((m: number, v: any) => m + v.values.length, 0), 0);
      expect(values).toBeLessThanOrEqual(5);
    }
  });

  test('a deny host answers 401 after its public paths are considered', () => {
    const deny = rules.find((r) => r.action[0].type === 'authenticate-oidc')!;
    expect(deny.condition).toEqual([{ host_header: { values: ['api.dev.example.com'] } }]);
    expect(deny.action[0].authenticate_oidc.on_unauthenticated_request).toBe('deny');
    const pathPriorities = rules.filter((r) => r.condition.length === 2 && r.condition[0].host_header.values[0] === 'api.dev.example.com').map((r) => r.priority);
    expect(Math.max(...pathPriorities)).toBeLessThan(deny.priority);
  });

  test('rule priorities are unique and come from the host name, not list position', () => {
    const priorities = rules.map((r) => r.priority);
    expect(new Set(priorities).size).toBe(priorities.length);
    const blocks = new RulePriorities(['status.dev.example.com']);
    const status = rules.find((r) => r.condition[0].host_header?.values[0] === 'status.dev.example.com')!;
    expect(status.priority).toBe(blocks.priority('status.dev.example.com', PRIORITIES_PER_HOST - 1));
  });

  test('targets are the internal NLB private IPs found through the AWS API', () => {
    expect(json.edge).toHaveResourceWithProperties(LbTargetGroup, { target_type: 'ip', protocol: 'HTTP', port: 80, vpc_id: 'vpc-0123456789abcdef0', health_check: expect.objectContaining({ path: '/healthz', matcher: '200' }) });
    expect(json.edge).toHaveDataSourceWithProperties(DataAwsLb, { tags: REMOTE('cluster', 'ingress_nlb_tags') });
    expect(json.edge).toHaveDataSourceWithProperties(DataAwsNetworkInterfaces, { filter: [{ name: 'description', values: ['ELB ${data.aws_lb.ingress-nlb.arn_suffix}'] }, { name: 'vpc-id', values: ['vpc-0123456789abcdef0'] }] });
    expect(json.edge).toHaveResourceWithProperties(LbTargetGroupAttachment, { for_each: '${data.aws_network_interface.ingress-nlb-eni}', target_id: '${each.value.private_ip}', port: 80 });
    expect(tf.edge.data.aws_network_interface['ingress-nlb-eni']).toMatchObject({ for_each: '${toset(data.aws_network_interfaces.ingress-nlb-enis.ids)}', id: '${each.value}' });
  });

  test('every host gets an alias record to the ALB', () => {
    const aliases = resourcesOf(tf.edge, 'aws_route53_record');
    expect(aliases.map((r) => r.name).sort()).toEqual(['api.dev.example.com', 'echo.dev.example.com', 'grafana.dev.example.com', 'status.dev.example.com']);
    expect(json.edge).toHaveResourceWithProperties(Route53Record, { type: 'A', alias: { name: '${aws_lb.alb.dns_name}', zone_id: '${aws_lb.alb.zone_id}', evaluate_target_health: true } });
  });

  test('the edge stack reads the three other stacks through remote state and deploys after them', () => {
    expect(Object.keys(tf.edge.data.terraform_remote_state).sort()).toEqual(['remote-state-auth', 'remote-state-certs', 'remote-state-cluster']);
    expect(stacks.edge.dependencies.map((s) => s.node.id)).toEqual([STACKS.cluster]);
    expect(stacks.cluster.dependencies.map((s) => s.node.id)).toEqual([STACKS.certs]);
    expect(stacks.certs.dependencies.map((s) => s.node.id)).toEqual([STACKS.auth]);
  });
});

describe('edge stack with per-host certificates, access logs and WAF', () => {
  const { tf } = synthAll(configWith({
    certificates: 'per-host',
    alb: { accessLogs: { bucket: 'acme-alb-logs', prefix: 'dev' }, webAclArn: 'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/dev/0b0c0d0e-1111-2222-3333-444455556666' },
  }));

  test('the first certificate is the default and the rest are listener certificates', () => {
    expect(tf.edge.resource.aws_lb_listener.https.certificate_arn).toBe('${data.terraform_remote_state.remote-state-certs.outputs.certificate_arns["echo.dev.example.com"]}');
    const extra = resourcesOf(tf.edge, 'aws_lb_listener_certificate').map((c) => c.certificate_arn).sort();
    expect(extra).toEqual([
      '${data.terraform_remote_state.remote-state-certs.outputs.certificate_arns["grafana.dev.example.com"]}',
      '${data.terraform_remote_state.remote-state-certs.outputs.certificate_arns["status.dev.example.com"]}',
    ]);
  });

  test('access logs and the WAF association follow the config', () => {
    expect(tf.edge.resource.aws_lb.alb.access_logs).toEqual({ bucket: 'acme-alb-logs', prefix: 'dev', enabled: true });
    expect(resourcesOf(tf.edge, 'aws_wafv2_web_acl_association')).toEqual([{ resource_arn: '${aws_lb.alb.arn}', web_acl_arn: 'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/dev/0b0c0d0e-1111-2222-3333-444455556666' }]);
  });
});

describe('rule priorities', () => {
  test('adding a host leaves every other host where it was', () => {
    const hosts = Array.from({ length: 200 }, (_, i) => `app${i}.dev.example.com`);
    const before = new RulePriorities(hosts);
    const after = new RulePriorities([...hosts, 'new.dev.example.com']);
    hosts.forEach((h) => expect(after.priority(h, 0)).toBe(before.priority(h, 0)));
  });

  test('colliding hashes are settled by name order into distinct blocks', () => {
    // GIVEN two hosts that land on the same block
    const blocks = 4999;
    const seen = new Map<number, string>();
    let pair: [string, string] | undefined;
    for (let i = 0; !pair; i++) {
      const host = `h${i}.example.com`;
      const block = fnv1a(host) % blocks;
      const other = seen.get(block);
      if (other) pair = [other, host];
      seen.set(block, host);
    }
    // WHEN both are given priorities THEN they differ and all ten of each block are in range
    const priorities = new RulePriorities(pair);
    const all = pair.flatMap((h) => Array.from({ length: PRIORITIES_PER_HOST }, (_, k) => priorities.priority(h, k)));
    expect(new Set(all).size).toBe(2 * PRIORITIES_PER_HOST);
    all.forEach((p) => expect(p).toBeGreaterThanOrEqual(10) && expect(p).toBeLessThanOrEqual(50000));
  });

  test('fails when asked for a host it does not know or an index outside the block', () => {
    const priorities = new RulePriorities(['a.example.com']);
    expect(() => priorities.priority('b.example.com', 0)).toThrow('RulePriorities: host "b.example.com" has no priority block');
    expect(() => priorities.priority('a.example.com', 10)).toThrow('rule index 10 for "a.example.com" must be 0-9');
  });
});
