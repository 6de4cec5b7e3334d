import type { ResolvedConfig } from './config/resolve';

export interface PlannedCertificate {
  /** Stable key: `wildcard`, or the host a per-host certificate is for. */
  readonly key: string;
  readonly domainName: string;
  readonly subjectAlternativeNames: readonly string[];
  readonly hosts: readonly string[];
}

export const WILDCARD_CERTIFICATE_KEY = 'wildcard';

/** True when a `*.zone` certificate is valid for `host` (exactly one label below the zone). */
function coveredByWildcard(host: string, zone: string): boolean {
  return host === zone || (host.endsWith(`.${zone}`) && !host.slice(0, -zone.length - 1).includes('.'));
}

/**
 * Decides which certificates cover which hosts. Keys come from host names, never list
 * positions, so adding a host adds at most its own certificate and changes no other.
 * Shared by the certs stack (creates them) and the edge stack (attaches them).
 */
export function planCertificates(config: ResolvedConfig): PlannedCertificate[] {
  const { zoneName, certificates } = config;
  const hosts = config.apps.map((a) => a.host).sort();
  const planned: PlannedCertificate[] = [];
  const perHost = certificates === 'wildcard' ? hosts.filter((h) => !coveredByWildcard(h, zoneName)) : hosts;
  if (certificates === 'wildcard') {
    planned.push({
      key: WILDCARD_CERTIFICATE_KEY,
      domainName: `*.${zoneName}`,
      subjectAlternativeNames: [zoneName],
      hosts: hosts.filter((h) => coveredByWildcard(h, zoneName)),
    });
  }
  for (const host of perHost) planned.push({ key: host, domainName: host, subjectAlternativeNames: [], hosts: [host] });
  return planned;
}

/** The certificate a listener uses by default; the rest are attached as listener certificates. */
export function defaultCertificateKey(planned: readonly PlannedCertificate[]): string {
  const first = planned[0];
  if (!first) throw new Error('planCertificates: no certificate planned (the config has no apps)');
  return first.key;
}
