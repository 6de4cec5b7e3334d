/**
 * A `terraform show -json` plan made from synthesized stacks, for the example PR comments in
 * docs/review.md: no AWS account is at hand, so no Terraform can plan, but the comment renderer
 * (scripts/plan-comment.ts) only reads the plan's shape. What this leaves out, and why that is fine
 * for an example:
 * - `before` is the base synth's configuration, not the state: the attributes AWS computes (ids,
 *   ARNs) are absent, so an update lists only the attributes the configuration sets;
 * - a Terraform expression (`${…}`) is "known after apply" when it is new or changed, and equal
 *   to itself when unchanged (Terraform reads remote-state outputs and known references at plan);
 * - whether a change replaces the resource comes from the providers' ForceNew lists that the
 *   upgrade check uses (scripts/upgrade/force-new.ts), read the way scripts/upgrade/check.ts reads
 *   them; `create_before_destroy` orders the replacement;
 * - data sources are read at plan time and appear nowhere, as in a real plan.
 */
import type { TerraformJson } from '../helpers';
import type { PlanChange, PlanJson, ResourceChange } from '../../scripts/plan-comment';
import { valueAt } from '../../scripts/upgrade/check';
import { FORCE_NEW } from '../../scripts/upgrade/force-new';
import type { Json, JsonObject } from '../../scripts/upgrade/types';

/** Terraform's meta-arguments: configuration of the plan, not attributes of the resource. */
const META = new Set(['//', 'count', 'depends_on', 'for_each', 'lifecycle', 'provider', 'provisioner', 'connection']);

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const isExpression = (v: unknown): boolean => typeof v === 'string' && v.includes('${');
const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
const isSet = (v: Json | undefined): boolean => v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0);

/** A resource's attributes, without meta-arguments. */
function attributesOf(body: JsonObject): JsonObject {
  return Object.fromEntries(Object.entries(body).filter(([k]) => !META.has(k)));
}

/**
 * `after` and `after_unknown` of a value: expressions that are new (not the same text at the same
 * place before) are unknown until apply and left out of `after`, as Terraform's JSON plan does.
 */
function afterOf(after: Json, before: Json | undefined): { value: Json | undefined; unknown: Json | boolean } {
  if (isExpression(after) && !same(after, before)) return { value: undefined, unknown: true };
  if (Array.isArray(after)) {
    const items = after.map((v, i) => afterOf(v, Array.isArray(before) ? before[i] : undefined));
    return { value: items.map((i) => (i.value === undefined ? null : i.value)), unknown: items.map((i) => i.unknown) as Json };
  }
  if (isObject(after)) {
    const value: JsonObject = {};
    const unknown: JsonObject = {};
    for (const [k, v] of Object.entries(after)) {
      const item = afterOf(v, isObject(before) ? before[k] : undefined);
      if (item.value !== undefined) value[k] = item.value;
      if (item.unknown !== false && !(isObject(item.unknown) && Object.keys(item.unknown).length === 0)) unknown[k] = item.unknown;
    }
    return { value, unknown };
  }
  return { value: after, unknown: false };
}

/** The attribute paths whose change replaces a resource of `type` (scripts/upgrade/check.ts, `fires`). */
export function forcedPaths(type: string, before: JsonObject, after: JsonObject): string[] {
  const forced: string[] = [];
  for (const rule of FORCE_NEW[type] ?? []) {
    if (rule.kind === 'source-switch') {
      const keys = rule.path.split('|');
      const changed = keys.filter((k) => isSet(before[k]) !== isSet(after[k]));
      if (changed.length) forced.push(...changed);
      continue;
    }
    const was = valueAt(before, rule.path);
    const now = valueAt(after, rule.path);
    if (rule.kind === 'presence' ? isSet(was) === isSet(now) : same(was, now)) continue;
    if (rule.kind === 'unless-unset' && now === undefined) continue;
    forced.push(rule.path);
  }
  return forced;
}

