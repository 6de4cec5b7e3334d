import type { ResolvedConfig } from '../config/defaults';
import { APP_CLIENTS_PER_USER_POOL } from '../config/quotas';
import type { ConfigProblem } from '../config/errors';
import { MAX_ACM_FIRST_DOMAIN } from './certificates';
import type { DeploymentPlan } from './types';

/** Lambda quotas: "Environment variables: 4 KB" for all of a function's variables together. */
export const LAMBDA_ENVIRONMENT_BYTES = 4096;
/** Cognito app client ids are 26 characters. */
const CLIENT_ID_LENGTH = 26;
/**
 * Names, the logout endpoint (`https://<prefix>.auth.<region>.amazoncognito.com/logout` or the
 * custom domain's, at most ~80), the issuer (~80) and the JWKS URL (~100).
 */
const SIGNOUT_ENV_OVERHEAD = 400;

/** Platform rules that are always there: the sign-out path and its clear hop. */
export const PLATFORM_RULES = 2;

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
      rule: `need ${rules} ALB listener rules (${breakdown}) but the quota "Rules per Application Load Balancer" is ${quotas.listenerRulesPerAlb}: ask AWS to raise it and set quotas.listenerRulesPerAlb, or use fewer public hosts, public paths, deny paths and bearer-token scope sets`,
    });
  }
  const { clients } = plan.auth;
  const crowded = clients.filter((c) => c.hosts.length > quotas.callbackUrlsPerAppClient);
  if (crowded.length > 0) {
    problems.push({
      field: 'quotas.callbackUrlsPerAppClient',
      value: quotas.callbackUrlsPerAppClient,
      rule: `is too small to spread ${clients.reduce((n, c) => n + c.hosts.length, 0)} protected hosts over app clients (hosts are assigned by hash; the quota "Callback URLs per app client" is 100 unless AWS raised it): raise it toward 100`,
    });
  }
  if (clients.length > APP_CLIENTS_PER_USER_POOL) {
    problems.push({
      field: 'apps',
      value: `${clients.length} app clients`,
      rule: `exceed the ${APP_CLIENTS_PER_USER_POOL} app clients a Cognito user pool allows`,
    });
  }
  // The sign-out function gets every client id in one environment variable (CLIENT_IDS).
  const environmentBytes = clients.length * (CLIENT_ID_LENGTH + 1) + SIGNOUT_ENV_OVERHEAD;
  if (environmentBytes > LAMBDA_ENVIRONMENT_BYTES) {
    problems.push({
      field: 'apps',
      value: `${clients.length} app clients`,
      rule: `need ${environmentBytes} bytes of environment variables for the sign-out function, but a Lambda function allows ${LAMBDA_ENVIRONMENT_BYTES} (Lambda quotas, "Environment variables"): raise quotas.callbackUrlsPerAppClient so fewer clients are needed`,
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
  for (const cert of certificates.filter((c) => c.domainName.length > MAX_ACM_FIRST_DOMAIN)) {
    problems.push({
      field: 'certificates',
      value: cert.domainName,
      rule: `is a certificate's first domain name of ${cert.domainName.length} characters, but ACM takes at most ${MAX_ACM_FIRST_DOMAIN} there: use certificates: "grouped" (a shorter host leads, the long one becomes an alternative name) or a shorter host`,
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
