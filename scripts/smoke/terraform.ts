/**
 * Reading synthesized Terraform JSON: resources by type, outputs, and the `${type.name.attr}`
 * references in them. A reference to an attribute the stack writes literally (a domain prefix, a
 * web ACL's name) resolves to that literal; one only known after apply (a pool's id) resolves only
 * from `known`, which the AWS lookups fill.
 */
import type { StackJson } from './types';

/** Attributes known after apply, by `<resource type>.<attribute>` (e.g. `aws_cognito_user_pool.id`). */
export type KnownValues = Readonly<Record<string, string>>;

/** A whole-string reference `${type.name.attr}`, e.g. a target group ARN in a forward action. */
export function parseReference(text: unknown): { type: string; name: string; attr: string } | undefined {
  if (typeof text !== 'string') return undefined;
  const m = /^\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([a-z0-9_]+)\}$/.exec(text);
  return m ? { type: m[1]!, name: m[2]!, attr: m[3]! } : undefined;
}

/** The resources of one type, as [logical id, attributes] pairs in the stack's order. */
export function resourcesOf(stack: StackJson, type: string): [string, Record<string, any>][] {
  return Object.entries(stack.resource?.[type] ?? {});
}

/** An output's value as written in the stack (with its references unresolved). */
export function outputOf(stack: StackJson, name: string): unknown {
  return stack.output?.[name]?.value;
}

/**
 * `text` with every `${type.name.attr}` interpolation replaced, or undefined when one cannot be
 * resolved (an expression, or an attribute only known after apply that `known` does not hold).
 */
export function resolveText(stack: StackJson, text: unknown, known: KnownValues = {}): string | undefined {
  if (typeof text !== 'string') return undefined;
  let unresolved = false;
  const out = text.replace(/\$\{([^}]*)\}/g, (whole, inner: string) => {
    const ref = parseReference(whole);
    const literal = ref ? stack.resource?.[ref.type]?.[ref.name]?.[ref.attr] : undefined;
    if (typeof literal === 'string' && !literal.includes('${')) return literal;
    const value = ref ? known[`${ref.type}.${ref.attr}`] : undefined;
    if (value !== undefined) return value;
    unresolved = true;
    return inner;
  });
  return unresolved ? undefined : out;
}

/**
 * The app client keys an expression reads from the auth stack's `client_ids` output, in order:
 * `client_ids.alb` or `client_ids["alb-1"]` (cdktf quotes keys that are not identifiers).
 */
export function clientKeysIn(expression: unknown): string[] {
  if (typeof expression !== 'string') return [];
  return [...expression.matchAll(/\.client_ids(?:\.([A-Za-z_][A-Za-z0-9_]*)|\["([^"]+)"\])/g)].map((m) => (m[1] ?? m[2])!);
}
