import { basename, dirname, join, resolve, sep } from 'path';
import { pathProblem, s3BucketProblem, s3KeyPrefixProblem } from './aws-names';
import { wafCountryProblem } from './aws-rules';
import { type Checker, duplicates, itemName } from './checker';
import { DEFAULTS } from './defaults';
import { PATTERNS, RESERVED_DOMAIN_WORDS } from './patterns';

/** Returns the configured group names, which the apps' allowedGroups must come from. */
export function checkCognito(c: Checker, cognito: unknown): ReadonlySet<string> {
  const groupNames = new Set<string>();
  if (!c.isObject('cognito', cognito)) return groupNames;
  c.knownKeys('cognito', cognito, [
    'domainPrefix',
    'mfa',
    'passwordMinimumLength',
    'accessTokenValidityMinutes',
    'refreshTokenValidityHours',
    'deletionProtection',
    'groups',
    'identityProviders',
    'localUsers',
    'groupMapping',
    'requireGroup',
    'customDomain',
    'managedLogin',
    'brandingFile',
    'passkeys',
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
  const access = cognito.accessTokenValidityMinutes ?? DEFAULTS.cognito.accessTokenValidityMinutes;
  const refresh = cognito.refreshTokenValidityHours ?? DEFAULTS.cognito.refreshTokenValidityHours;
  // Only between values that are valid on their own: a wrong one is reported once, above.
  const valid = (v: unknown, min: number, max: number) => Number.isInteger(v) && (v as number) >= min && (v as number) <= max;
  if (valid(access, 5, 1440) && valid(refresh, 1, 87600) && (refresh as number) * 60 < (access as number)) {
    c.fail(
      'cognito.refreshTokenValidityHours',
      refresh,
      `must last at least as long as the access and ID tokens (${access} minutes): Cognito refuses an app client whose refresh token expires first`,
    );
  }
  if (c.array('cognito.groups', cognito.groups, false)) {
    const names: unknown[] = [];
    cognito.groups.forEach((g, i) => {
      const f = itemName('cognito.groups', i, g);
      if (!c.isObject(f, g)) return;
      c.knownKeys(f, g, ['name', 'description', 'grafanaRole']);
      c.string(`${f}.name`, g.name, PATTERNS.groupName, 'must be 1-128 characters without spaces');
      // A badly written name is reported here, not again by every app that allows it.
      if (typeof g.name === 'string') groupNames.add(g.name);
      if (g.description !== undefined && (typeof g.description !== 'string' || g.description.length > 2048))
        c.fail(`${f}.description`, g.description, 'must be a string of at most 2048 characters');
      c.oneOf(`${f}.grafanaRole`, g.grafanaRole, ['Admin', 'Editor', 'Viewer']);
      names.push(g.name);
    });
    duplicates(names).forEach((n) => c.fail('cognito.groups', n, 'names a group twice'));
  }
  return groupNames;
}

export function checkSession(c: Checker, session: unknown): string {
  const fallback = DEFAULTS.session.signoutPath;
  if (!c.isObject('session', session, false)) return fallback;
  c.knownKeys('session', session, ['cookieName', 'timeoutSeconds', 'signoutPath', 'signoutConcurrency']);
  if (session.signoutConcurrency !== false) c.integer('session.signoutConcurrency', session.signoutConcurrency, 1, 1000);
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
    const problem = pathProblem(session.signoutPath as string);
    if (problem) c.fail('session.signoutPath', session.signoutPath, problem);
    else if ((session.signoutPath as string).startsWith('/oauth2/')) {
      c.fail('session.signoutPath', session.signoutPath, 'must not be under "/oauth2/", where the ALB receives the sign-in callback');
    }
    return session.signoutPath as string;
  }
  return fallback;
}

export function checkAlb(c: Checker, alb: unknown): void {
  if (!c.isObject('alb', alb, false)) return;
  if (alb.webAclArn !== undefined)
    c.fail(
      'alb.webAclArn',
      alb.webAclArn,
      'has moved: write waf: { mode: existing, webAclArn: <the ARN> } (it then protects the user pool too)',
    );
  c.knownKeys('alb', Object.fromEntries(Object.entries(alb).filter(([k]) => k !== 'webAclArn')), [
    'deletionProtection',
    'accessLogs',
    'idleTimeoutSeconds',
    'securityHeaders',
  ]);
  c.boolean('alb.deletionProtection', alb.deletionProtection);
  c.boolean('alb.securityHeaders', alb.securityHeaders);
  c.integer('alb.idleTimeoutSeconds', alb.idleTimeoutSeconds, 1, 4000);
  if (c.isObject('alb.accessLogs', alb.accessLogs, false)) {
    const logs = alb.accessLogs;
    c.knownKeys('alb.accessLogs', logs, ['bucket', 'prefix', 'create', 'expireDays']);
    c.boolean('alb.accessLogs.create', logs.create);
    if (logs.create === true) {
      if (logs.bucket !== undefined)
        c.fail('alb.accessLogs.bucket', logs.bucket, 'cannot be combined with create: true (the bucket is created and named here)');
      c.integer('alb.accessLogs.expireDays', logs.expireDays, 1, 3650);
    } else {
      checkBucket(c, 'alb.accessLogs.bucket', logs.bucket);
      if (logs.expireDays !== undefined)
        c.fail('alb.accessLogs.expireDays', logs.expireDays, "is only read with create: true (an existing bucket's lifecycle is its own)");
    }
    if (logs.prefix !== undefined) {
      const problem =
        typeof logs.prefix !== 'string'
          ? 'must be a string'
          : logs.prefix.includes('AWSLogs')
            ? 'must not contain "AWSLogs" (the ALB adds it after the prefix)'
            : s3KeyPrefixProblem(logs.prefix);
      if (problem) c.fail('alb.accessLogs.prefix', logs.prefix, problem);
    }
  }
}

export function checkState(c: Checker, state: unknown, outdir: string): void {
  if (!c.isObject('state', state, false)) return;
  c.oneOf('state.backend', state.backend, ['local', 's3'], true);
  if (state.backend === 'local') {
    c.knownKeys('state', state, ['backend', 'directory']);
    if (state.directory !== undefined) checkStateDirectory(c, state.directory, outdir);
  } else if (state.backend === 's3') {
    c.knownKeys('state', state, ['backend', 'bucket', 'region', 'keyPrefix', 'dynamodbTable']);
    checkBucket(c, 'state.bucket', state.bucket);
    c.string('state.region', state.region, PATTERNS.region, 'must be an AWS region code such as "eu-west-1"', false);
    if (state.keyPrefix !== undefined) {
      const problem = typeof state.keyPrefix === 'string' ? s3KeyPrefixProblem(state.keyPrefix) : 'must be a string';
      if (problem) c.fail('state.keyPrefix', state.keyPrefix, problem);
    }
    c.string(
      'state.dynamodbTable',
      state.dynamodbTable,
      PATTERNS.dynamodbTable,
      'must be a DynamoDB table name (3-255 letters, digits, _ . -)',
      false,
    );
  }
}

/**
 * A plain relative folder of the project, never inside the synth output folder: every synth
 * replaces that folder whole, and the state with it.
 */
function checkStateDirectory(c: Checker, dir: unknown, outdir: string): void {
  const plain =
    typeof dir === 'string' &&
    /^[A-Za-z0-9_-][A-Za-z0-9_.-]*(\/[A-Za-z0-9_-][A-Za-z0-9_.-]*)*$/.test(dir) &&
    !dir.split('/').some((s) => s === '.' || s === '..');
  if (!plain) {
    c.fail(
      'state.directory',
      dir,
      'must be a plain relative folder inside the project: names of letters, digits, _ . - joined by "/", no "." or ".." segment, no leading "/"',
    );
    return;
  }
  const root = process.cwd();
  const target = resolve(root, dir as string);
  const out = resolve(root, outdir);
  const staging = join(dirname(out), `.${basename(out)}.`);
  if (target === out || target.startsWith(`${out}${sep}`) || target.startsWith(staging) || out.startsWith(`${target}${sep}`)) {
    c.fail(
      'state.directory',
      dir,
      `must not be, contain or lie inside the synth output folder "${outdir}": every synth replaces that folder and would delete the state`,
    );
  }
}

export function checkBucket(c: Checker, field: string, bucket: unknown): void {
  const problem = typeof bucket === 'string' ? s3BucketProblem(bucket) : 'must be a string';
  if (problem) c.fail(field, bucket, problem);
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
    const f = itemName('suppressions', i, s, 'rule');
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

const ROUTER_KINDS = ['ingress-nginx', 'traefik'];

/** `router`: a kind, or `{ use, keep? }` with two different kinds. */
export function checkRouter(c: Checker, router: unknown): void {
  if (router === undefined || typeof router === 'string') return c.oneOf('router', router, ROUTER_KINDS);
  if (typeof router !== 'object' || router === null || Array.isArray(router))
    return c.fail('router', router, 'must be "ingress-nginx", "traefik" or { use, keep } (a switch between them)');
  if (!c.isObject('router', router)) return;
  c.knownKeys('router', router, ['use', 'keep']);
  c.oneOf('router.use', router.use, ROUTER_KINDS, true);
  c.oneOf('router.keep', router.keep, ROUTER_KINDS);
  if (router.keep !== undefined && router.keep === router.use)
    c.fail(
      'router.keep',
      router.keep,
      'must name the other router: keep runs the old router beside the one in use during a switch (leave it out when not switching)',
    );
}

/** AWS WAF rate-based rules: 10 to 2,000,000,000 requests per evaluation window (WAF API, RateBasedStatement). */
export const WAF_RATE_LIMIT = { min: 10, max: 2_000_000_000 } as const;

/** `waf`: the mode, and each setting only where its mode reads it. */
export function checkWaf(c: Checker, waf: unknown, region: unknown, bearerApps: readonly BearerApp[] = []): void {
  if (!c.isObject('waf', waf, false)) return;
  c.knownKeys('waf', waf, ['mode', 'webAclArn', 'rateLimitPer5Min', 'allowCountries', 'count', 'bearerTokensFromAnyCountry']);
  c.oneOf('waf.mode', waf.mode, ['managed', 'existing', 'off']);
  const mode = waf.mode ?? 'managed';
  // With an unknown mode, which settings it would read is unknown too: the mode's error says enough.
  if (!['managed', 'existing', 'off'].includes(mode as string)) return;
  if (mode === 'existing') {
    if (waf.webAclArn === undefined) c.fail('waf.webAclArn', waf.webAclArn, 'is required with mode existing');
    else if (
      c.string(
        'waf.webAclArn',
        waf.webAclArn,
        PATTERNS.webAclArn,
        'must be the ARN of a REGIONAL WAFv2 web ACL (…:regional/webacl/<name>/<id>)',
        false,
      )
    ) {
      const aclRegion = (waf.webAclArn as string).split(':')[3];
      // WAFv2 associates a regional web ACL only with resources of its own region.
      if (typeof region === 'string' && aclRegion !== region)
        c.fail(
          'waf.webAclArn',
          waf.webAclArn,
          `is in ${aclRegion}, but a web ACL protects only an ALB and a user pool of its own region (${region})`,
        );
    }
  } else if (waf.webAclArn !== undefined) c.fail('waf.webAclArn', waf.webAclArn, `is only read with mode existing (mode is ${mode})`);
  for (const key of ['rateLimitPer5Min', 'allowCountries', 'count', 'bearerTokensFromAnyCountry'] as const) {
    if (mode !== 'managed' && waf[key] !== undefined) c.fail(`waf.${key}`, waf[key], `is only read with mode managed (mode is ${mode})`);
  }
  c.integer('waf.rateLimitPer5Min', waf.rateLimitPer5Min, WAF_RATE_LIMIT.min, WAF_RATE_LIMIT.max);
  c.boolean('waf.count', waf.count);
  if (c.array('waf.allowCountries', waf.allowCountries, false)) {
    if (waf.allowCountries.length === 0)
      c.fail('waf.allowCountries', waf.allowCountries, 'must name at least one country; leave it out to allow all');
    waf.allowCountries.forEach((code, i) => {
      if (typeof code !== 'string') c.fail(`waf.allowCountries[${i}]`, code, 'must be an ISO 3166-1 alpha-2 country code such as "DE"');
      else {
        const problem = wafCountryProblem(code);
        if (problem) c.fail(`waf.allowCountries[${i}]`, code, problem);
      }
    });
    duplicates(waf.allowCountries).forEach((code) => c.fail('waf.allowCountries', code, 'is listed twice'));
  }
  if (mode === 'managed') checkBearerCountries(c, waf, bearerApps);
}

/** An app with `bearerTokens`, as written: its host and its public paths. */
export interface BearerApp {
  readonly host: string;
  readonly publicPaths: readonly unknown[];
}

/**
 * `waf.bearerTokensFromAnyCountry`: said explicitly wherever the country allow-list meets bearer-token
 * apps, and refused where it could never take effect, or where it would open more than token checks:
 * the ALB forwards an app's public paths before any bearer rule, so a bearer header there would pass
 * the allow-list with no token check at all.
 */
function checkBearerCountries(c: Checker, waf: Record<string, unknown>, bearerApps: readonly BearerApp[]): void {
  const bearerHosts = bearerApps.map((a) => a.host);
  const value = waf.bearerTokensFromAnyCountry;
  if (value !== undefined && typeof value !== 'boolean') return c.boolean('waf.bearerTokensFromAnyCountry', value);
  const countries = Array.isArray(waf.allowCountries) && waf.allowCountries.length > 0;
  if (value !== undefined && !countries)
    c.fail(
      'waf.bearerTokensFromAnyCountry',
      value,
      'is only read with allowCountries: without a country allow-list every country is allowed',
    );
  else if (value !== undefined && bearerHosts.length === 0)
    c.fail('waf.bearerTokensFromAnyCountry', value, 'is only read when an app has bearerTokens: no app accepts bearer tokens');
  else if (value === undefined && countries && bearerHosts.length > 0)
    c.fail(
      'waf.bearerTokensFromAnyCountry',
      value,
      `is required with allowCountries and bearer-token apps (${bearerHosts.join(', ')}): the allow-list also blocks calls from code in other countries (CI runners and cloud machines run anywhere); true lets a request with a bearer token to those hosts through (the ALB still verifies the token), false keeps blocking it`,
    );
  else if (value === true)
    for (const app of bearerApps.filter((a) => a.publicPaths.length > 0))
      c.fail(
        'waf.bearerTokensFromAnyCountry',
        value,
        `would let a request with any bearer header reach the public paths of ${app.host} (${app.publicPaths.join(', ')}) from every country: the ALB forwards public paths before it checks a token; serve them from another host, or set false`,
      );
}

/** `alarms`: mail addresses for a topic of this app, or an existing topic, not both. */
export function checkAlarms(c: Checker, alarms: unknown, region: unknown): void {
  if (!c.isObject('alarms', alarms, false)) return;
  c.knownKeys('alarms', alarms, ['email', 'snsTopicArn']);
  if (alarms.email !== undefined && alarms.snsTopicArn !== undefined)
    c.fail('alarms.email', alarms.email, 'cannot be combined with snsTopicArn: subscribe the addresses to that topic yourself');
  if (c.array('alarms.email', alarms.email, false)) {
    if (alarms.email.length === 0) c.fail('alarms.email', alarms.email, 'must list at least one address; leave it out for none');
    alarms.email.forEach((address, i) =>
      c.string(`alarms.email[${i}]`, address, /^[^\s@]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,}$/, 'must be an email address'),
    );
    duplicates(alarms.email).forEach((address) => c.fail('alarms.email', address, 'is listed twice'));
  }
  if (
    c.string(
      'alarms.snsTopicArn',
      alarms.snsTopicArn,
      /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/,
      'must be an SNS topic ARN',
      false,
    )
  ) {
    const topicRegion = (alarms.snsTopicArn as string).split(':')[3];
    // CloudWatch alarms notify topics of their own region only.
    if (typeof region === 'string' && topicRegion !== region)
      c.fail(
        'alarms.snsTopicArn',
        alarms.snsTopicArn,
        `is in ${topicRegion}, but CloudWatch alarms in ${region} notify only topics of ${region}`,
      );
  }
}
