import type { CentralAuthConfig } from './types';

/** One broken rule: where it is, what was there, and what the rule is. */
export interface ConfigProblem {
  readonly field: string;
  readonly value: unknown;
  readonly rule: string;
}

export class ConfigError extends Error {
  constructor(
    public readonly problems: readonly ConfigProblem[],
    source = 'config',
  ) {
    super(
      `Invalid ${source} (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  - ${p.field}: ${show(p.value)} ${p.rule}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

function show(value: unknown): string {
  if (value === undefined) return '(missing)';
  const text = JSON.stringify(value);
  return text.length > 300 ? `${text.slice(0, 297)}...` : text;
}

// AWS name rules, kept in one place so the error text and the check never drift apart.
export const PATTERNS = {
  environment: /^[a-z][a-z0-9-]{0,14}[a-z0-9]$/,
  region: /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/,
  vpcId: /^vpc-[0-9a-f]{8}([0-9a-f]{9})?$/,
  subnetId: /^subnet-[0-9a-f]{8}([0-9a-f]{9})?$/,
  clusterName: /^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/,
  domainPrefix: /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/,
  appName: /^[a-z](?:[a-z0-9-]{0,38}[a-z0-9])?$/,
  dnsLabel: /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/,
  cookieName: /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}$/,
  signoutPath: /^\/(?!\/)[A-Za-z0-9_.~/-]{1,127}$/,
  pathPattern: /^\/[A-Za-z0-9_.$/~"'@:+&*?-]{0,127}$/,
  groupName: /^[\p{L}\p{M}\p{S}\p{N}\p{P}]{1,128}$/u,
  s3Bucket: /^(?!xn--)(?!.*-s3alias$)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
  dynamodbTable: /^[A-Za-z0-9_.-]{3,255}$/,
  keyPrefix: /^[A-Za-z0-9!_.*'()/-]{1,200}$/,
  webAclArn: /^arn:aws[a-z-]*:wafv2:[a-z0-9-]+:\d{12}:regional\/webacl\/[A-Za-z0-9_-]+\/[0-9a-f-]{36}$/,
  ruleId: /^[A-Z][A-Z0-9_]{2,63}$/,
} as const;

export const RESERVED_DOMAIN_WORDS = ['aws', 'amazon', 'cognito'] as const;

/** Where the ALB receives Cognito's sign-in response on every protected host. */
export const ALB_CALLBACK_PATH = '/oauth2/idpresponse';

/** ALB allows five condition values per rule; one goes to the host header. */
export const MAX_PUBLIC_PATHS_PER_APP = 36;

const ROOT_KEYS = [
  'environment',
  'region',
  'zoneName',
  'vpcId',
  'publicSubnetIds',
  'clusterName',
  'cognito',
  'session',
  'alb',
  'certificates',
  'state',
  'apps',
  'suppressions',
  'quotas',
];
const APP_KEYS = ['name', 'host', 'access', 'publicPaths', 'onUnauthenticated', 'workload'];

/** Turns an ALB path pattern (`*` and `?` wildcards) into a RegExp. */
export function pathPatternToRegExp(pattern: string): RegExp {
  const body = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

export function isValidHostname(host: string): boolean {
  return host.length <= 253 && host.split('.').length >= 2 && host.split('.').every((l) => PATTERNS.dnsLabel.test(l));
}

/** True when `host` is the zone apex or below it. */
export function isInZone(host: string, zone: string): boolean {
  return host === zone || host.endsWith(`.${zone}`);
}

class Checker {
  readonly problems: ConfigProblem[] = [];

  fail(field: string, value: unknown, rule: string): void {
    this.problems.push({ field, value, rule });
  }

  isObject(field: string, value: unknown, required = true): value is Record<string, unknown> {
    if (value === undefined && !required) return false;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.fail(field, value, 'must be an object');
      return false;
    }
    return true;
  }

  knownKeys(field: string, value: Record<string, unknown>, allowed: readonly string[]): void {
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key))
        this.fail(`${field}.${key}`.replace(/^\./, ''), value[key], `is not a known setting (allowed: ${allowed.join(', ')})`);
    }
  }

  string(field: string, value: unknown, pattern: RegExp, rule: string, required = true): value is string {
    if (value === undefined && !required) return false;
    if (typeof value !== 'string') {
      this.fail(field, value, 'must be a string');
      return false;
    }
    if (!pattern.test(value)) {
      this.fail(field, value, rule);
      return false;
    }
    return true;
  }

  integer(field: string, value: unknown, min: number, max: number): void {
    if (value === undefined) return;
    if (typeof value !== 'number' || !Number.isInteger(value)) this.fail(field, value, 'must be a whole number');
    else if (value < min || value > max) this.fail(field, value, `must be between ${min} and ${max}`);
  }

  boolean(field: string, value: unknown): void {
    if (value !== undefined && typeof value !== 'boolean') this.fail(field, value, 'must be true or false');
  }

  oneOf(field: string, value: unknown, allowed: readonly string[], required = false): void {
    if (value === undefined && !required) return;
    if (typeof value !== 'string' || !allowed.includes(value))
      this.fail(field, value, `must be one of ${allowed.map((a) => `"${a}"`).join(', ')}`);
  }

  array(field: string, value: unknown, required = true): value is unknown[] {
    if (value === undefined && !required) return false;
    if (!Array.isArray(value)) {
      this.fail(field, value, 'must be a list');
      return false;
    }
    return true;
  }
}

/**
 * Checks the whole config before any construct is made, so one run reports every problem
 * and a failed synth writes nothing.
 */
export function validateConfig(raw: unknown, source = 'config'): CentralAuthConfig {
  const c = new Checker();
  if (!c.isObject('(root)', raw)) throw new ConfigError(c.problems, source);
  c.knownKeys('', raw, ROOT_KEYS);

  c.string(
    'environment',
    raw.environment,
    PATTERNS.environment,
    'must be 2-16 lowercase letters, digits or hyphens, starting with a letter (it prefixes AWS names limited to 32 characters)',
  );
  c.string('region', raw.region, PATTERNS.region, 'must be an AWS region code such as "eu-west-1"');
  const zoneOk = c.string('zoneName', raw.zoneName, /^.+$/, '') && checkHostname(c, 'zoneName', raw.zoneName as string);
  const zone = zoneOk ? (raw.zoneName as string) : undefined;
  c.string('vpcId', raw.vpcId, PATTERNS.vpcId, 'must be a VPC id such as "vpc-0123456789abcdef0"');
  if (c.array('publicSubnetIds', raw.publicSubnetIds)) {
    const subnets = raw.publicSubnetIds;
    if (subnets.length < 2)
      c.fail('publicSubnetIds', subnets, 'must list at least two subnets in different Availability Zones (an ALB needs two)');
    subnets.forEach((s, i) =>
      c.string(`publicSubnetIds[${i}]`, s, PATTERNS.subnetId, 'must be a subnet id such as "subnet-0123456789abcdef0"'),
    );
    duplicates(subnets).forEach((s) => c.fail('publicSubnetIds', s, 'is listed twice'));
  }
  c.string(
    'clusterName',
    raw.clusterName,
    PATTERNS.clusterName,
    'must be an EKS cluster name (1-100 letters, digits, hyphens or underscores, starting with a letter or digit)',
  );

  checkCognito(c, raw.cognito);
  const signoutPath = checkSession(c, raw.session);
  checkAlb(c, raw.alb);
  c.oneOf('certificates', raw.certificates, ['wildcard', 'per-host', 'grouped']);
  checkQuotaSettings(c, raw.quotas);
  checkState(c, raw.state);
  checkApps(c, raw.apps, zone, signoutPath);
  checkSuppressions(c, raw.suppressions);

  if (c.problems.length > 0) throw new ConfigError(c.problems, source);
  return raw as unknown as CentralAuthConfig;
}

function checkHostname(c: Checker, field: string, host: string): boolean {
  if (host !== host.toLowerCase()) {
    c.fail(field, host, 'must be lowercase (ALB host matching and Cognito callback URLs are compared as written)');
    return false;
  }
  if (!isValidHostname(host)) {
    c.fail(
      field,
      host,
      'is not a valid host name (dot-separated labels of 1-63 letters, digits or inner hyphens, at most 253 characters, no wildcards, no trailing dot)',
    );
    return false;
  }
  return true;
}

function checkCognito(c: Checker, cognito: unknown): void {
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

function checkSession(c: Checker, session: unknown): string {
  const fallback = '/_auth/signout';
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

function checkAlb(c: Checker, alb: unknown): void {
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

function checkState(c: Checker, state: unknown): void {
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

function checkApps(c: Checker, apps: unknown, zone: string | undefined, signoutPath: string): void {
  if (!c.array('apps', apps)) return;
  if (apps.length === 0) c.fail('apps', apps, 'must list at least one app');
  else if (!apps.some((a) => typeof a === 'object' && a !== null && (a as Record<string, unknown>).access === 'protected')) {
    c.fail(
      'apps',
      `${apps.length} public apps`,
      "must include at least one protected app: the listener's default action signs in through Cognito and the sign-out endpoint serves protected hosts",
    );
  }
  const seenNames = new Map<string, number>();
  const seenHosts = new Map<string, number>();
  let grafanaIndex: number | undefined;
  apps.forEach((app, i) => {
    const f = `apps[${i}]`;
    if (!c.isObject(f, app)) return;
    c.knownKeys(f, app, APP_KEYS);
    if (
      c.string(
        `${f}.name`,
        app.name,
        PATTERNS.appName,
        'must be 1-40 lowercase letters, digits or inner hyphens, starting with a letter (it names Kubernetes and AWS objects)',
      )
    ) {
      const first = seenNames.get(app.name as string);
      if (first !== undefined) c.fail(`${f}.name`, app.name, `is already used by apps[${first}]; app names must be unique`);
      else seenNames.set(app.name as string, i);
    }
    if (typeof app.host !== 'string') c.fail(`${f}.host`, app.host, 'must be a string');
    else if (checkHostname(c, `${f}.host`, app.host)) {
      if (zone && !isInZone(app.host, zone))
        c.fail(`${f}.host`, app.host, `is outside the zone "${zone}" (hosts must be "${zone}" or end with ".${zone}")`);
      const first = seenHosts.get(app.host);
      if (first !== undefined) {
        const other = (apps[first] as Record<string, unknown>).access;
        const why = other !== app.access ? ' and cannot be both public and protected' : '';
        c.fail(`${f}.host`, app.host, `is already used by apps[${first}]${why}; each host belongs to one app`);
      } else seenHosts.set(app.host, i);
    }
    c.oneOf(`${f}.access`, app.access, ['protected', 'public'], true);
    c.oneOf(`${f}.workload`, app.workload, ['none', 'grafana', 'echo']);
    c.oneOf(`${f}.onUnauthenticated`, app.onUnauthenticated, ['authenticate', 'deny']);
    if (app.access === 'public') {
      if (app.publicPaths !== undefined)
        c.fail(`${f}.publicPaths`, app.publicPaths, 'is only allowed on protected apps (a public app is public on every path)');
      if (app.onUnauthenticated !== undefined) c.fail(`${f}.onUnauthenticated`, app.onUnauthenticated, 'is only allowed on protected apps');
    }
    if (app.workload === 'grafana') {
      if (grafanaIndex !== undefined)
        c.fail(`${f}.workload`, app.workload, `is already used by apps[${grafanaIndex}]; the cluster stack deploys one Grafana`);
      grafanaIndex ??= i;
      if (app.access !== 'protected')
        c.fail(`${f}.access`, app.access, 'must be "protected" for Grafana: it trusts the identity the ALB injects');
    }
    checkPublicPaths(c, f, app.publicPaths, signoutPath);
  });
}

function checkPublicPaths(c: Checker, f: string, paths: unknown, signoutPath: string): void {
  if (!c.array(`${f}.publicPaths`, paths, false)) return;
  if (paths.length > MAX_PUBLIC_PATHS_PER_APP) {
    c.fail(
      `${f}.publicPaths`,
      paths.length,
      `lists too many paths (at most ${MAX_PUBLIC_PATHS_PER_APP}: nine listener rules of four path values each per host)`,
    );
  }
  paths.forEach((p, j) => {
    const pf = `${f}.publicPaths[${j}]`;
    if (
      !c.string(
        pf,
        p,
        PATTERNS.pathPattern,
        'must be an ALB path pattern: start with "/", at most 128 characters of letters, digits, _-.$/~"\'@:+&, and the wildcards * and ?',
      )
    )
      return;
    if (p === '/*' || p === '*') c.fail(pf, p, 'makes the whole app public; set access: "public" instead');
    else if (pathPatternToRegExp(p as string).test(ALB_CALLBACK_PATH))
      c.fail(pf, p, `overlaps the ALB's sign-in callback path "${ALB_CALLBACK_PATH}"`);
    else if (pathPatternToRegExp(p as string).test(signoutPath) || pathPatternToRegExp(p as string).test(`${signoutPath}/`)) {
      c.fail(pf, p, `overlaps the reserved sign-out path "${signoutPath}"`);
    }
  });
  duplicates(paths).forEach((p) => c.fail(`${f}.publicPaths`, p, 'is listed twice'));
}

function checkQuotaSettings(c: Checker, quotas: unknown): void {
  if (!c.isObject('quotas', quotas, false)) return;
  c.knownKeys('quotas', quotas, ['listenerRulesPerAlb', 'certificatesPerAlb', 'callbackUrlsPerAppClient', 'domainsPerCertificate']);
  c.integer('quotas.listenerRulesPerAlb', quotas.listenerRulesPerAlb, 2, 10000);
  c.integer('quotas.certificatesPerAlb', quotas.certificatesPerAlb, 0, 10000);
  c.integer('quotas.callbackUrlsPerAppClient', quotas.callbackUrlsPerAppClient, 1, 100);
  c.integer('quotas.domainsPerCertificate', quotas.domainsPerCertificate, 2, 100);
}

function checkSuppressions(c: Checker, suppressions: unknown): void {
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

function duplicates(values: readonly unknown[]): unknown[] {
  const seen = new Set<unknown>();
  const dups = new Set<unknown>();
  for (const v of values) (seen.has(v) ? dups : seen).add(v);
  return [...dups];
}
