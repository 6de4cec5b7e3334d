import { EXAMPLE_CONFIG } from '../../modules/config/example';
import { APPLY_ORDER } from '../../modules/stacks/outputs';
import { configWith, resourcesOf, synthAll, type Synthesized } from '../helpers';

/**
 * Stacks are applied separately and minutes apart. A resource AWS refuses to delete while it is
 * in use (an ACM certificate on a listener, a security group on a load balancer) must be replaced
 * in the same apply as its user: so the user must reference it within its own stack.
 */
const CASES: [string, () => Synthesized][] = [
  ['the example', () => synthAll()],
  [
    'per-host certificates',
    () =>
      synthAll(
        configWith({ certificates: 'per-host', quotas: { certificatesPerAlb: 50 }, state: { backend: 's3', bucket: 'acme-tf-state' } }),
      ),
  ],
  [
    'grouped certificates over two parent domains',
    () =>
      synthAll(
        configWith({
          certificates: 'grouped',
          apps: [...EXAMPLE_CONFIG.apps, { name: 'deep', host: 'a.team.dev.example.com', access: 'protected' }],
        }),
      ),
  ],
];

const SAME_STACK_REF = /^\$\{aws_[a-z0-9_]+\.[\w-]+\.[\w.]+\}$/;

describe.each(CASES)('replacement ordering with %s', (_name, synth) => {
  const { tf } = synth();

  test('the HTTPS listener and its extra certificates use certificates of their own stack', () => {
    const [https] = resourcesOf(tf.edge, 'aws_lb_listener').filter((l) => l.protocol === 'HTTPS');
    const certificateArns = [https!.certificate_arn, ...resourcesOf(tf.edge, 'aws_lb_listener_certificate').map((c) => c.certificate_arn)];
    for (const arn of certificateArns) expect(arn).toMatch(/^\$\{aws_acm_certificate_validation\.[\w-]+\.certificate_arn\}$/);
    // THEN every planned certificate is attached exactly once
    expect(certificateArns).toHaveLength(resourcesOf(tf.edge, 'aws_acm_certificate').length);
    expect(new Set(certificateArns).size).toBe(certificateArns.length);
  });

  test("the ALB's security groups are of its own stack, and so is every rule naming them", () => {
    const [alb] = resourcesOf(tf.edge, 'aws_lb');
    expect(alb!.security_groups).toHaveLength(1);
    expect(alb!.security_groups[0]).toMatch(SAME_STACK_REF);
    const group = alb!.security_groups[0].replace(/^\$\{(.*)\.id\}$/, '$1');
    for (const stack of APPLY_ORDER.filter((s) => s !== 'edge')) expect(JSON.stringify(tf[stack])).not.toContain(group);
  });

  test('replaceable resources are created before the old ones are destroyed', () => {
    for (const type of ['aws_acm_certificate', 'aws_security_group', 'aws_lb_target_group']) {
      for (const stack of APPLY_ORDER) {
        for (const r of resourcesOf(tf[stack], type))
          expect([stack, type, r.lifecycle?.create_before_destroy]).toEqual([stack, type, true]);
      }
    }
  });

  test('no stack but edge has a certificate, a listener or the ALB', () => {
    for (const stack of APPLY_ORDER.filter((s) => s !== 'edge')) {
      for (const type of ['aws_acm_certificate', 'aws_lb_listener', 'aws_lb', 'aws_lb_listener_certificate']) {
        expect([stack, type, resourcesOf(tf[stack], type)]).toEqual([stack, type, []]);
      }
    }
  });

  test("the NLB's security group admits the ALB through a rule in the ALB's stack", () => {
    const admits = resourcesOf(tf.edge, 'aws_vpc_security_group_ingress_rule').filter((r) => r.referenced_security_group_id);
    expect(admits).toHaveLength(1);
    expect(admits[0]!.security_group_id).toBe('${data.terraform_remote_state.remote-state-cluster.outputs.ingress_security_group_id}');
    expect(admits[0]!.referenced_security_group_id).toMatch(/^\$\{aws_security_group\.[\w-]+\.id\}$/);
    // AND the cluster stack, applied earlier, names no ALB group at all
    expect(resourcesOf(tf.cluster, 'aws_vpc_security_group_ingress_rule')).toEqual([]);
  });
});

describe('security group references across stacks', () => {
  const { tf } = synthAll();

  test("no rule in a later stack names another stack's group as its peer: that group could never be replaced", () => {
    for (const stack of APPLY_ORDER) {
      for (const type of ['aws_vpc_security_group_ingress_rule', 'aws_vpc_security_group_egress_rule']) {
        for (const r of resourcesOf(tf[stack], type)) {
          expect([stack, r.description, JSON.stringify(r.referenced_security_group_id ?? '')]).not.toEqual([
            stack,
            r.description,
            expect.stringContaining('terraform_remote_state'),
          ]);
        }
      }
    }
    // THEN the ALB reaches the NLB by its pinned addresses
    const egress = resourcesOf(tf.edge, 'aws_vpc_security_group_egress_rule').filter((r) => r.from_port === 80);
    expect(egress.map((r) => r.cidr_ipv4)).toEqual(['10.0.31.228/32', '10.0.47.228/32']);
  });
});
