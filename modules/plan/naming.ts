/**
 * Construct id for a host name. cdktf drops characters other than letters, digits, `_` and `-`
 * from top-level logical ids; hosts never contain `_`, so swapping dots for it keeps
 * `a.b-c.example.com` and `a-b.c.example.com` apart.
 */
export function constructKey(host: string): string {
  return host.replace(/\./g, '_');
}

/**
 * A construct id for any user-chosen name (a Cognito group may hold `/`, `.`, `$`, quotes or
 * letters of any script): letters, digits and `-` stay, every other character becomes `_<hex>_`.
 * The encoding is injective (`_` itself is always escaped), so two distinct names never share an
 * id, and no user text ever reaches an id raw (the constructs library rewrites `/`, cdktf reads
 * `${...}` as a token).
 */
export function nameKey(name: string): string {
  return [...name].map((ch) => (/^[A-Za-z0-9-]$/.test(ch) ? ch : `_${ch.codePointAt(0)!.toString(16)}_`)).join('');
}

/** The identity verifier's namespace: the cluster stack creates it, the edge stack's alarms name it. */
export const VERIFIER_NAMESPACE = 'central-auth-verifier';
/** The identity verifier's Deployment, Service and ConfigMap (and Container Insights' PodName). */
export const VERIFIER_NAME = 'verifier';

/** The user pool's name: also what `npm run revoke` finds the pool by (scripts/revoke.ts). */
export function userPoolName(namePrefix: string): string {
  return `${namePrefix}-users`;
}
