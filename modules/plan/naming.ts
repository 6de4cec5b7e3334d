/**
 * Construct id for a host name. cdktf drops characters other than letters, digits, `_` and `-`
 * from top-level logical ids; hosts never contain `_`, so swapping dots for it keeps
 * `a.b-c.example.com` and `a-b.c.example.com` apart.
 */
export function constructKey(host: string): string {
  return host.replace(/\./g, '_');
}
