'use strict';
// One decision per request: allow (200, with identity headers), deny unverified (401), or deny a
// signed-in user outside the host's groups (403, with a page).

const { clientHeaders, identityHeaders } = require('./headers');
const { forbiddenPage } = require('./page');
const { decodedPath, matchesPattern, pathProblem, readTarget, single } = require('./target');
const { verifyAccessToken, verifyAlbData, verifyBearerToken } = require('./tokens');

/** @typedef {import('./target').Headers} Headers */
/** @typedef {import('./target').Router} Router */
/** @typedef {import('./tokens').TokenContext} TokenContext */

/**
 * @typedef {object} Decision
 * @property {200 | 401 | 403} status
 * @property {string} reason                  why, for the log (never a token)
 * @property {Array<[string, string]>} headers identity headers (200 only)
 * @property {string} [html]                  the 403 page
 * @property {Record<string, string>} facts   host, path, method, app, user: what the log may show
 */

/**
 * @param {200 | 401 | 403} status
 * @param {string} reason
 * @param {Record<string, string>} facts
 * @returns {Decision}
 */
function answer(status, reason, facts) {
  return { status, reason, headers: [], facts };
}

/**
 * Debug facts: each token's hash (a prefix of its cache key, never the token) and whether its
 * verification came from the cache. The same data hash across a session's requests shows the ALB
 * does not re-sign its data token per request; a new one each time shows it does.
 * @param {Record<string, string>} facts
 * @param {...(import('./tokens').Checked<unknown>)} checks  in order: ALB data and access token, or the bearer token
 */
function debugFacts(facts, ...checks) {
  const names = checks.length === 1 ? ['bearer'] : ['data', 'access'];
  checks.forEach((c, i) => {
    if (c.ok && c.cache)
      facts[`${names[i]}Token`] =
        `${c.cache.key.slice(c.cache.key.indexOf(':') + 1, c.cache.key.indexOf(':') + 13)} ${c.cache.hit ? 'hit' : 'miss'}`;
  });
}

/**
 * @param {TokenContext} ctx
 * @param {Headers} headers  the auth request's headers: the original request's plus the router's
 * @param {Router} [router]  how the router describes the original request (default: the config's)
 * @returns {Promise<Decision>}
 */
async function decide(ctx, headers, router = ctx.config.router) {
  const read = readTarget(headers, router);
  if (!read.ok) return answer(401, read.reason, {});
  const { host, path, method } = read.target;
  /** @type {Record<string, string>} */
  const facts = { host, path: path.slice(0, 200), method };

  // Decoded once: the safety check needs it, and so does public-path matching below.
  const decoded = decodedPath(path);
  const problem = pathProblem(path, decoded);
  if (problem !== undefined) return answer(401, problem, facts);
  if (ctx.config.publicHosts.has(host)) return answer(200, 'public host', facts);
  if (ctx.config.healthCheck.hosts.has(host))
    return path === ctx.config.healthCheck.path
      ? answer(200, 'health check', facts)
      : answer(401, 'health check host: only its path', facts);
  const hostConfig = ctx.config.hosts.get(host);
  if (hostConfig === undefined) return answer(401, 'host is not protected by this verifier', facts);
  facts.app = hostConfig.app;
  if (path === ctx.config.signoutPath) return answer(200, 'sign-out path', facts);
  // Public only if the path as sent and the path as decoded both match: whichever one the app
  // acts on, it is the public resource (pathProblem has refused every separator an app decodes,
  // and any path that does not decode).
  if (hostConfig.publicPaths.some((p) => matchesPattern(p, path) && matchesPattern(p, /** @type {string} */ (decoded))))
    return answer(200, 'public path', facts);

  // Calls from code: the ALB routes any request with a bearer token to its jwt-validation rule.
  const authorization = headers.authorization;
  if (hostConfig.bearerScopes !== undefined && authorization !== undefined && /^bearer /i.test(authorization[0] ?? '')) {
    if (authorization.length !== 1) return answer(401, 'Authorization repeated', facts);
    const bearer = await verifyBearerToken(authorization[0].slice('bearer '.length).trim(), ctx, hostConfig.bearerScopes);
    if (ctx.config.logLevel === 'debug') debugFacts(facts, bearer);
    if (!bearer.ok) return answer(401, bearer.reason, facts);
    facts.client = bearer.value.clientId;
    return { status: 200, reason: 'verified bearer token', headers: clientHeaders(bearer.value), facts };
  }

  const data = single(headers, 'x-amzn-oidc-data');
  const accessToken = single(headers, 'x-amzn-oidc-accesstoken');
  if (data === undefined || accessToken === undefined)
    return answer(401, 'x-amzn-oidc-data or x-amzn-oidc-accesstoken missing or repeated', facts);
  const [alb, access] = await Promise.all([verifyAlbData(data, ctx), verifyAccessToken(accessToken, ctx)]);
  if (ctx.config.logLevel === 'debug') debugFacts(facts, alb, access);
  if (!alb.ok) return answer(401, alb.reason, facts);
  if (!access.ok) return answer(401, access.reason, facts);
  if (alb.value.sub !== access.value.sub) return answer(401, 'ALB data and access token name different users (sub)', facts);
  if (alb.value.client !== access.value.clientId) return answer(401, 'ALB data and access token come from different app clients', facts);
  const identity = headers['x-amzn-oidc-identity'];
  if (identity !== undefined && (identity.length !== 1 || identity[0] !== alb.value.sub))
    return answer(401, 'x-amzn-oidc-identity is not the verified sub', facts);
  facts.user = access.value.username;

  const allowed = hostConfig.allowedGroups;
  if (allowed.length > 0 && !access.value.groups.some((g) => allowed.includes(g))) {
    const html = forbiddenPage({ app: hostConfig.app, groups: allowed, signoutUrl: `https://${host}${ctx.config.signoutPath}` });
    return { ...answer(403, 'user is in none of the allowed groups', facts), html };
  }
  const headersOut = identityHeaders({
    username: access.value.username,
    sub: access.value.sub,
    email: alb.value.email,
    groups: access.value.groups,
    tokens: hostConfig.forwardAccessToken ? { accessToken, data } : undefined,
  });
  return { status: 200, reason: 'verified', headers: headersOut, facts };
}

module.exports = { decide };
