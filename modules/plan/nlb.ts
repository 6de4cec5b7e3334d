import type { NlbSubnetConfig } from '../config/types';
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
 */
export function planNlbAddresses(subnets: readonly NlbSubnetConfig[]): NlbAddress[] {
  return [...subnets]
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((subnet) => {
      const block = parseCidr(subnet.cidr);
      if (!block) throw new Error(`planNlbAddresses: ${subnet.cidr} is not a CIDR block (validation lets none through)`);
      const ip = subnet.privateIp !== undefined ? parseIpv4(subnet.privateIp)! : block.base + block.size - 32 + 4;
      return { subnetId: subnet.id, subnetCidr: subnet.cidr, privateIp: formatIpv4(ip), reservedCidr: formatCidr(block28(ip)) };
    });
}
