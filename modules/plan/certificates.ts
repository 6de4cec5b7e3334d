import type { CertificateStrategy } from '../config/types';
import { packStable } from './packing';

export interface PlannedCertificate {
  /** Stable key: `wildcard`, `*.<parent>`, the host, or `group-<bucket>.<chunk>`. */
  readonly key: string;
  readonly domainName: string;
  readonly subjectAlternativeNames: readonly string[];
  readonly hosts: readonly string[];
}

export const WILDCARD_CERTIFICATE_KEY = 'wildcard';

function parentOf(host: string): string {
  return host.slice(host.indexOf('.') + 1);
}

/** ACM RequestCertificate: DomainName is 1-253 characters, but the first one (the CN) at most 64. */
export const MAX_ACM_FIRST_DOMAIN = 64;

export interface CertificateInput {
  readonly zoneName: string;
  readonly strategy: CertificateStrategy;
  /** Every host the listener serves. */
  readonly hosts: readonly string[];
  /** ACM's quota of domain names per certificate. */
  readonly domainsPerCertificate: number;
}

/**
 * Decides which certificates cover which hosts. Keys come from host names, never list
 * positions, so adding a host adds or changes only the certificate that covers it.
 * The edge stack creates them and attaches them to its listener.
 */
export function planCertificates(input: CertificateInput): PlannedCertificate[] {
  const { zoneName, strategy: certificates, domainsPerCertificate } = input;
  const hosts = [...input.hosts].sort();
  if (certificates === 'per-host') {
    return hosts.map((host) => ({ key: host, domainName: host, subjectAlternativeNames: [], hosts: [host] }));
  }
  if (certificates === 'grouped') {
    return packStable(hosts, domainsPerCertificate, 'certificate', domainsPerCertificate).map((pack) => {
      // ACM's first domain name (the CN) is at most 64 characters; a longer host goes among the SANs.
      const lead = pack.items.find((h) => h.length <= MAX_ACM_FIRST_DOMAIN) ?? pack.items[0]!;
      return {
        key: `group-${pack.key}`,
        domainName: lead,
        subjectAlternativeNames: pack.items.filter((h) => h !== lead),
        hosts: pack.items,
      };
    });
  }
  // A wildcard matches exactly one label, so every parent domain gets its own wildcard.
  const byParent = new Map<string, string[]>();
  for (const host of hosts) {
    const parent = host === zoneName ? zoneName : parentOf(host);
    byParent.set(parent, [...(byParent.get(parent) ?? []), host]);
  }
  const zoneFirst = [...byParent.keys()].sort((a, b) => (a === zoneName ? -1 : b === zoneName ? 1 : a.localeCompare(b)));
  return zoneFirst.map((parent) => ({
    key: parent === zoneName ? WILDCARD_CERTIFICATE_KEY : `*.${parent}`,
    domainName: `*.${parent}`,
    subjectAlternativeNames: parent === zoneName ? [zoneName] : [],
    hosts: byParent.get(parent)!,
  }));
}

/** The certificate a listener uses by default; the rest are attached as listener certificates. */
export function defaultCertificateKey(planned: readonly PlannedCertificate[]): string {
  const first = planned[0];
  if (!first) throw new Error('planCertificates: no certificate planned (the config has no apps)');
  return first.key;
}
