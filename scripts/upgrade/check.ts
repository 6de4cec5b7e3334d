/**
 * The upgrade check: what applying today's stacks over a recorded release would destroy or replace.
 * Pure: records in, findings out. An old address passes when it
 *   - still exists (directly or through a `moved` block) with every attribute the provider treats as
 *     ForceNew / RequiresReplace unchanged (or ignored by `lifecycle.ignore_changes`), or
 *   - is forgotten by a `removed` block with `destroy = false`, or
 *   - is of a STATELESS type that no output refers to (its replacement is ordered inside the stack),
 *     or of an ORDERED type that is also created before the old one is destroyed, or
 *   - lies in a stack a later release retired with a written procedure.
 * Anything else is a finding that names the stack, the address and the attribute.
 */
import { ORDERED, STATEFUL, STATELESS, statefulClass, typeOf } from './classes';
import { FORCE_NEW, type ForceNewRule } from './force-new';
import type { Finding, Json, JsonObject, ReleaseRecord, StackRecord, UpgradeAllowances } from './types';
import { isObject } from '../diff/read';

/** The value at a dotted attribute path; blocks written as lists are walked element by element. */
export function valueAt(body: Json | undefined, path: string): Json | undefined {
  let values: (Json | undefined)[] = [body];
  let listed = false;
  for (const seg of path.split('.')) {
    const next: (Json | undefined)[] = [];
    for (const v of values) {
      if (Array.isArray(v)) {
        listed = true;
        for (const e of v) next.push(isObject(e) ? e[seg] : undefined);
      } else if (isObject(v)) next.push(v[seg]);
    }
    values = next;
  }
  const present = values.filter((v) => v !== undefined && v !== null) as Json[];
  if (present.length === 0) return undefined;
  return listed ? present : present[0];
}

const show = (v: Json | undefined): string => (v === undefined ? '(unset)' : JSON.stringify(v));

/** Rewrites references to moved addresses, so `${old.addr.id}` compares equal to `${new.addr.id}`. */
function followMoves(value: Json | undefined, moved: Readonly<Record<string, string>>): Json | undefined {
  if (value === undefined || Object.keys(moved).length === 0) return value;
  if (typeof value === 'string')
    return value.replace(/\$\{[^}]*\}/g, (expr) =>
      Object.entries(moved).reduce((e, [from, to]) => e.split(`${from}.`).join(`${to}.`), expr),
    );
  if (Array.isArray(value)) return value.map((v) => followMoves(v, moved) as Json);
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, followMoves(v, moved) as Json]));
  return value;
}

/** `ignore_changes` roots of a resource (`provider_details["x"]` → provider_details["x"] kept whole). */
function ignored(body: JsonObject): (path: string) => boolean {
  const lifecycle = isObject(body.lifecycle) ? body.lifecycle : {};
  const list = lifecycle.ignore_changes;
  if (list === 'all') return () => true;
  const roots = Array.isArray(list) ? list.map(String) : [];
  return (path) => roots.some((r) => path === r || path.startsWith(`${r}.`));
}

const isSet = (v: Json | undefined): boolean => v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0);

/** Why one ForceNew rule fires between two bodies, or undefined when it does not. */
function fires(
  rule: ForceNewRule,
  before: JsonObject,
  after: JsonObject,
  context: { readonly moved: Readonly<Record<string, string>>; readonly region?: string; readonly regionBefore?: string },
): string | undefined {
  if (rule.kind === 'source-switch') {
    const keys = rule.path.split('|');
    const was = keys.filter((k) => isSet(before[k])).join(',');
    const is = keys.filter((k) => isSet(after[k])).join(',');
    return was === is ? undefined : `the rule's source changes from ${was || '(none)'} to ${is || '(none)'}`;
  }
  const old = followMoves(valueAt(before, rule.path), context.moved);
  const now = valueAt(after, rule.path);
  const changed = `${rule.path} changes from ${show(old)} to ${show(now)}`;
  switch (rule.kind) {
    case 'region': {
      const was = old ?? context.regionBefore;
      const is = now ?? context.region;
      return was === is ? undefined : changed;
    }
    case 'presence':
      return isSet(old) === isSet(now) ? undefined : changed;
    case 'unless-unset':
      if (now === undefined) return undefined;
      break;
    default:
      break;
  }
  return JSON.stringify(old) === JSON.stringify(now) ? undefined : changed;
}

