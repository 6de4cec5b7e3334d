// Assembles a role's policy document from the synthesized stacks: every type's actions from the map
// (actions.ts), resolved to this environment's ARNs (scope.ts), and the state backend's (state.ts).
// Pure: stacks in, one document out, in a stable order so that a PR's diff of it reads line by line.
import { partitionOf } from '../../modules/config/aws-rules';
import { SMOKE_CHECK } from './operations';
import { DATA_ACTIONS, TYPE_ACTIONS } from './actions';
import { isLiteral } from './read';
import { resolveScope, SCOPE_TAGS, type ScopeContext } from './scope';
import { stateStatements } from './state';
import type { Grants, PolicyDocument, Role, ScopeKey, StackFacts, Statement, TypeActions } from './types';

export class UnknownTypesError extends Error {
  constructor(readonly types: readonly string[]) {
    super(
      `no IAM actions are known for ${types.join(', ')}: add ${types.length > 1 ? 'them' : 'it'} to scripts/iam/actions.ts, from the provider's source`,
    );
  }
}

export class EnvironmentError extends Error {}

export interface PolicyOptions {
  /** The AWS account the stacks deploy to; else the one every ARN in the stacks names, else `*`. */
  readonly account?: string;
}

/**
 * Accounts named by ARNs in the stacks' literal strings (role ARNs, a configured web ACL or topic, ...).
 * Not in terraform_remote_state: its defaults are placeholders (modules/stacks/outputs.ts).
 */
export function accountsIn(stacks: readonly StackFacts[]): string[] {
  const found = new Set<string>();
  const visit = (value: unknown): void => {
    if (typeof value === 'string') for (const m of value.matchAll(/arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12}):/g)) found.add(m[1]!);
    else if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === 'object') Object.values(value).forEach(visit);
  };
  stacks.forEach((s) => s.blocks.filter((b) => b.type !== 'terraform_remote_state').forEach((b) => visit(b.body)));
  return [...found].sort();
}

/** The account, partition and scoping tags every statement of the policy uses. */
export function contextOf(stacks: readonly StackFacts[], options: PolicyOptions = {}): ScopeContext & { readonly accountSource: string } {
  const regions = [...new Set(stacks.map((s) => s.region))];
  const partitions = [...new Set(regions.map(partitionOf))];
  if (partitions.length !== 1) throw new EnvironmentError(`the stacks span partitions ${partitions.join(', ')}`);
  const tags = {} as Record<(typeof SCOPE_TAGS)[number], string>;
  for (const tag of SCOPE_TAGS) {
    const values = [...new Set(stacks.map((s) => s.defaultTags[tag]))];
    if (values.length !== 1 || !isLiteral(values[0])) {
      throw new EnvironmentError(
        `every stack's AWS provider must tag resources with one ${tag} (default_tags), which scopes what ARNs cannot`,
      );
    }
    tags[tag] = values[0];
  }
  const named = accountsIn(stacks);
  let account = options.account;
  let accountSource = '--account';
  if (account === undefined && named.length > 1) {
    throw new EnvironmentError(`the stacks name ARNs of accounts ${named.join(', ')}: pass --account with the one they deploy to`);
  }
  if (account === undefined) {
    account = named[0] ?? '*';
    accountSource = named.length ? 'the ARNs in the stacks' : 'nothing: no --account and no ARN in the stacks, so ARNs match any account';
  }
  return { partition: partitions[0]!, account, accountSource, tags, blocks: stacks.flatMap((s) => s.blocks) };
}

/** Each type of the stacks with its map entry; every type the map lacks, named at once. */
export function typeActionsOf(stacks: readonly StackFacts[]): TypeActions[] {
  const unknown = new Set<string>();
  const entries = new Map<string, TypeActions>();
  const look = (kind: 'resource' | 'data', type: string) => {
    const entry = kind === 'resource' ? TYPE_ACTIONS[type] : DATA_ACTIONS[type];
    if (entry) entries.set(`${kind} ${type}`, entry);
    else unknown.add(kind === 'resource' ? `resource type ${type}` : `data source ${type}`);
  };
  for (const stack of stacks) {
    stack.blocks.forEach((b) => look(b.kind, b.type));
    stack.removedTypes.forEach((type) => look('resource', type));
  }
  if (unknown.size) throw new UnknownTypesError([...unknown].sort());
  return [...entries.keys()].sort().map((k) => entries.get(k)!);
}

/** The Sid prefix of a service's unscoped actions: the prefix its scope keys use. */
const SERVICE_KEYS: Readonly<Record<string, string>> = { 'cognito-idp': 'cognito', elasticloadbalancing: 'elb' };

/** `elb-listener-rule` → `ElbListenerRule`. */
const pascal = (key: string): string => key.replace(/(^|[-:])([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());

function sortCondition(condition: NonNullable<Statement['Condition']>): Statement['Condition'] {
  return Object.fromEntries(
    Object.keys(condition)
      .sort()
      .map((op) => [
        op,
        Object.fromEntries(
          Object.keys(condition[op]!)
            .sort()
            .map((k) => {
              const v = condition[op]![k]!;
              return [k, typeof v === 'string' ? v : [...new Set(v)].sort()];
            }),
        ),
      ]),
  );
}

/** The policy document of `role` for these stacks. */
export function buildPolicy(stacks: readonly StackFacts[], role: Role, options: PolicyOptions = {}): PolicyDocument {
  const entries = typeActionsOf(stacks);
  const ctx = contextOf(stacks, options);
  // Statement key → actions: a scope key, or `any:<service>` for the actions allowed on `*`.
  const byKey = new Map<string, { scope: ScopeKey; actions: Set<string> }>();
  const add = (grants: Grants | undefined) => {
    for (const [scope, actions] of Object.entries(grants ?? {}) as [ScopeKey, readonly string[]][]) {
      for (const action of actions) {
        const key = scope === 'any' ? `any:${action.slice(0, action.indexOf(':'))}` : scope;
        const slot = byKey.get(key) ?? { scope, actions: new Set<string>() };
        slot.actions.add(action);
        byKey.set(key, slot);
      }
    }
  };
  for (const entry of entries) {
    add(entry.read);
    if (role === 'deploy') add(entry.write);
  }
  // The deploy job ends with the smoke check, run with the same role.
  if (role === 'deploy') add(SMOKE_CHECK);
  const statements: Statement[] = [...byKey].map(([key, { scope, actions }]) => {
    const resolved = scope === 'any' ? { resources: ['*'] } : resolveScope(scope, ctx);
    const service = key.slice('any:'.length);
    const sid = scope === 'any' ? `${pascal(SERVICE_KEYS[service] ?? service)}Any` : pascal(key);
    return {
      Sid: sid,
      Effect: 'Allow',
      Action: [...actions].sort(),
      Resource: [...new Set(resolved.resources)].sort(),
      ...(resolved.condition ? { Condition: sortCondition(resolved.condition) } : {}),
    };
  });
  for (const s of stateStatements(stacks, role, ctx.partition, ctx.account)) {
    statements.push({ ...s, ...(s.Condition ? { Condition: sortCondition(s.Condition) } : {}) });
  }
  return { Version: '2012-10-17', Statement: statements.sort((x, y) => (x.Sid < y.Sid ? -1 : x.Sid > y.Sid ? 1 : 0)) };
}
