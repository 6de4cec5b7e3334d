import { DataAwsSubnet } from '@cdktf/provider-aws/lib/data-aws-subnet';
import { Ec2SubnetCidrReservation } from '@cdktf/provider-aws/lib/ec2-subnet-cidr-reservation';
import { Op } from 'cdktf';
import { Construct } from 'constructs';
import type { NlbAddress } from '../plan/nlb';

export interface NlbAddressesProps {
  readonly vpcId: string;
  /** The NLB's subnets and pinned addresses (planNlbAddresses). */
  readonly addresses: readonly NlbAddress[];
}

/**
 * Holds the internal NLB's pinned addresses free: an explicit subnet CIDR reservation of the /28
 * around each, so EC2 never assigns them automatically (to a node or, through the VPC CNI, a pod)
 * and only the load balancer controller's explicit request takes them. The plan fails, before
 * anything changes, when a configured subnet is not in the VPC or has another CIDR than the config
 * says (AWS docs: "Subnet CIDR reservations", reservation type explicit).
 */
export class NlbAddresses extends Construct {
  readonly reservations: Ec2SubnetCidrReservation[] = [];

  constructor(scope: Construct, id: string, props: NlbAddressesProps) {
    super(scope, id);
    for (const address of props.addresses) {
      const subnet = new DataAwsSubnet(this, `subnet-${address.subnetId}`, { id: address.subnetId });
      this.reservations.push(
        new Ec2SubnetCidrReservation(this, `reservation-${address.subnetId}`, {
          subnetId: address.subnetId,
          cidrBlock: address.reservedCidr,
          reservationType: 'explicit',
          description: `central-auth internal NLB address ${address.privateIp}`,
          lifecycle: {
            precondition: [
              {
                condition: Op.eq(subnet.cidrBlock, address.subnetCidr),
                errorMessage: `nlb.subnets: subnet ${address.subnetId} is not ${address.subnetCidr} in AWS; set its real CIDR block in the config.`,
              },
              {
                condition: Op.eq(subnet.vpcId, props.vpcId),
                errorMessage: `nlb.subnets: subnet ${address.subnetId} is not in ${props.vpcId}; the NLB's subnets must be in the config's vpcId.`,
              },
            ],
          },
        }),
      );
    }
  }

  /** Chart annotations that place the NLB in these subnets at these addresses (AWS Load Balancer Controller >= 2.2). */
  static annotations(addresses: readonly NlbAddress[]): Record<string, string> {
    return {
      'service.beta.kubernetes.io/aws-load-balancer-subnets': addresses.map((a) => a.subnetId).join(','),
      'service.beta.kubernetes.io/aws-load-balancer-private-ipv4-addresses': addresses.map((a) => a.privateIp).join(','),
    };
  }
}
