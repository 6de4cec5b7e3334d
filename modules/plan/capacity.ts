import { planCertificates } from './certificates';
import { APP_CLIENTS_PER_USER_POOL } from './quotas';
import { planRouting } from './routing';
import type { ResolvedConfig } from '../config/defaults';
import type { ConfigProblem } from '../config/validate';

/** Platform rules that are always there: the sign-out path. */
export const PLATFORM_RULES = 1;

/**
 * Checks that the planned resources fit the AWS quotas, and says which quota and what to change
 * when they do not. Runs after validation, on the resolved config.
 */
export function checkCapacity(config: ResolvedConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const { quotas } = config;
  const routing = planRouting(config);

  const byKind = new Map<string, number>();
  routing.rules.forEach((r) => byKind.set(r.kind, (byKind.get(r.kind) ?? 0) + 1));
  const rules = PLATFORM_RULES + routing.rules.length;
  if (rules > quotas.listenerRulesPerAlb) {
    const breakdown = [`sign-out ${PLATFORM_RULES}`, ...[...byKind].map(([kind, n]) => `${kind} ${n}`)].join(', ');
    problems.push({
      field: 'apps',
      value: `${config.apps.length} apps`,
      rule: `need ${rules} ALB listener rules (${breakdown}) but the quota "Rules per Application Load Balancer" is ${quotas.listenerRulesPerAlb}: ask AWS to raise it and set quotas.listenerRulesPerAlb, or use fewer public hosts, public paths and onUnauthenticated: deny hosts`,
    });
  }
  if (routing.clients.length > APP_CLIENTS_PER_USER_POOL) {
    problems.push({
      field: 'apps',
      value: `${routing.clients.length} app clients`,
      rule: `exceed the ${APP_CLIENTS_PER_USER_POOL} app clients a Cognito user pool allows`,
    });
  }

  const certificates = planCertificates(config);
  if (certificates.length - 1 > quotas.certificatesPerAlb) {
    const fix = config.certificates === 'wildcard' ? 'group hosts under fewer parent domains' : 'use certificates: "wildcard" or "grouped"';
    problems.push({
      field: 'certificates',
      value: config.certificates,
      rule: `needs ${certificates.length} certificates but the quota "Certificates per Application Load Balancer" allows ${quotas.certificatesPerAlb} besides the default: ${fix}, or ask AWS to raise it and set quotas.certificatesPerAlb`,
    });
  }
  for (const cert of certificates) {
    const names = 1 + cert.subjectAlternativeNames.length;
    if (names > quotas.domainsPerCertificate) {
      problems.push({
        field: 'certificates',
        value: cert.key,
        rule: `needs ${names} domain names but the quota "Domain names per ACM certificate" is ${quotas.domainsPerCertificate}`,
      });
    }
  }
  return problems;
}
