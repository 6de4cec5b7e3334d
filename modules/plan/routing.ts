import type { ResolvedApp } from '../config/defaults';
import { WILDCARDS_PER_RULE, wildcards } from '../config/aws-names';
import { CONDITION_VALUES_PER_RULE } from '../config/quotas';
import { hashGroups, packStable } from './packing';
import { fnv1a, RulePriorities } from './priorities';

export type RuleKind = 'public-hosts' | 'client-hosts' | 'public-paths' | 'deny-paths' | 'bearer';

export interface PlannedRule {
  /** Stable construct key, derived from host names and hash buckets, never list positions. */
  readonly key: string;
  readonly kind: RuleKind;
  readonly priority: number;
  readonly hosts: readonly string[];
  /** Only for `public-paths` and `deny-paths`. */
  readonly paths?: readonly string[];
  /** Key of the app client that authenticates (client-hosts, deny-paths). */
  readonly client?: string;
  /** Only for `bearer`: the scope names a token must all carry (sorted). */
  readonly scopes?: readonly string[];
}

/** One confidential app client of the ALB and the protected hosts it registers. */
export interface PlannedClient {
  /** `alb` for hash group 0, `alb-<group>` after: stable as long as the group count is. */
  readonly key: string;
  /** The hash group, which also names the client's construct and Cognito name. */
  readonly group: number;
  readonly hosts: readonly string[];
}

export interface RoutingPlan {
  /** App clients that have hosts, by group; the first is the listener's default action. */
  readonly clients: readonly PlannedClient[];
  readonly rules: readonly PlannedRule[];
  /** Client key of every protected host. */
  readonly hostClients: ReadonlyMap<string, string>;
}

/**
 * Listener rule priorities by kind: a public path is evaluated before a deny path that may
 * overlap it (`/api/health` public under a denied `/api/*`), and both before the host-wide rules.
 * Bearer-token rules share the deny paths' range (one allocator, so never one priority twice):
 * after public paths, before the host-wide sign-in rules; a host never has both (validation).
 */
export const PRIORITY_RANGES = {
  publicPaths: { first: 10, last: 16999 },
  denyPaths: { first: 17000, last: 24999 },
  hosts: { first: 25000, last: 49999 },
} as const;

export interface RoutingInput {
  /** Every app, defaults applied. */
  readonly apps: readonly ResolvedApp[];
  /** Cognito's quota of callback (and logout) URLs per app client. */
  readonly callbackUrlsPerAppClient: number;
}

/** The key of hash group `group`'s app client. */
export function clientKey(group: number): string {
  return group === 0 ? 'alb' : `alb-${group}`;
}

/**
 * Decides every listener rule and which app client serves which host. Hosts of the default
 * client need no rule (the default action signs them in); everything else is packed up to the
 * ALB's five condition values per rule, in hash buckets so one new app touches only the rules of
 * its own bucket. A hash group with no host (possible with a small callback quota) has no client:
 * clients are keyed, never counted, so a gap changes nothing else.
 */
export function planRouting(input: RoutingInput): RoutingPlan {
  const protectedApps = input.apps.filter((a) => a.access === 'protected');
  const groups = hashGroups(
    protectedApps.map((a) => a.host),
    input.callbackUrlsPerAppClient,
    'client',
  );
  const clients: PlannedClient[] = groups.flatMap((hosts, group) => (hosts.length ? [{ key: clientKey(group), group, hosts }] : []));
  const hostClients = new Map(clients.flatMap((c) => c.hosts.map((h) => [h, c.key] as const)));

  const hostWide: Omit<PlannedRule, 'priority'>[] = [];
  const publicHosts = input.apps.filter((a) => a.access === 'public').map((a) => a.host);
  for (const pack of packStable(publicHosts, CONDITION_VALUES_PER_RULE, 'public')) {
    hostWide.push({ key: `public-${pack.key}`, kind: 'public-hosts', hosts: pack.items });
  }
  // The first client's hosts are served by the default action.
  for (const client of clients.slice(1)) {
    for (const pack of packStable(client.hosts, CONDITION_VALUES_PER_RULE, `client-${client.group}`)) {
      hostWide.push({ key: `client-${client.group}-${pack.key}`, kind: 'client-hosts', hosts: pack.items, client: client.key });
    }
  }

  const publicPaths = protectedApps.flatMap((app) => pathRules(app, 'public-paths', app.publicPaths));
  const denyPaths = protectedApps.flatMap((app) => pathRules(app, 'deny-paths', app.denyPaths, hostClients.get(app.host)));
  const bearer = bearerRules(protectedApps);
  const ranked = (rules: Omit<PlannedRule, 'priority'>[], range: { first: number; last: number }): PlannedRule[] => {
    const priorities = new RulePriorities(
      rules.map((r) => r.key),
      range,
    );
    return rules.map((r) => ({ ...r, priority: priorities.priority(r.key) }));
  };
  const rules = [
    ...ranked(publicPaths, PRIORITY_RANGES.publicPaths),
    ...ranked([...denyPaths, ...bearer], PRIORITY_RANGES.denyPaths),
    ...ranked(hostWide, PRIORITY_RANGES.hosts),
  ];
  return { clients, rules, hostClients };
}

/**
 * One rule per set of hosts that need the same scopes: at most four hosts, since the
 * `Authorization: Bearer *` header condition takes the fifth condition value (and one of the five
 * wildcards). Keyed by a hash of the scope set and a stable pack, so a new API host touches only
 * the rules of its own scope set and bucket.
 */
export function bearerRules(apps: readonly ResolvedApp[]): Omit<PlannedRule, 'priority'>[] {
  const bySet = new Map<string, { scopes: readonly string[]; hosts: string[] }>();
  for (const app of apps) {
    if (!app.bearerTokens) continue;
    const scopes = [...app.bearerTokens.scopes].sort();
    const set = scopes.join(' ');
    const entry = bySet.get(set) ?? { scopes, hosts: [] };
    entry.hosts.push(app.host);
    bySet.set(set, entry);
  }
  return [...bySet].flatMap(([set, { scopes, hosts }]) => {
    const id = fnv1a(set).toString(16).padStart(8, '0');
    return packStable(hosts, CONDITION_VALUES_PER_RULE - 1, `bearer-${id}`).map((pack) => ({
      key: `bearer-${id}-${pack.key}`,
      kind: 'bearer' as const,
      hosts: pack.items,
      scopes,
    }));
  });
}

/**
 * Rules of one host's paths, in sorted order: at most four per rule (the host takes the fifth
 * condition value) and at most five wildcards across a rule's conditions (ELB quotas, "Wildcards
 * per rule"; validation keeps each pattern within five).
 */
function pathRules(
  app: ResolvedApp,
  kind: 'public-paths' | 'deny-paths',
  paths: readonly string[],
  client?: string,
): Omit<PlannedRule, 'priority'>[] {
  const chunks: string[][] = [];
  for (const path of [...paths].sort()) {
    const last = chunks[chunks.length - 1];
    const fits = last && last.length < CONDITION_VALUES_PER_RULE - 1 && wildcards(last.join('')) + wildcards(path) <= WILDCARDS_PER_RULE;
    if (fits) last.push(path);
    else chunks.push([path]);
  }
  const prefix = kind === 'public-paths' ? 'paths' : 'deny';
  return chunks.map((chunk, i) => {
    const rule = { key: `${prefix}-${app.host}-${i}`, kind, hosts: [app.host], paths: chunk };
    return client === undefined ? rule : { ...rule, client };
  });
}
