import { type Checker, duplicates, itemName } from './checker';
import { PATTERNS } from './patterns';

/** An ALB jwt-validation claim holds at most 10 values (ELB API, JwtValidationActionAdditionalClaim). */
export const MAX_SCOPES_PER_APP = 10;
/** Cognito: custom scopes per resource server. */
export const MAX_SCOPES_PER_RESOURCE_SERVER = 100;
/** Cognito: OAuth scopes per app client. */
export const MAX_SCOPES_PER_CLIENT = 50;
/** Cognito's bounds on an access token's validity, in minutes. */
const TOKEN_MINUTES = { min: 5, max: 1440 } as const;
/**
 * A scope name: no "/" (Cognito joins identifier and name with it), no space (the token's `scope`
 * claim is space-separated, and the ALB refuses spaces in space-separated-values).
 */
const SCOPE_NAME = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;
const SCOPE_RULE = 'must be 1-100 letters, digits, ".", "_", ":" or "-", starting with a letter or digit';

/**
 * `apps[i].bearerTokens`: which scopes a token needs. Returns the scopes it declares, valid or not
 * (unknown-scope checks on machine clients then do not pile onto a broken app).
 */
export function checkBearerTokens(c: Checker, field: string, app: Record<string, unknown>): string[] {
  const bearer = app.bearerTokens;
  if (bearer === undefined) return [];
  if (app.access !== 'protected') {
    c.fail(field, bearer, 'is only allowed on protected apps (a public app takes any request)');
    return [];
  }
  if (Array.isArray(app.denyPaths) && app.denyPaths.length > 0) {
    c.fail(
      field,
      bearer,
      "cannot be combined with denyPaths: a deny path answers a bearer request 401 before its token is checked whenever that rule comes first, and rule order is set by hash; a bad or missing token already gets the ALB's 401",
    );
  }
  if (!c.isObject(field, bearer)) return [];
  c.knownKeys(field, bearer, ['scopes']);
  const scopes = bearer.scopes;
  if (!c.array(`${field}.scopes`, scopes)) return [];
  if (scopes.length === 0) c.fail(`${field}.scopes`, scopes, 'must name at least one scope');
  if (scopes.length > MAX_SCOPES_PER_APP)
    c.fail(
      `${field}.scopes`,
      scopes.length,
      `lists too many scopes for one rule (at most ${MAX_SCOPES_PER_APP}: an ALB jwt-validation claim holds 10 values)`,
    );
  scopes.forEach((s, j) => c.string(`${field}.scopes[${j}]`, s, SCOPE_NAME, SCOPE_RULE));
  duplicates(scopes).forEach((s) => c.fail(`${field}.scopes`, s, 'is listed twice'));
  return scopes.filter((s): s is string => typeof s === 'string');
}

/** `machineClients`: named once each, scopes the apps declare, a token lifetime Cognito accepts. */
export function checkMachineClients(c: Checker, raw: unknown, declared: ReadonlySet<string>): void {
  if (declared.size > MAX_SCOPES_PER_RESOURCE_SERVER) {
    c.fail(
      'apps',
      `${declared.size} scopes`,
      `declare more bearer-token scopes than the ${MAX_SCOPES_PER_RESOURCE_SERVER} a Cognito resource server holds`,
    );
  }
  if (!c.array('machineClients', raw, false)) return;
  const names = new Map<string, number>();
  raw.forEach((client, i) => {
    const f = itemName('machineClients', i, client);
    if (!c.isObject(f, client)) return;
    c.knownKeys(f, client, ['name', 'scopes', 'accessTokenValidityMinutes']);
    if (
      c.string(
        `${f}.name`,
        client.name,
        PATTERNS.appName,
        'must be 1-40 lowercase letters, digits or inner hyphens, starting with a letter (it names the app client and its secret)',
      )
    ) {
      const first = names.get(client.name as string);
      if (first !== undefined) c.fail(`${f}.name`, client.name, `is already used by machineClients[${first}]; names must be unique`);
      else names.set(client.name as string, i);
    }
    c.integer(`${f}.accessTokenValidityMinutes`, client.accessTokenValidityMinutes, TOKEN_MINUTES.min, TOKEN_MINUTES.max);
    const scopes = client.scopes;
    if (!c.array(`${f}.scopes`, scopes)) return;
    if (scopes.length === 0) c.fail(`${f}.scopes`, scopes, 'must name at least one scope');
    if (scopes.length > MAX_SCOPES_PER_CLIENT)
      c.fail(`${f}.scopes`, scopes.length, `lists more than the ${MAX_SCOPES_PER_CLIENT} scopes a Cognito app client allows`);
    scopes.forEach((s, j) => {
      if (!c.string(`${f}.scopes[${j}]`, s, SCOPE_NAME, SCOPE_RULE)) return;
      if (!declared.has(s as string)) {
        const known =
          declared.size === 0
            ? 'none'
            : [...declared]
                .sort()
                .slice(0, 10)
                .map((n) => JSON.stringify(n))
                .join(', ');
        c.fail(`${f}.scopes[${j}]`, s, `is not a scope of any app's bearerTokens (declared: ${known}); scope names are case-sensitive`);
      }
    });
    duplicates(scopes).forEach((s) => c.fail(`${f}.scopes`, s, 'is listed twice'));
  });
}