/** Addresses that some output of the stack refers to: other stacks and people read them by id. */
function referencedByOutputs(stack: StackRecord): Map<string, string> {
  const refs = new Map<string, string>();
  for (const [output, addresses] of Object.entries(stack.outputs)) for (const a of addresses) if (!refs.has(a)) refs.set(a, output);
  return refs;
}

/** Follows a chain of moved blocks from an old address to where it lives now. */
function destination(address: string, now: StackRecord): string | undefined {
  const seen = new Set<string>();
  let at = address;
  while (!(at in now.resources)) {
    const next = now.moved[at];
    if (next === undefined || seen.has(at)) return undefined;
    seen.add(at);
    at = next;
  }
  return at;
}

/** Findings for one stack of an old release against the same stack today. */
/** Meta-arguments that key a resource's instances: a change re-keys (destroys and creates) them. */
const INSTANCE_KEYS = ['for_each', 'count'] as const;

function checkStack(name: string, before: StackRecord, after: StackRecord | undefined, forgotten: ReadonlySet<string>): Finding[] {
  const findings: Finding[] = [];
  const add = (address: string, message: string) => findings.push({ stack: name, address, message });
  const now: StackRecord = after ?? { resources: {}, moved: {}, removed: {}, outputs: {} };
  const outputs = referencedByOutputs(before);
  /** Today's addresses that the upgrade re-creates, whatever their class: what dependents may name. */
  const recreated = new Set<string>();
  for (const [address, body] of Object.entries(before.resources)) {
    const type = typeOf(address);
    const kept = statefulClass(type, body);
    const stateful = kept !== undefined;
    if (!(type in STATEFUL) && !(type in STATELESS) && !(type in ORDERED)) {
      add(address, `${type} is neither STATEFUL, ORDERED nor STATELESS in scripts/upgrade/classes.ts: classify it`);
      continue;
    }
    const rules = FORCE_NEW[type];
    if (!rules) {
      add(address, `${type} has no ForceNew list in scripts/upgrade/force-new.ts`);
      continue;
    }
    const referrer = outputs.get(address);
    const target = destination(address, now);
    const createdFirst =
      target !== undefined && isObject(now.resources[target]!.lifecycle) && now.resources[target]!.lifecycle.create_before_destroy === true;
    const why = stateful
      ? kept.holds
      : referrer !== undefined
        ? `output ${referrer} refers to it, so another stack reads its id`
        : type in ORDERED && !createdFirst
          ? `${ORDERED[type]} (no create_before_destroy)`
          : undefined;
    if (target === undefined) {
      if (address in now.removed && !now.removed[address]) {
        // Forgotten, not destroyed: a stateful one is recreated elsewhere, which needs its procedure.
        if (stateful && !forgotten.has(`${name} ${address}`))
          add(
            address,
            `is forgotten (removed, destroy = false) without a procedure: list it in releases.json "forgotten" with the upgrade note that says what to do (${why})`,
          );
        continue;
      }
      if (stateful || referrer !== undefined)
        add(address, `would be destroyed (no resource, moved or removed block at this address): ${why}`);
      continue;
    }
    if (typeOf(target) !== type) {
      // hashicorp/aws's SDKv2 resources answer a cross-type move with "Move Resource State Not Supported".
      recreated.add(target);
      add(address, `moves to ${target}, another resource type: the providers refuse such a move, so it would be destroyed and created`);
      continue;
    }
    const skip = ignored(now.resources[target]!);
    for (const meta of INSTANCE_KEYS)
      if (why !== undefined && JSON.stringify(followMoves(body[meta], now.moved)) !== JSON.stringify(now.resources[target]![meta]))
        add(address, `would be re-keyed: ${meta} changes from ${show(body[meta])} to ${show(now.resources[target]![meta])}: ${why}`);
    for (const rule of rules) {
      if (skip(rule.path)) continue;
      const change = fires(rule, body, now.resources[target]!, { moved: now.moved, region: now.region, regionBefore: before.region });
      if (change) recreated.add(target);
      if (change && why !== undefined) add(address, `would be replaced: ${change} (${rule.source}): ${why}`);
    }
  }
  return [...findings, ...replacedDependencies(name, before, now, recreated)];
}

