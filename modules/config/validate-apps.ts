import { MAX_HOST_CONDITION, pathProblem } from './aws-names';
import { type Checker, checkHostname, duplicates, itemName } from './checker';
import { checkBearerTokens } from './validate-machine-access';
import { ALB_CALLBACK_PATH, isInZone, signoutClearPath, MAX_PUBLIC_PATHS_PER_APP, PATTERNS, pathPatternToRegExp } from './patterns';

export const APP_KEYS = [
  'name',
  'host',
  'access',
  'publicPaths',
  'denyPaths',
  'onUnauthenticated',
  'workload',
  'allowedGroups',
  'forwardAccessToken',
  'bearerTokens',
];

export interface AppsContext {
  readonly zone: string | undefined;
  readonly signoutPath: string;
  /** The configured Cognito group names. */
  readonly groups: ReadonlySet<string>;
}

/** Checks every app; returns the bearer-token scopes they declare. */
export function checkApps(c: Checker, apps: unknown, { zone, signoutPath, groups }: AppsContext): Set<string> {
  const scopes = new Set<string>();
  if (!c.array('apps', apps)) return scopes;
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
    const f = itemName('apps', i, app);
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
      if (first !== undefined)
        c.fail(`${f}.name`, app.name, `is already used by ${itemName('apps', first, apps[first])}; app names must be unique`);
      else seenNames.set(app.name as string, i);
    }
    if (typeof app.host !== 'string') c.fail(`${f}.host`, app.host, 'must be a string');
    else if (app.host.length > MAX_HOST_CONDITION) {
      c.fail(`${f}.host`, app.host, `is longer than ${MAX_HOST_CONDITION} characters, the most an ALB host-header condition holds`);
    } else if (checkHostname(c, `${f}.host`, app.host)) {
      if (zone && !isInZone(app.host, zone))
        c.fail(`${f}.host`, app.host, `is outside the zone "${zone}" (hosts must be "${zone}" or end with ".${zone}")`);
      const first = seenHosts.get(app.host);
      if (first !== undefined) {
        const other = (apps[first] as Record<string, unknown>).access;
        const why = other !== app.access ? ' and cannot be both public and protected' : '';
        c.fail(`${f}.host`, app.host, `is already used by ${itemName('apps', first, apps[first])}${why}; each host belongs to one app`);
      } else seenHosts.set(app.host, i);
    }
    c.oneOf(`${f}.access`, app.access, ['protected', 'public'], true);
    c.oneOf(`${f}.workload`, app.workload, ['none', 'grafana', 'echo']);
    if (app.onUnauthenticated === 'deny') {
      c.fail(
        `${f}.onUnauthenticated`,
        app.onUnauthenticated,
        'must not deny a whole host: the ALB would never start a sign-in there and its session cookie is host-only, so every request would get 401; list the XHR/fetch paths of a browser app in denyPaths, and give APIs bearer-token access instead',
      );
    } else c.oneOf(`${f}.onUnauthenticated`, app.onUnauthenticated, ['authenticate']);
    if (app.access === 'public') {
      for (const key of ['publicPaths', 'denyPaths'] as const) {
        if (app[key] !== undefined)
          c.fail(`${f}.${key}`, app[key], 'is only allowed on protected apps (a public app is public on every path)');
      }
      for (const key of ['allowedGroups', 'forwardAccessToken'] as const) {
        if (app[key] !== undefined) c.fail(`${f}.${key}`, app[key], 'is only allowed on protected apps (nobody signs in to a public app)');
      }
      if (app.onUnauthenticated !== undefined) c.fail(`${f}.onUnauthenticated`, app.onUnauthenticated, 'is only allowed on protected apps');
    }
    if (app.workload === 'grafana') {
      if (grafanaIndex !== undefined)
        c.fail(
          `${f}.workload`,
          app.workload,
          `is already used by ${itemName('apps', grafanaIndex, apps[grafanaIndex])}; the cluster stack deploys one Grafana`,
        );
      grafanaIndex ??= i;
      if (app.access !== 'protected')
        c.fail(`${f}.access`, app.access, 'must be "protected" for Grafana: it trusts the identity the ALB injects');
    }
    checkAllowedGroups(c, `${f}.allowedGroups`, app.allowedGroups, groups);
    c.boolean(`${f}.forwardAccessToken`, app.forwardAccessToken);
    if (app.workload === 'echo' && app.forwardAccessToken === true)
      c.fail(`${f}.forwardAccessToken`, true, 'must not be true for the echo sample: it shows every request header to the user');
    if (app.workload === 'grafana' && app.forwardAccessToken === false)
      c.fail(`${f}.forwardAccessToken`, false, 'must not be false for Grafana: it signs users in from the access token');
    checkPathList(c, `${f}.publicPaths`, app.publicPaths, signoutPath);
    checkPathList(c, `${f}.denyPaths`, app.denyPaths, signoutPath);
    if (Array.isArray(app.publicPaths) && Array.isArray(app.denyPaths)) {
      for (const p of app.denyPaths.filter((d) => (app.publicPaths as unknown[]).includes(d))) {
        c.fail(`${f}.denyPaths`, p, 'is also a public path; a path either skips sign-in or denies without it');
      }
    }
    for (const scope of checkBearerTokens(c, `${f}.bearerTokens`, app)) scopes.add(scope);
  });
  return scopes;
}

