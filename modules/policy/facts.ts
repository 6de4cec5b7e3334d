import type { IConstruct } from 'constructs';
import type { ResolvedConfig } from '../config/defaults';

/**
 * The config an App was built from, so `evaluatePolicy(app)` can check the output against it
 * without the stacks carrying the whole config. Kept beside the tree, never written to it.
 */
const configs = new WeakMap<IConstruct, ResolvedConfig>();

/** Records the config of the App (or any root) `scope` belongs to. */
export function declarePolicyConfig(scope: IConstruct, config: ResolvedConfig): void {
  configs.set(scope.node.root, config);
}

/** The config recorded for `scope`'s root, if any. */
export function declaredPolicyConfig(scope: IConstruct): ResolvedConfig | undefined {
  return configs.get(scope.node.root);
}

/** What a security group guards, as far as the policy is concerned. */
export type SecurityGroupRole = 'alb' | 'ingress';

const roles = new WeakMap<IConstruct, SecurityGroupRole>();

/**
 * Declares what a security group is for, where it is created: a group whose load balancer is
 * in another stack (or is made by a Kubernetes controller) cannot be recognised from the tree.
 */
export function declareSecurityGroupRole(group: IConstruct, role: SecurityGroupRole): void {
  roles.set(group, role);
}

export interface SecurityGroupReference {
  /** Where it was declared: references resolve in that construct's stack. */
  readonly scope: IConstruct;
  readonly reference: string;
  readonly role: SecurityGroupRole;
}

const references = new WeakMap<IConstruct, SecurityGroupReference[]>();

/**
 * Declares what a security group id that `scope` reads from elsewhere (another stack's output)
 * is for: rules in `scope`'s stack that name it are then checked as rules of that group.
 */
export function declareSecurityGroupReference(scope: IConstruct, reference: string, role: SecurityGroupRole): void {
  const root = scope.node.root;
  references.set(root, [...(references.get(root) ?? []), { scope, reference, role }]);
}

/** Every reference declared under `root`. */
export function declaredSecurityGroupReferences(root: IConstruct): readonly SecurityGroupReference[] {
  return references.get(root.node.root) ?? [];
}

/** The role declared for `group`, if any. */
export function declaredSecurityGroupRole(group: IConstruct): SecurityGroupRole | undefined {
  return roles.get(group);
}

const jwtClaims = new WeakMap<IConstruct, Readonly<Record<string, string>>>();

/**
 * Declares the claims a workload requires of the ALB's token, where its chart values compute them
 * in a Terraform expression: the policy checks this object instead of parsing generated text.
 */
export function declareJwtClaims(workload: IConstruct, claims: Readonly<Record<string, string>>): void {
  jwtClaims.set(workload, claims);
}

/** The claims declared for `workload`, if any. */
export function declaredJwtClaims(workload: IConstruct): Readonly<Record<string, string>> | undefined {
  return jwtClaims.get(workload);
}
