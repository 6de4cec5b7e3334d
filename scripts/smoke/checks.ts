/**
 * The probes: for each host, what its listener rules say a request without a session gets, asked
 * for and judged; for the pool, its OIDC discovery document and JWKS. Hosts run a bounded number at
 * a time; a host's own probes run one after another, so no host sees more than one request at once.
 */
import { type Answer, NoAnswer, type Prober, type Probe } from './http';
import {
  describe,
  judgeApp,
  judgeBadToken,
  judgeCertificate,
  judgeDeny,
  judgeHttpRedirect,
  judgeRealToken,
  judgeSecurityHeaders,
  judgeServerHeader,
  judgeSignIn,
  judgeSignOut,
  type Judged,
  noAnswer,
  ok,
} from './judge';
import { POOL_ID_SLOT } from './expectations';
import { route, samplePath } from './routes';
import { forgedToken, MALFORMED_TOKEN } from './token';
import type { CheckResult, Expectations, HostPlan, ListenerRule, LiveValues, Outcome } from './types';

export interface CheckContext {
  readonly exp: Expectations;
  readonly live: LiveValues;
  readonly prober: Prober;
  /** The environment's hosts and its Cognito hosts: where a redirect may point. */
  readonly allowedHosts: ReadonlySet<string>;
  readonly cognitoHosts: ReadonlySet<string>;
  /** A name's addresses (DNS). */
  readonly lookup: (name: string) => Promise<string[]>;
  readonly now: () => Date;
  /** Real machine tokens by scope set (scopes joined by a space), with --with-machine-token. */
  readonly tokens: ReadonlyMap<string, string>;
}

/** The pool's issuer once its id is known, else undefined. */
export function issuerOf(ctx: Pick<CheckContext, 'exp' | 'live'>): string | undefined {
  return ctx.live.poolId === undefined ? undefined : ctx.exp.pool.issuer.replace(POOL_ID_SLOT, ctx.live.poolId);
}

/** Runs `fn` over `items`, at most `limit` at a time, keeping the items' order in the results. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** What a probe expects, in words, for a FAIL when no answer came at all. */
function expectedText(ctx: CheckContext, outcome: Outcome): string {
  switch (outcome.kind) {
    case 'sign-in':
      return `302 to https://${ctx.exp.signInDomain}/oauth2/authorize`;
    case 'sign-out':
      return `302 to ${ctx.exp.logoutEndpoint}`;
    case 'app':
      return "the app's own answer (no sign-in)";
    default:
      return '401';
  }
}

/** Check names by what the rules say the request gets: at the host's root, or on one of its path rules. */
const ROOT_CHECK: Record<Outcome['kind'], string> = {
  'sign-in': 'sign-in',
  app: 'public',
  deny: 'deny',
  token: 'bearer',
  'sign-out': 'sign-out',
};
const PATH_CHECK: Record<Outcome['kind'], string> = {
  'sign-in': 'sign-in-path',
  app: 'public-path',
  deny: 'deny-path',
  token: 'bearer-path',
  'sign-out': 'sign-out',
};

type Token = 'none' | 'malformed' | 'forged' | 'real';

/** Sends one request to `host` and judges it by the outcome the listener's rules give it. */
async function probe(
  ctx: CheckContext,
  plan: HostPlan,
  request: { check: (o: Outcome) => string; path: string; token?: Token; scopes?: readonly string[]; target?: string },
): Promise<{ result: CheckResult; answer?: Answer; outcome: Outcome }> {
  const { host } = plan;
  const bearer =
    request.token === 'malformed'
      ? MALFORMED_TOKEN
      : request.token === 'forged'
        ? forgedToken(issuerOf(ctx) ?? ctx.exp.pool.issuer, request.scopes ?? [], ctx.now())
        : request.token === 'real'
          ? ctx.tokens.get((request.scopes ?? []).join(' '))
          : undefined;
  const headers: Record<string, string> = bearer === undefined ? {} : { authorization: `Bearer ${bearer}` };
  const { rule, outcome } = route(ctx.exp.listener, { host, path: request.path, headers });
  const check = request.check(outcome);
  const target = request.target ?? host;
  const url = `https://${host}${request.path}`;
  let answer: Answer;
  try {
    answer = await ctx.prober.fetch({ url, headers } satisfies Probe);
  } catch (err) {
    if (!(err instanceof NoAnswer)) throw err;
    return { result: noAnswer(check, target, expectedText(ctx, outcome), err.message, host), outcome };
  }
  const j: Judged = { check, target, url, answer, allowedHosts: ctx.allowedHosts };
  return { result: judge(ctx, plan, j, outcome, rule, request.token ?? 'none'), answer, outcome };
}

