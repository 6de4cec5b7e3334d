import { DefaultTokenResolver, StringConcat, Tokenization, TerraformResource, TerraformStack } from 'cdktf';
import type { IConstruct } from 'constructs';

/** A resource's attributes exactly as they are written to cdk.tf.json (snake_case, overrides merged). */
export type Attributes = Readonly<Record<string, any>>;

const RESOLVER = new DefaultTokenResolver(new StringConcat());

/** What the stack writes for `value`: Lazy values produced, references as `${...}` text. */
function resolveIn(scope: IConstruct, value: unknown): unknown {
  return Tokenization.resolve(value, { scope: TerraformStack.of(scope), resolver: RESOLVER, preparing: false });
}

/**
 * The synthesized attributes of a resource: `toTerraform()` with `addOverride` values merged,
 * then resolved by its stack, so Lazy values become literals and references become
 * `${type.id.attr}` strings, the same text Terraform will read.
 */
export function attributesOf(resource: TerraformResource): Attributes {
  const tf = resolveIn(resource, resource.toTerraform()) as { resource?: Record<string, Record<string, Record<string, unknown>>> };
  const { '//': _metadata, ...attributes } = tf.resource?.[resource.terraformResourceType]?.[resource.friendlyUniqueId] ?? {};
  return attributes;
}

/** What `value` (tokens included) is written as in `scope`'s stack, e.g. `${aws_security_group.alb-sg.id}`. */
export function resolvedValue(scope: IConstruct, value: unknown): unknown {
  return resolveIn(scope, value);
}

/** A Terraform expression (reference, function call, variable): its value is only known at apply. */
export function isUnknown(value: unknown): boolean {
  return typeof value === 'string' && value.includes('${');
}

/** The `${type.name.attr}` text other resources of the same stack use to refer to `resource`. */
export function referenceTo(resource: TerraformResource, attribute: string): string {
  return `\${${resource.terraformResourceType}.${resource.friendlyUniqueId}.${attribute}}`;
}

/** A nested block: cdktf writes single blocks as objects, overrides may write them as lists. */
export function block(value: unknown): Attributes | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'object' && first !== null ? (first as Attributes) : undefined;
}

/** A repeated block or list attribute as a list (missing: empty). */
export function list(value: unknown): readonly any[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** A value for a message: JSON, or `(not set)`. */
export function show(value: unknown): string {
  if (value === undefined || value === null) return '(not set)';
  const text = JSON.stringify(value);
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}

/** `attr is <value>, must be <expected>`: the one shape every message starts with. */
export function mustBe(attribute: string, value: unknown, expected: string): string {
  return `${attribute} is ${show(value)}, must be ${expected}`;
}
