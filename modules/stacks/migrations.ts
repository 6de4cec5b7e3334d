import type { TerraformResource, TerraformStack } from 'cdktf';

/**
 * Resources the cluster stack created before the ALB's security group moved to the edge stack.
 * Applied in order (cluster before edge), deleting them would cut the ALB off the NLB until edge
 * applies, and AWS refuses to delete a group the ALB still uses. So the cluster stack forgets them
 * (Terraform `removed` blocks with destroy = false, Terraform >= 1.7) and the edge stack creates
 * their successors; the old group is deleted by hand once the edge apply has switched the ALB
 * (CHANGELOG.md, 0.2.0, Upgrade notes). Forgetting what a state does not hold is a no-op.
 */
export const FORGOTTEN_CLUSTER_RESOURCES = [
  'aws_security_group.alb-sg',
  'aws_vpc_security_group_ingress_rule.alb-in-443',
  'aws_vpc_security_group_ingress_rule.alb-in-80',
  'aws_vpc_security_group_egress_rule.alb-out-ingress',
  'aws_vpc_security_group_egress_rule.alb-out-idp',
  'aws_vpc_security_group_ingress_rule.ingress-in-alb',
] as const;

/** Adds a `removed { from = …, lifecycle { destroy = false } }` block per address. */
export function forget(stack: TerraformStack, addresses: readonly string[]): void {
  stack.addOverride(
    'removed',
    addresses.map((from) => ({ from, lifecycle: { destroy: false } })),
  );
}

/** A resource that moved within its stack: from its old address to the resource as it is now. */
export interface Move {
  readonly from: string;
  readonly to: TerraformResource;
}

/**
 * Adds `moved` blocks (Terraform >= 1.1) as an override: cdktf's own moveFromId makes every synth
 * run `terraform version`. Without them, a new construct path replaces the resource, and for a
 * Kubernetes object that means delete-and-create of the same name, which fails or interrupts it.
 */
export function moved(stack: TerraformStack, moves: readonly Move[]): void {
  if (moves.length === 0) return;
  stack.addOverride(
    'moved',
    moves.map(({ from, to }) => ({ from, to: `${to.terraformResourceType}.${stack.getLogicalId(to)}` })),
  );
}