function judge(ctx: CheckContext, plan: HostPlan, j: Judged, outcome: Outcome, rule: ListenerRule | undefined, token: Token): CheckResult {
  const ruleId = rule?.id ?? 'default action';
  switch (outcome.kind) {
    case 'sign-in': {
      const name = ctx.exp.clients.get(outcome.client)?.name ?? outcome.client;
      return judgeSignIn(j, {
        host: plan.host,
        authorizeUrl: `https://${ctx.exp.signInDomain}/oauth2/authorize`,
        clientId: ctx.live.clientIds.get(name),
        clientName: name,
        redirectUri: plan.callback?.url ?? '',
        extraParams: ctx.exp.extraAuthorizeParams,
      });
    }
    case 'deny':
      return judgeDeny(j, plan.host, ruleId);
    case 'token':
      return token === 'real' ? judgeRealToken(j, plan.host, ctx.cognitoHosts) : judgeBadToken(j, plan.host, ruleId);
    case 'sign-out': {
      const entry = ctx.exp.signout?.hosts.get(plan.host);
      const name = entry ? (ctx.exp.clients.get(entry.client)?.name ?? entry.client) : '';
      return judgeSignOut(j, {
        host: plan.host,
        logoutEndpoint: ctx.exp.logoutEndpoint,
        ruleId,
        clientId: ctx.live.clientIds.get(name),
        clientName: name,
        logoutUri: entry?.logoutUri ?? '',
        cookieName: ctx.exp.signout?.cookieName ?? '',
        shardCount: ctx.exp.signout?.shardCount ?? 0,
      });
    }
    default:
      return judgeApp(j, plan.host, ctx.cognitoHosts);
  }
}

/** Every check of one host, in a fixed order; `skipped` counts the HTTPS probes a failed certificate stopped. */
export async function checkHost(ctx: CheckContext, plan: HostPlan): Promise<{ results: CheckResult[]; skipped: number }> {
  const { host } = plan;
  const results: CheckResult[] = [];
  if (ctx.live.alb) results.push(await checkDns(ctx, host, ctx.live.alb.dnsName));

  let certificateFailed = false;
  try {
    const result = judgeCertificate(host, await ctx.prober.certificate(host), ctx.now());
    certificateFailed = result.status === 'FAIL';
    results.push(result);
  } catch (err) {
    if (!(err instanceof NoAnswer)) throw err;
    certificateFailed = true;
    results.push(noAnswer('certificate', host, `a certificate for ${host}`, err.message, host));
  }

  const httpUrl = `http://${host}/smoke-check?from=http`;
  const albAnswers: { what: string; answer: Answer }[] = [];
  try {
    const answer = await ctx.prober.fetch({ url: httpUrl });
    albAnswers.push({ what: 'the HTTP redirect', answer });
    results.push(
      judgeHttpRedirect(
        { check: 'http-redirect', target: host, url: httpUrl, answer, allowedHosts: ctx.allowedHosts },
        host,
        ctx.exp.listener.httpRedirectStatus,
      ),
    );
  } catch (err) {
    if (!(err instanceof NoAnswer)) throw err;
    results.push(noAnswer('http-redirect', host, `${ctx.exp.listener.httpRedirectStatus} to https://${host}/`, err.message, host));
  }

  const paths = plan.paths.map(samplePath);
  const signout = ctx.exp.signout?.hosts.has(host) ? ctx.exp.signout.path : undefined;
  const bearerProbes = plan.bearerScopes.flatMap((scopes) =>
    (['malformed', 'forged', ...(ctx.tokens.has(scopes.join(' ')) ? ['real' as const] : [])] as const).map((token) => ({ token, scopes })),
  );
  if (certificateFailed) {
    // Every other HTTPS answer would be the same TLS failure; the certificate line says it once.
    return { results, skipped: 1 + paths.length + bearerProbes.length + (signout ? 1 : 0) };
  }

  const root = await probe(ctx, plan, { check: (o) => ROOT_CHECK[o.kind], path: '/' });
  results.push(root.result);
  if (root.answer) {
    const { headers } = ctx.exp.listener;
    const j: Judged = { check: 'headers', target: host, url: `https://${host}/`, answer: root.answer, allowedHosts: ctx.allowedHosts };
    if (headers) results.push(...judgeSecurityHeaders(j, headers));
    // The ALB's own answers: its sign-in redirect and its 401 (an app's answer may carry the app's Server).
    if (root.outcome.kind === 'sign-in' || root.outcome.kind === 'deny')
      albAnswers.push({ what: `the ${describe(root.answer, j.url)}`, answer: root.answer });
  }
  if (ctx.exp.listener.serverHeaderOff && albAnswers.length > 0) results.push(judgeServerHeader(host, albAnswers));

  for (const path of paths) {
    results.push((await probe(ctx, plan, { check: (o) => PATH_CHECK[o.kind], path, target: `${host}${path}` })).result);
  }
  for (const { token, scopes } of bearerProbes) {
    results.push(
      (await probe(ctx, plan, { check: () => (token === 'real' ? 'bearer-token' : `bearer-${token}`), path: '/', token, scopes })).result,
    );
  }
  if (signout) results.push((await probe(ctx, plan, { check: () => 'sign-out', path: signout })).result);
  return { results, skipped: 0 };
}