/**
 * Stateful resources whose ForceNew attribute names a resource that is replaced or re-created: the
 * new one's id is unknown until apply, and the provider reads an unknown as a change (a Cognito
 * custom domain whose certificate is replaced is replaced with it). `replaced`: today's addresses
 * the upgrade re-creates, as checkStack found them.
 */
function replacedDependencies(name: string, before: StackRecord, now: StackRecord, replaced: ReadonlySet<string>): Finding[] {
  const out: Finding[] = [];
  for (const [address, body] of Object.entries(now.resources)) {
    const kept = statefulClass(typeOf(address), body);
    if (!kept || replaced.has(address)) continue;
    for (const rule of FORCE_NEW[typeOf(address)] ?? []) {
      const value = JSON.stringify(valueAt(body, rule.path) ?? null);
      const cause = [...replaced].find((r) => value.includes(`\${${r}.`));
      if (cause && address in before.resources)
        out.push({ stack: name, address, message: `would be replaced with ${cause}, which its ${rule.path} names: ${kept.holds}` });
    }
  }
  return out;
}

/**
 * Listener rules whose new priority another rule holds before the upgrade. The ALB keeps one rule
 * per priority on a listener (CreateRule / SetRulePriorities answer PriorityInUse), and Terraform
 * orders nothing between two unrelated rules: whichever runs first may find the priority taken.
 */
function priorityCollisions(name: string, before: StackRecord, now: StackRecord): Finding[] {
  const rules = (record: StackRecord, rename: (a: string) => string | undefined) =>
    Object.entries(record.resources)
      .filter(([address]) => typeOf(address) === 'aws_lb_listener_rule')
      .map(([address, body]) => ({
        address: rename(address) ?? address,
        listener: JSON.stringify(followMoves(body.listener_arn, now.moved)),
        priority: body.priority,
      }));
  const held = rules(before, (a) => destination(a, now));
  const findings: Finding[] = [];
  for (const rule of rules(now, (a) => a)) {
    const was = held.find((h) => h.address === rule.address);
    if (was && was.priority === rule.priority && was.listener === rule.listener) continue;
    const holder = held.find((h) => h.address !== rule.address && h.listener === rule.listener && h.priority === rule.priority);
    if (holder)
      findings.push({
        stack: name,
        address: rule.address,
        message: `takes priority ${rule.priority}, which ${holder.address} holds before the upgrade: the ALB answers PriorityInUse if this rule is applied first`,
      });
  }
  return findings;
}

/** Every finding of an upgrade from `before` to `after` (same config), retired stacks excepted. */
export function checkUpgrade(
  before: ReleaseRecord,
  after: ReleaseRecord,
  allowed: UpgradeAllowances = { retiredStacks: [], forgotten: [] },
): Finding[] {
  const findings: Finding[] = [];
  const forgotten = new Set(allowed.forgotten.map((f) => `${f.stack} ${f.address}`));
  for (const [name, stack] of Object.entries(before.stacks)) {
    if (!(name in after.stacks) && allowed.retiredStacks.some((r) => r.stack === name)) continue;
    findings.push(...checkStack(name, stack, after.stacks[name], forgotten));
    if (after.stacks[name]) findings.push(...priorityCollisions(name, stack, after.stacks[name]!));
  }
  return findings;
}

/** One line per finding: `auth aws_cognito_user_pool.pool: would be replaced: …`. */
export const formatFinding = (f: Finding): string => `${f.stack} ${f.address}: ${f.message}`;
