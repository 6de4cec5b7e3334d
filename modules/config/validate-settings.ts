import { type Checker, duplicates } from './checker';
import { DEFAULTS } from './defaults';
import { PATTERNS, RESERVED_DOMAIN_WORDS } from './patterns';

export function checkCognito(c: Checker, cognito: unknown): void {
  if (!c.isObject('cognito', cognito)) return;
  c.knownKeys('cognito', cognito, [
    'domainPrefix',
    'mfa',
    'passwordMinimumLength',
    'accessTokenValidityMinutes',
    'refreshTokenValidityHours',
    'deletionProtection',
    'groups',
  ]);
  if (
    c.string('cognito.domainPrefix', cognito.domainPrefix, PATTERNS.domainPrefix, 'must be 1-63 lowercase letters, digits or inner hyphens')
  ) {
    const word = RESERVED_DOMAIN_WORDS.find((w) => (cognito.domainPrefix as string).includes(w));
    if (word)
      c.fail(
        'cognito.domainPrefix',
        cognito.domainPrefix,
        `must not contain the reserved word "${word}" (Cognito rejects prefixes containing aws, amazon or cognito)`,
      );
  }
  c.oneOf('cognito.mfa', cognito.mfa, ['OFF', 'OPTIONAL', 'ON']);
  c.integer('cognito.passwordMinimumLength', cognito.passwordMinimumLength, 8, 99);
  c.integer('cognito.accessTokenValidityMinutes', cognito.accessTokenValidityMinutes, 5, 1440);
  c.integer('cognito.refreshTokenValidityHours', cognito.refreshTokenValidityHours, 1, 87600);
  c.boolean('cognito.deletionProtection', cognito.deletionProtection);
  if (c.array('cognito.groups', cognito.groups, false)) {
    const names: unknown[] = [];
    cognito.groups.forEach((g, i) => {
      const f = `cognito.groups[${i}]`;
      if (!c.isObject(f, g)) return;
      c.knownKeys(f, g, ['name', 'description', 'grafanaRole']);
      c.string(`${f}.name`, g.name, PATTERNS.groupName, 'must be 1-128 characters without spaces');
      if (g.description !== undefined && (typeof g.description !== 'string' || g.description.length > 2048))
        c.fail(`${f}.description`, g.description, 'must be a string of at most 2048 characters');
      c.oneOf(`${f}.grafanaRole`, g.grafanaRole, ['Admin', 'Editor', 'Viewer']);
      names.push(g.name);
    });
    duplicates(names).forEach((n) => c.fail('cognito.groups', n, 'names a group twice'));
  }
}

export function checkSession(c: Checker, session: unknown): string {
  const fallback = DEFAULTS.session.signoutPath;
  if (!c.isObject('session', session, false)) return fallback;
  c.knownKeys('session', session, ['cookieName', 'timeoutSeconds', 'signoutPath']);
  c.string(
    'session.cookieName',
    session.cookieName,
    PATTERNS.cookieName,
    "must be 1-64 cookie-token characters (letters, digits and !#$%&'*+.^_`|~-)",
    false,
  );
  c.integer('session.timeoutSeconds', session.timeoutSeconds, 1, 604800);
  if (
    c.string(
      'session.signoutPath',
      session.signoutPath,
      PATTERNS.signoutPath,
      'must be an absolute path of letters, digits and _.~/- (no wildcards, no leading "//"), other than "/"',
      false,
    )
  ) {
    if ((session.signoutPath as string).startsWith('/oauth2/')) {
      c.fail('session.signoutPath', session.signoutPath, 'must not be under "/oauth2/", where the ALB receives the sign-in callback');
    }
    return session.signoutPath as string;
  }
  return fallback;
}

export function checkAlb(c: Checker, alb: unknown): void {
  if (!c.isObject('alb', alb, false)) return;
  c.knownKeys('alb', alb, ['deletionProtection', 'accessLogs', 'webAclArn', 'idleTimeoutSeconds']);
  c.boolean('alb.deletionProtection', alb.deletionProtection);
  c.integer('alb.idleTimeoutSeconds', alb.idleTimeoutSeconds, 1, 4000);
  c.string('alb.webAclArn', alb.webAclArn, PATTERNS.webAclArn, 'must be the ARN of a REGIONAL WAFv2 web ACL', false);
  if (c.isObject('alb.accessLogs', alb.accessLogs, false)) {
    const logs = alb.accessLogs;
    c.knownKeys('alb.accessLogs', logs, ['bucket', 'prefix']);
    c.string(
      'alb.accessLogs.bucket',
      logs.bucket,
      PATTERNS.s3Bucket,
      'must be an S3 bucket name (3-63 lowercase letters, digits, dots or hyphens)',
    );
    if (logs.prefix !== undefined && (typeof logs.prefix !== 'string' || /^\/|\/$|AWSLogs/.test(logs.prefix) || logs.prefix.length > 200)) {
      c.fail(
        'alb.accessLogs.prefix',
        logs.prefix,
        'must not start or end with "/" nor contain "AWSLogs" (ALB access log rule), at most 200 characters',
      );
    }
  }
}

