import { parse } from 'yaml';
import { ROUTER_POD_LABELS } from '../../modules/constructs/network-isolation';
import { resourcesOf, synthAll } from '../helpers';

describe('network isolation of the router and the apps', () => {
  // GIVEN the example synthesized once
  const { tf } = synthAll();
  const policies = Object.fromEntries(resourcesOf(tf.cluster, 'kubernetes_network_policy_v1').map((p) => [p.metadata.name, p]));

  test('the router accepts requests only from the NLB, its webhook only from the VPC, its metrics only from pods', () => {
    const router = policies['router-from-nlb-only'];
    expect(router.metadata.namespace).toBe('ingress-nginx');
    expect(router.spec.pod_selector.match_labels).toEqual(ROUTER_POD_LABELS);
    expect(router.spec.policy_types).toEqual(['Ingress']);
    expect(router.spec.ingress).toEqual([
      {
        from: [{ ip_block: { cidr: '10.0.31.228/32' } }, { ip_block: { cidr: '10.0.47.228/32' } }],
        ports: [{ port: '80', protocol: 'TCP' }],
      },
      { from: [{ ip_block: { cidr: '${data.aws_vpc.vpc.cidr_block}' } }], ports: [{ port: '8443', protocol: 'TCP' }] },
      { from: [{ namespace_selector: {} }], ports: [{ port: '10254', protocol: 'TCP' }] },
    ]);
  });

  test('every pod of the apps namespace accepts traffic only from the router', () => {
    const apps = policies['apps-from-router-only'];
    expect(apps.metadata.namespace).toBe('central-auth');
    expect(apps.spec.pod_selector).toEqual({});
    expect(apps.spec.ingress).toEqual([
      {
        from: [
          {
            namespace_selector: { match_labels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } },
            pod_selector: { match_labels: ROUTER_POD_LABELS },
          },
        ],
      },
    ]);
  });

  test('the router Service allocates no node ports: the NLB reaches pod IPs directly', () => {
    const router = resourcesOf(tf.cluster, 'helm_release').find((r) => r.chart === 'ingress-nginx')!;
    const values = parse(router.values[0]);
    expect(values.controller.service.allocateLoadBalancerNodePorts).toBe(false);
    expect(values.controller.service.annotations['service.beta.kubernetes.io/aws-load-balancer-nlb-target-type']).toBe('ip');
  });
});