/** One resource's change between two synthesized bodies (either may be absent). */
function resourceChange(type: string, name: string, before: JsonObject | undefined, after: JsonObject | undefined): ResourceChange {
  const base = { address: `${type}.${name}`, mode: 'managed' as const, type, name };
  if (!after) return { ...base, change: { actions: ['delete'], before: attributesOf(before!), after: null } };
  const attrs = attributesOf(after);
  const old = before && attributesOf(before);
  const { value, unknown } = afterOf(attrs, old);
  const change: PlanChange = { actions: ['create'], before: old ?? null, after: value, after_unknown: unknown };
  if (!old) return { ...base, change };
  if (same(old, attrs)) return { ...base, change: { ...change, actions: ['no-op'] } };
  const forced = forcedPaths(type, old, attrs);
  if (!forced.length) return { ...base, change: { ...change, actions: ['update'] } };
  const createdFirst = isObject(after.lifecycle) && after.lifecycle.create_before_destroy === true;
  return {
    ...base,
    change: {
      ...change,
      actions: createdFirst ? ['create', 'delete'] : ['delete', 'create'],
      replace_paths: forced.map((p) => p.split('.')),
    },
    action_reason: 'replace_because_cannot_update',
  };
}

/** The outputs' changes and planned values. */
function outputsOf(before: TerraformJson | undefined, after: TerraformJson): Pick<PlanJson, 'output_changes' | 'planned_values'> {
  const output_changes: Record<string, PlanChange> = {};
  const planned: Record<string, { value?: unknown; sensitive?: boolean }> = {};
  const names = [...new Set([...Object.keys(before?.output ?? {}), ...Object.keys(after.output ?? {})])].sort();
  for (const name of names) {
    const was = before?.output?.[name];
    const now = after.output?.[name];
    const sensitive = now?.sensitive === true;
    if (!now) {
      output_changes[name] = { actions: ['delete'], before: was!.value, after: null, before_sensitive: was!.sensitive === true };
      continue;
    }
    const { value, unknown } = afterOf(now.value, was?.value);
    const actions: PlanChange['actions'] = !was ? ['create'] : same(was.value, now.value) ? ['no-op'] : ['update'];
    output_changes[name] = {
      actions,
      before: was ? was.value : null,
      after: value ?? null,
      after_unknown: unknown,
      before_sensitive: was?.sensitive === true,
      after_sensitive: sensitive,
    };
    planned[name] = value === undefined ? { sensitive } : { value, sensitive };
  }
  return { output_changes, planned_values: { outputs: planned } };
}

/**
 * The plan that takes a stack from `before` (undefined: no state yet, everything is created) to
 * `after`, both as synthesized (the `tf` of `synthAll`).
 */
export function planFromSynth(before: TerraformJson | undefined, after: TerraformJson): PlanJson {
  const resource_changes: ResourceChange[] = [];
  const types = [...new Set([...Object.keys(before?.resource ?? {}), ...Object.keys(after.resource ?? {})])];
  for (const type of types) {
    const was = before?.resource?.[type] ?? {};
    const now = after.resource?.[type] ?? {};
    for (const name of new Set([...Object.keys(was), ...Object.keys(now)]))
      resource_changes.push(resourceChange(type, name, was[name] as JsonObject | undefined, now[name] as JsonObject | undefined));
  }
  resource_changes.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
  return { format_version: '1.2', applyable: true, complete: true, errored: false, resource_changes, ...outputsOf(before, after) };
}

/**
 * What `terraform plan` prints for a stack whose upstream stacks have no state yet: one "Unable to
 * find remote state" error per `terraform_remote_state` data source the stack reads.
 */
export function missingStateOutput(stack: TerraformJson): string {
  const sources = Object.keys(stack.data?.terraform_remote_state ?? {}).sort();
  return [
    'Planning failed. Terraform encountered an error while generating this plan.',
    '',
    ...sources.flatMap((name) => [
      '',
      'Error: Unable to find remote state',
      '',
      `  with data.terraform_remote_state.${name},`,
      `  on cdk.tf.json, in data.terraform_remote_state.${name}:`,
      '',
      'No stored state was found for the given workspace in the given backend.',
    ]),
    '',
  ].join('\n');
}