/** The host's alias answers with the ALB's addresses. */
async function checkDns(ctx: CheckContext, host: string, albDns: string): Promise<CheckResult> {
  const addresses = async (name: string) => {
    try {
      return await ctx.lookup(name);
    } catch (err) {
      return `no address (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`;
    }
  };
  const [own, alb] = await Promise.all([addresses(host), addresses(albDns)]);
  if (Array.isArray(own) && Array.isArray(alb) && own.some((a) => alb.includes(a))) return ok('dns', host);
  return {
    status: 'FAIL',
    check: 'dns',
    target: host,
    expected: `an address of ${albDns}`,
    saw: Array.isArray(own) ? own.join(', ') || 'no address' : own,
    lookAt: `the Route 53 alias record of ${host} (edge stack)`,
  };
}

/** The pool's OIDC discovery document (its issuer) and JWKS, at cognito-idp. */
export async function checkPool(ctx: CheckContext): Promise<CheckResult[]> {
  const issuer = issuerOf(ctx);
  if (issuer === undefined) return [];
  const target = ctx.exp.pool.name;
  const jwksUrl = ctx.exp.pool.jwksUrl.replace(POOL_ID_SLOT, ctx.live.poolId!);
  const fetchJson = async (url: string): Promise<{ status: number; json?: Record<string, unknown> } | { error: string }> => {
    try {
      const answer = await ctx.prober.fetch({ url });
      try {
        return { status: answer.status, json: JSON.parse(answer.body) };
      } catch {
        return { status: answer.status };
      }
    } catch (err) {
      if (!(err instanceof NoAnswer)) throw err;
      return { error: `no answer (${err.message})` };
    }
  };
  const fail = (check: string, expected: string, saw: string, lookAt: string): CheckResult => ({
    status: 'FAIL',
    check,
    target,
    expected,
    saw,
    lookAt,
  });
  const results: CheckResult[] = [];

  const discovery = await fetchJson(`${issuer}/.well-known/openid-configuration`);
  const poolHint = `the user pool ${ctx.live.poolId} in ${ctx.exp.region}`;
  if ('error' in discovery || discovery.status !== 200 || !discovery.json) {
    results.push(
      fail(
        'discovery',
        "200 with the pool's OpenID configuration",
        'error' in discovery ? discovery.error : String(discovery.status),
        poolHint,
      ),
    );
  } else if (discovery.json.issuer !== issuer) {
    results.push(
      fail(
        'discovery',
        `issuer ${issuer}`,
        `issuer ${String(discovery.json.issuer)}`,
        `the auth stack's issuer_url output against ${poolHint}`,
      ),
    );
  } else if (discovery.json.jwks_uri !== jwksUrl) {
    results.push(
      fail('discovery', `jwks_uri ${jwksUrl}`, `jwks_uri ${String(discovery.json.jwks_uri)}`, "the auth stack's jwks_url output"),
    );
  } else results.push(ok('discovery', target));

  const jwks = await fetchJson(jwksUrl);
  const keys = 'error' in jwks ? undefined : jwks.json?.keys;
  if (Array.isArray(keys) && keys.length > 0 && keys.every((k) => typeof k?.kid === 'string' && typeof k?.kty === 'string')) {
    results.push(ok('jwks', target));
  } else {
    const saw = 'error' in jwks ? jwks.error : jwks.status !== 200 ? String(jwks.status) : 'no signing keys';
    results.push(fail('jwks', 'a JWKS with signing keys', saw, poolHint));
  }
  return results;
}