/** Who may open a protected app: configured groups, at least one, each once. */
function checkAllowedGroups(c: Checker, field: string, allowed: unknown, groups: ReadonlySet<string>): void {
  if (!c.array(field, allowed, false)) return;
  if (allowed.length === 0) c.fail(field, allowed, 'must name at least one group; leave it out to let every signed-in user in');
  allowed.forEach((g, j) => {
    if (typeof g !== 'string') c.fail(`${field}[${j}]`, g, 'must be a group name (a string)');
    else if (!groups.has(g)) {
      const names = [...groups].slice(0, 10).map((n) => JSON.stringify(n));
      const known = groups.size === 0 ? 'none' : groups.size > 10 ? `${names.join(', ')} and ${groups.size - 10} more` : names.join(', ');
      c.fail(`${field}[${j}]`, g, `is not a group of cognito.groups (configured: ${known}); group names are case-sensitive`);
    }
  });
  duplicates(allowed).forEach((g) => c.fail(field, g, 'is listed twice'));
}

/** publicPaths or denyPaths: ALB path patterns that never capture the sign-in callback or the sign-out path. */
export function checkPathList(c: Checker, field: string, paths: unknown, signoutPath: string): void {
  if (!c.array(field, paths, false)) return;
  if (paths.length > MAX_PUBLIC_PATHS_PER_APP) {
    c.fail(
      field,
      paths.length,
      `lists too many paths (at most ${MAX_PUBLIC_PATHS_PER_APP}: nine listener rules of four path values each per host)`,
    );
  }
  paths.forEach((p, j) => {
    const pf = `${field}[${j}]`;
    if (
      !c.string(
        pf,
        p,
        PATTERNS.pathPattern,
        'must be an ALB path pattern: start with "/", at most 128 characters of letters, digits, _-.$/~"\'@:+&, and the wildcards * and ?',
      )
    )
      return;
    const problem = pathProblem(p as string);
    if (problem) c.fail(pf, p, problem);
    else if (p === '/*' || p === '*')
      c.fail(
        pf,
        p,
        field.endsWith('publicPaths')
          ? 'makes the whole app public; set access: "public" instead'
          : 'covers the whole host, which could then never sign in',
      );
    else if (pathPatternToRegExp(p as string).test(ALB_CALLBACK_PATH))
      c.fail(pf, p, `overlaps the ALB's sign-in callback path "${ALB_CALLBACK_PATH}"`);
    else if (
      pathPatternToRegExp(p as string).test(signoutPath) ||
      pathPatternToRegExp(p as string).test(`${signoutPath}/`) ||
      pathPatternToRegExp(p as string).test(signoutClearPath(signoutPath))
    ) {
      c.fail(pf, p, `overlaps the reserved sign-out path "${signoutPath}"`);
    }
  });
  duplicates(paths).forEach((p) => c.fail(field, p, 'is listed twice'));
}
