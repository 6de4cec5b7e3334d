import { TerraformResource, TerraformStack } from 'cdktf';
import type { IConstruct } from 'constructs';
import type { ResolvedConfig } from '../config/defaults';
import { declaredSecurityGroupReferences, declaredSecurityGroupRole } from './facts';
import { attributesOf, isUnknown, list, referenceTo, resolvedValue, type Attributes } from './inspect';

/** True when `construct` is a Terraform resource of one of `types` (escape-hatch resources included). */
export function isType(construct: IConstruct, ...types: readonly string[]): construct is TerraformResource {
  return construct instanceof TerraformResource && types.includes(construct.terraformResourceType);
}

export const LOAD_BALANCERS: readonly string[] = ['aws_lb', 'aws_alb'];
export const LISTENERS: readonly string[] = ['aws_lb_listener', 'aws_alb_listener'];

/** An application load balancer unless its type says otherwise (the provider's default is `application`). */
export function isApplicationLb(attributes: Attributes): boolean {
  return attributes.load_balancer_type === undefined || attributes.load_balancer_type === 'application';
}

/**
 * Everything a rule may look at besides the construct it checks: the config (absent for plain
 * test stacks), every resource in scope with its synthesized attributes, and per-stack indexes
 * of references (`${aws_lb_listener.https.arn}` → the listener).
 */
export class PolicyContext {
  readonly resources: readonly TerraformResource[];
  private readonly cache = new Map<TerraformResource, Attributes>();
  private readonly byReference = new Map<string, TerraformResource>();
  private readonly albSecurityGroups = new Set<string>();
  private readonly ingressSecurityGroups = new Set<string>();

  constructor(
    readonly stacks: readonly TerraformStack[],
    readonly config: ResolvedConfig | undefined,
  ) {
    this.resources = stacks.flatMap((s) => s.node.findAll().filter((c): c is TerraformResource => c instanceof TerraformResource));
    for (const r of this.resources) {
      for (const attr of ['id', 'arn']) this.byReference.set(this.key(r, referenceTo(r, attr)), r);
      if (isType(r, ...LOAD_BALANCERS)) {
        const attrs = this.attributes(r);
        const groups = isApplicationLb(attrs)
          ? this.albSecurityGroups
          : attrs.load_balancer_type === 'network'
            ? this.ingressSecurityGroups
            : undefined;
        for (const sg of list(attrs.security_groups)) if (typeof sg === 'string') groups?.add(this.key(r, sg));
      }
    }
    // A group whose load balancer is not in the tree (the NLB is made by a controller) carries a declared role.
    for (const r of this.resources) {
      const role = declaredSecurityGroupRole(r);
      const groups = role === 'alb' ? this.albSecurityGroups : role === 'ingress' ? this.ingressSecurityGroups : undefined;
      groups?.add(this.key(r, referenceTo(r, 'id')));
    }
    for (const { scope, reference, role } of stacks.length ? declaredSecurityGroupReferences(stacks[0]!) : []) {
      const resolved = resolvedValue(scope, reference);
      if (typeof resolved === 'string')
        (role === 'alb' ? this.albSecurityGroups : this.ingressSecurityGroups).add(this.key(scope, resolved));
    }
  }

  /** Synthesized attributes, computed once per resource. */
  attributes(resource: TerraformResource): Attributes {
    let attrs = this.cache.get(resource);
    if (!attrs) {
      attrs = attributesOf(resource);
      this.cache.set(resource, attrs);
    }
    return attrs;
  }

  /** The resource a same-stack reference such as `${aws_lb_listener.https.arn}` points to. */
  resolveReference(from: IConstruct, reference: unknown): TerraformResource | undefined {
    return typeof reference === 'string' ? this.byReference.get(this.key(from, reference)) : undefined;
  }

  /** True when `reference`, seen from `from`'s stack, is the security group of an internet-facing ALB. */
  isAlbSecurityGroup(from: IConstruct, reference: unknown): boolean {
    return typeof reference === 'string' && this.albSecurityGroups.has(this.key(from, reference));
  }

  /** True when `reference` is the ingress (NLB) security group. */
  isIngressSecurityGroup(from: IConstruct, reference: unknown): boolean {
    return typeof reference === 'string' && this.ingressSecurityGroups.has(this.key(from, reference));
  }

  /** The literal protocol of a listener; an ALB listener without one is HTTP. */
  listenerProtocol(listener: TerraformResource): string | undefined {
    const attrs = this.attributes(listener);
    if (typeof attrs.protocol === 'string') return isUnknown(attrs.protocol) ? undefined : attrs.protocol;
    const lb = this.resolveReference(listener, attrs.load_balancer_arn);
    return lb && isApplicationLb(this.attributes(lb)) ? 'HTTP' : undefined;
  }

  private key(from: IConstruct, reference: string): string {
    return `${TerraformStack.of(from).node.path}\u0000${reference}`;
  }
}
