import type { ResolvedApp } from '../config/defaults';
import { hashGroups, packStable } from './packing';
import { CONDITION_VALUES_PER_RULE } from '../config/quotas';
import { RulePriorities } from './priorities';

export type RuleKind = 'public-hosts' | 'client-hosts' | 'deny-hosts' | 'public-paths';

export interface PlannedRule {
  /** Stable construct key, derived from host names and hash buckets, never list positions. */
  readonly key: string;
  readonly kind: RuleKind;
  readonly priority: number;
  readonly hosts: readonly string[];
  /** Only for `public-paths`. */
  readonly paths?: readonly string[];
  /** App client that authenticates (client-hosts, deny-hosts). */
  readonly client?: number;
}

export interface RoutingPlan {
  /** Protected hosts per Cognito app client; client 0 is the listener's default action. */
  readonly clients: readonly (readonly string[])[];
  readonly rules: readonly PlannedRule[];
  /** App client index of every protected host. */
  readonly hostClients: ReadonlyMap<string, number>;
  clientOf(host: string): number;
}

/** Rules that name paths are evaluated before rules that take a whole host. */
const PATH_RULES = { first: 10, last: 24999 } as const;
const HOST_RULES = { first: 25000, last: 49999 } as const;

export interface RoutingInput {
  /** Every app, defaults applied. */
  readonly apps: readonly ResolvedApp[];
  /** Cognito's quota of callback (and logout) URLs per app client. */
  readonly callbackUrlsPerAppClient: number;
}

/**
 * Decides every listener rule and which app client serves which host. Protected hosts of
 * client 0 need no rule (the default action signs them in); everything else is packed up to
 * the ALB's five condition values per rule, in hash buckets so one new app touches only the
 * rules of its own bucket.
 */
export function planRouting(input: RoutingInput): RoutingPlan {
  const protectedApps = input.apps.filter((a) => a.access === 'protected');
  const clients = hashGroups(
    protectedApps.map((a) => a.host),
    input.callbackUrlsPerAppClient,
    'client',
  );
  // Client indexes are positions in the auth stack's client_ids output, so none may be missing.
  // Groups only multiply past the quota (about 50+ hosts each), so an empty one is not expected.
  const empty = clients.findIndex((hosts) => hosts.length === 0);
  if (empty !== -1)
    throw new Error(`planRouting: app client ${empty} of ${clients.length} would have no host; hosts: ${protectedApps.length}`);
  const clientByHost = new Map(clients.flatMap((hosts, client) => hosts.map((h) => [h, client] as const)));
  const clientOf = (host: string): number => {
    const client = clientByHost.get(host);
    if (client === undefined) throw new Error(`planRouting: "${host}" is not a protected host`);
    return client;
  };

  const hostWide: Omit<PlannedRule, 'priority'>[] = [];
  const publicHosts = input.apps.filter((a) => a.access === 'public').map((a) => a.host);
  for (const pack of packStable(publicHosts, CONDITION_VALUES_PER_RULE, 'public')) {
    hostWide.push({ key: `public-${pack.key}`, kind: 'public-hosts', hosts: pack.items });
  }
  clients.forEach((hosts, client) => {
    const deny = new Set(protectedApps.filter((a) => a.onUnauthenticated === 'deny').map((a) => a.host));
    // Client 0's hosts that sign in normally are served by the default action.
    const signIn = client === 0 ? [] : hosts.filter((h) => !deny.has(h));
    for (const pack of packStable(signIn, CONDITION_VALUES_PER_RULE, `client-${client}`)) {
      hostWide.push({ key: `client-${client}-${pack.key}`, kind: 'client-hosts', hosts: pack.items, client });
    }
    for (const pack of packStable(
      hosts.filter((h) => deny.has(h)),
      CONDITION_VALUES_PER_RULE,
      `deny-${client}`,
    )) {
      hostWide.push({ key: `deny-${client}-${pack.key}`, kind: 'deny-hosts', hosts: pack.items, client });
    }
  });

  const pathRules: Omit<PlannedRule, 'priority'>[] = [];
  for (const app of protectedApps) {
    const paths = [...app.publicPaths].sort();
    const perRule = CONDITION_VALUES_PER_RULE - 1;
    for (let i = 0; i * perRule < paths.length; i++) {
      pathRules.push({
        key: `paths-${app.host}-${i}`,
        kind: 'public-paths',
        hosts: [app.host],
        paths: paths.slice(i * perRule, (i + 1) * perRule),
      });
    }
  }

  const pathPriorities = new RulePriorities(
    pathRules.map((r) => r.key),
    PATH_RULES,
  );
  const hostPriorities = new RulePriorities(
    hostWide.map((r) => r.key),
    HOST_RULES,
  );
  const rules: PlannedRule[] = [
    ...pathRules.map((r) => ({ ...r, priority: pathPriorities.priority(r.key) })),
    ...hostWide.map((r) => ({ ...r, priority: hostPriorities.priority(r.key) })),
  ];
  return { clients, rules, hostClients: clientByHost, clientOf };
}
