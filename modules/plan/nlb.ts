import type { NlbSubnetConfig, RouterKind } from '../config/types';
import { block28, formatCidr, formatIpv4, parseCidr, parseIpv4 } from '../config/ipv4';

/** The NLB's pinned address in one subnet and the /28 reserved around it. */
export interface NlbAddress {
  readonly subnetId: string;
  readonly subnetCidr: string;
  readonly privateIp: string;
  /** The aligned /28 holding the address, reserved for manual assignment only. */
  readonly reservedCidr: string;
}

/**
 * Pins the internal NLB's address in each of its subnets, once for both stacks that need it: the
 * cluster stack gives it to the AWS Load Balancer Controller and reserves it, the edge stack
 * registers it as the ALB's targets. Without an explicit address, the fifth address of the
 * subnet's second-to-last /28: deterministic, away from the low addresses EC2 hands out first,
 * and clear of the addresses AWS reserves. Sorted by subnet id, never by list position.
 *
 * Each router kind has its own NLB and a fixed address in the same reserved /28: ingress-nginx the
 * base address (as before routers could be chosen, so nothing moves), Traefik its neighbour (the
 * base with the lowest bit flipped, always inside the aligned /28). Two routers can then run side
 * by side during a switch, and switching back returns to the same address.
 */
export function planNlbAddresses(subnets: readonly NlbSubnetConfig[], router: RouterKind = 'ingress-nginx'): NlbAddress[] {
  return [...subnets]
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((subnet) => {
      const block = parseCidr(subnet.cidr);
      if (!block) throw new Error(`planNlbAddresses: ${subnet.cidr} is not a CIDR block (validation lets none through)`);
      const base = subnet.privateIp !== undefined ? parseIpv4(subnet.privateIp)! : block.base + block.size - 32 + 4;
      // The reservation stays the /28 around the base address; each router has its own address in it.
      const ip = router === 'traefik' ? (base ^ 1) >>> 0 : base;
      return { subnetId: subnet.id, subnetCidr: subnet.cidr, privateIp: formatIpv4(ip), reservedCidr: formatCidr(block28(base)) };
    });
}
