import type { ResolvedConfig } from '../config/defaults';
import { APP_CLIENTS_PER_USER_POOL } from '../config/quotas';
import type { ConfigProblem } from '../config/errors';
import type { DeploymentPlan } from './types';

/** Platform rules that are always there: the sign-out path. */
export const PLATFORM_RULES = 1;

/**
 * Checks that the planned resources fit the AWS quotas, and says which quota and what to change
 * when they do not. Runs on the plan; the config only names what to change.
 */
export function checkCapacity(plan: DeploymentPlan, config: ResolvedConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const { quotas } = config;
  const { rules: plannedRules } = plan.edge;

  const byKind = new Map<string, number>();
  plannedRules.forEach((r) => byKind.set(r.kind, (byKind.get(r.kind) ?? 0) + 1));
  const rules = PLATFORM_RULES + plannedRules.length;
  if (rules > quotas.listenerRulesPerAlb) {
    const breakdown = [`sign-out ${PLATFORM_RULES}`, ...[...byKind].map(([kind, n]) => `${kind} ${n}`)].join(', ');
    problems.push({
      field: 'apps',
      value: `${config.apps.length} apps`,
      rule: `need ${rules} ALB listener rules (${breakdown}) but the quota "Rules per Application Load Balancer" is ${quotas.listenerRulesPerAlb}: ask AWS to raise it and set quotas.listenerRulesPerAlb, or use fewer public hosts, public paths and deny paths`,
    });
  }
  if (plan.auth.clients.length > APP_CLIENTS_PER_USER_POOL) {
    problems.push({
      field: 'apps',
      value: `${plan.auth.clients.length} app clients`,
      rule: `exceed the ${APP_CLIENTS_PER_USER_POOL} app clients a Cognito user pool allows`,
    });
  }

  const { certificates } = plan.edge;
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
