import fc from 'fast-check';
import { block28, contains, formatIpv4, parseCidr, parseIpv4 } from '../../modules/config/ipv4';
import { planNlbAddresses } from '../../modules/plan/nlb';
import { configWith, resourcesOf, synthAll } from '../helpers';

describe('planNlbAddresses', () => {
  test('pins the fifth address of the second-to-last /28 and reserves that /28, by subnet id', () => {
    // GIVEN two subnets listed out of id order WHEN planned
    const planned = planNlbAddresses([
      { id: 'subnet-b', cidr: '10.0.32.0/20' },
      { id: 'subnet-a', cidr: '10.0.1.0/24' },
    ]);
    // THEN they come sorted by id, each with its derived address inside its own reserved /28
    expect(planned).toEqual([
      { subnetId: 'subnet-a', subnetCidr: '10.0.1.0/24', privateIp: '10.0.1.228', reservedCidr: '10.0.1.224/28' },
      { subnetId: 'subnet-b', subnetCidr: '10.0.32.0/20', privateIp: '10.0.47.228', reservedCidr: '10.0.47.224/28' },
    ]);
  });

  test('honours a configured address and reserves the /28 around it', () => {
    expect(planNlbAddresses([{ id: 'subnet-a', cidr: '10.0.0.0/22', privateIp: '10.0.2.77' }])).toEqual([
      { subnetId: 'subnet-a', subnetCidr: '10.0.0.0/22', privateIp: '10.0.2.77', reservedCidr: '10.0.2.64/28' },
    ]);
  });

  test("Traefik's NLB takes the neighbour of the base address, inside the same reserved /28, also for a configured one", () => {
    const subnets = [
      { id: 'subnet-a', cidr: '10.0.0.0/22', privateIp: '10.0.2.77' },
      { id: 'subnet-b', cidr: '10.0.32.0/20' },
    ];
    expect(planNlbAddresses(subnets, 'traefik').map((a) => [a.privateIp, a.reservedCidr])).toEqual([
      ['10.0.2.76', '10.0.2.64/28'],
      ['10.0.47.229', '10.0.47.224/28'],
    ]);
    expect(planNlbAddresses(subnets, 'ingress-nginx')).toEqual(planNlbAddresses(subnets));
  });

  test('any subnet from /16 to /26 gets an address inside it, in a /28 that is neither its first nor its last', () => {
    fc.assert(
      fc.property(fc.integer({ min: 16, max: 26 }), fc.integer({ min: 0, max: 2 ** 32 - 1 }), (prefix, seed) => {
        const size = 2 ** (32 - prefix);
        const base = seed - (seed % size);
        const cidr = `${formatIpv4(base)}/${prefix}`;
        const [address] = planNlbAddresses([{ id: 'subnet-x', cidr }]);
        const [traefik] = planNlbAddresses([{ id: 'subnet-x', cidr }], 'traefik');
        if (traefik!.reservedCidr !== address!.reservedCidr || traefik!.privateIp === address!.privateIp) return false;
        if (!contains(block28(parseIpv4(address!.privateIp)!), parseIpv4(traefik!.privateIp)!)) return false;
        const subnet = parseCidr(cidr)!;
        const ip = parseIpv4(address!.privateIp)!;
        const reserved = block28(ip);
        return (
          contains(subnet, ip) &&
          reserved.base > subnet.base &&
          reserved.base + 16 < subnet.base + subnet.size &&
          address!.reservedCidr === `${formatIpv4(reserved.base)}/28`
        );
      }),
    );
  });
});

describe('the pinned addresses in the stacks', () => {
  // GIVEN the example synthesized once
  const { tf } = synthAll(configWith());

  test('the edge targets are exactly the addresses the cluster stack gives the NLB and reserves', () => {
    const values = resourcesOf(tf.cluster, 'helm_release')
      .find((r) => r.chart === 'ingress-nginx')!
      .values.join('\n');
    const annotated = /aws-load-balancer-private-ipv4-addresses: (\S+)/.exec(values)![1]!.split(',');
    const subnets = /aws-load-balancer-subnets: (\S+)/.exec(values)![1]!.split(',');
    const targets = resourcesOf(tf.edge, 'aws_lb_target_group_attachment')
      .filter((a) => a.port === 80)
      .map((a) => a.target_id);
    const reserved = resourcesOf(tf.cluster, 'aws_ec2_subnet_cidr_reservation');
    expect(targets).toEqual(annotated);
    expect(subnets).toEqual(['subnet-0a1b2c3d4e5f61001', 'subnet-0a1b2c3d4e5f61002']);
    expect(reserved.map((r) => [r.subnet_id, r.cidr_block, r.reservation_type])).toEqual([
      ['subnet-0a1b2c3d4e5f61001', '10.0.31.224/28', 'explicit'],
      ['subnet-0a1b2c3d4e5f61002', '10.0.47.224/28', 'explicit'],
    ]);
    expect(annotated).toEqual(['10.0.31.228', '10.0.47.228']);
  });

  test('no target comes from a lookup that may return nothing or stale addresses; a lookup only checks them', () => {
    const attachments = resourcesOf(tf.edge, 'aws_lb_target_group_attachment').filter((a) => a.port === 80);
    expect(attachments.map((a) => a.target_id)).toEqual(['10.0.31.228', '10.0.47.228']);
    expect(Object.keys(tf.edge.data)).not.toContain('aws_lb');
    // THEN once the cluster stack is current, the plan fails unless an NLB interface holds each address
    const interfaces = tf.edge.data.aws_network_interfaces!;
    expect(
      Object.values<any>(interfaces).map((d) => d.filter.map((f: { name: string; values: string[] }) => `${f.name}=${f.values}`)),
    ).toEqual([
      ['addresses.private-ip-address=10.0.31.228', 'interface-type=network_load_balancer', 'vpc-id=vpc-0123456789abcdef0'],
      ['addresses.private-ip-address=10.0.47.228', 'interface-type=network_load_balancer', 'vpc-id=vpc-0123456789abcdef0'],
    ]);
    expect(attachments[0]!.lifecycle.precondition[1].condition).toMatch(
      /^\$\{\(!\(data\.terraform_remote_state\.remote-state-cluster\.outputs\.outputs_contract == \\?"[0-9a-f]{16}\\?"\) \|\| \(length\(data\.aws_network_interfaces\.nlb-interface-subnet-0a1b2c3d4e5f61001\.ids\) == 1\)\)\}$/,
    );
  });

  test('the plan fails when an NLB subnet is in a zone the ALB does not serve, or is not what the config says', () => {
    const [attachment] = resourcesOf(tf.edge, 'aws_lb_target_group_attachment').filter((a) => a.port === 80);
    expect(attachment!.lifecycle.precondition[0].condition).toMatch(
      /^\$\{contains\(\[data\.aws_subnet\.public-subnet-[\w-]+\.availability_zone, data\.aws_subnet\.public-subnet-[\w-]+\.availability_zone\], data\.aws_subnet\.nlb-subnet-[\w-]+\.availability_zone\)\}$/,
    );
    const [reservation] = resourcesOf(tf.cluster, 'aws_ec2_subnet_cidr_reservation');
    expect(reservation!.lifecycle.precondition.map((p: { error_message: string }) => p.error_message)).toEqual([
      'nlb.subnets: subnet subnet-0a1b2c3d4e5f61001 is not 10.0.16.0/20 in AWS; set its real CIDR block in the config.',
      "nlb.subnets: subnet subnet-0a1b2c3d4e5f61001 is not in vpc-0123456789abcdef0; the NLB's subnets must be in the config's vpcId.",
    ]);
  });
});
