import type { TerraformResource } from 'cdktf';
import { isType, LISTENERS, type PolicyContext } from '../context';
import { block, list, mustBe, show, type Attributes } from '../inspect';

// What more than one rule family needs; a helper used by one family lives in its file.

/** Actions that check who is calling: the ALB's sign-in (OIDC, Cognito) and its bearer-token check. */
export const AUTH_ACTIONS = ['authenticate-oidc', 'authenticate-cognito', 'jwt-validation'];
export const LISTENER_RULES = ['aws_lb_listener_rule', 'aws_alb_listener_rule'];

/**
 * An authenticate action that stops a request without a session: `allow` lets it through
 * unauthenticated, so such an action signs nobody in (the sign-out path uses it on purpose).
 */
export function signsIn(action: Action | undefined): boolean {
  if (!action || !AUTH_ACTIONS.includes(action.type as string)) return false;
  const settings = block(action.attrs.authenticate_cognito) ?? block(action.attrs.authenticate_oidc);
  return settings?.on_unauthenticated_request !== 'allow';
}

/** `attr` must be exactly `expected` (a literal: an expression cannot be proven). */
export function literal(attrs: Attributes, path: string, expected: unknown): string[] {
  const value = path.split('.').reduce<unknown>((v, key) => block(v)?.[key], attrs);
  return value === expected ? [] : [mustBe(path, value, show(expected))];
}

export interface Action {
  readonly where: string;
  readonly type: unknown;
  readonly attrs: Attributes;
}

export function actions(attrs: Attributes, key: 'default_action' | 'action'): Action[] {
  return list(attrs[key]).map((a: Attributes, i) => ({ where: `${key}[${i}]`, type: a?.type, attrs: a ?? {} }));
}

/** The listener a listener rule is attached to, and that listener's protocol, when known. */
export function listenerOf(
  rule: TerraformResource,
  ctx: PolicyContext,
): { listener: TerraformResource; protocol: string | undefined } | undefined {
  const listener = ctx.resolveReference(rule, ctx.attributes(rule).listener_arn);
  return listener && isType(listener, ...LISTENERS) ? { listener, protocol: ctx.listenerProtocol(listener) } : undefined;
}