export function checkState(c: Checker, state: unknown): void {
  if (!c.isObject('state', state, false)) return;
  c.oneOf('state.backend', state.backend, ['local', 's3'], true);
  if (state.backend === 'local') {
    c.knownKeys('state', state, ['backend', 'directory']);
    if (
      state.directory !== undefined &&
      (typeof state.directory !== 'string' ||
        !/^[A-Za-z0-9_.-][A-Za-z0-9_./-]*$/.test(state.directory) ||
        state.directory.split('/').includes('..'))
    ) {
      c.fail('state.directory', state.directory, 'must be a relative folder inside the project (no "..", no leading "/")');
    }
  } else if (state.backend === 's3') {
    c.knownKeys('state', state, ['backend', 'bucket', 'region', 'keyPrefix', 'dynamodbTable']);
    c.string(
      'state.bucket',
      state.bucket,
      PATTERNS.s3Bucket,
      'must be an S3 bucket name (3-63 lowercase letters, digits, dots or hyphens)',
    );
    c.string('state.region', state.region, PATTERNS.region, 'must be an AWS region code such as "eu-west-1"', false);
    c.string('state.keyPrefix', state.keyPrefix, PATTERNS.keyPrefix, 'must be 1-200 S3 key characters', false);
    c.string(
      'state.dynamodbTable',
      state.dynamodbTable,
      PATTERNS.dynamodbTable,
      'must be a DynamoDB table name (3-255 letters, digits, _ . -)',
      false,
    );
  }
}

export function checkQuotaSettings(c: Checker, quotas: unknown): void {
  if (!c.isObject('quotas', quotas, false)) return;
  c.knownKeys('quotas', quotas, ['listenerRulesPerAlb', 'certificatesPerAlb', 'callbackUrlsPerAppClient', 'domainsPerCertificate']);
  c.integer('quotas.listenerRulesPerAlb', quotas.listenerRulesPerAlb, 2, 10000);
  c.integer('quotas.certificatesPerAlb', quotas.certificatesPerAlb, 0, 10000);
  c.integer('quotas.callbackUrlsPerAppClient', quotas.callbackUrlsPerAppClient, 1, 100);
  c.integer('quotas.domainsPerCertificate', quotas.domainsPerCertificate, 2, 100);
}

export function checkSuppressions(c: Checker, suppressions: unknown): void {
  if (!c.array('suppressions', suppressions, false)) return;
  const rules: unknown[] = [];
  suppressions.forEach((s, i) => {
    const f = `suppressions[${i}]`;
    if (!c.isObject(f, s)) return;
    c.knownKeys(f, s, ['rule', 'reason']);
    c.string(`${f}.rule`, s.rule, PATTERNS.ruleId, 'must be a policy rule id such as "ALB_ACCESS_LOGS"');
    if (typeof s.reason !== 'string' || s.reason.trim().length < 20)
      c.fail(`${f}.reason`, s.reason, 'must explain in at least 20 characters why the rule does not apply');
    rules.push(s.rule);
  });
  duplicates(rules).forEach((r) => c.fail('suppressions', r, 'suppresses the same rule twice'));
}

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
/** A Kubernetes object name (RFC 1123 subdomain). */
const K8S_NAME = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

export function checkEks(c: Checker, eks: unknown): void {
  if (!c.isObject('eks', eks, false)) return;
  c.knownKeys('eks', eks, ['planRoleArn', 'deployRoleArn']);
  for (const key of ['planRoleArn', 'deployRoleArn'] as const) {
    c.string(`eks.${key}`, eks[key], ROLE_ARN, 'must be an IAM role ARN such as "arn:aws:iam::123456789012:role/central-auth-plan"', false);
  }
  if (typeof eks.planRoleArn === 'string' && eks.planRoleArn === eks.deployRoleArn) {
    c.fail('eks.planRoleArn', eks.planRoleArn, 'must differ from eks.deployRoleArn: the plan role reads, the deploy role administers');
  }
}

export function checkGrafana(c: Checker, grafana: unknown): void {
  if (!c.isObject('grafana', grafana, false)) return;
  c.knownKeys('grafana', grafana, ['persistence', 'storageClassName']);
  c.boolean('grafana.persistence', grafana.persistence);
  c.string('grafana.storageClassName', grafana.storageClassName, K8S_NAME, 'must be a Kubernetes StorageClass name such as "gp3"', false);
}
