'use strict';
// The two tokens the ALB adds after sign-in: its own signed user claims (x-amzn-oidc-data, ES256)
// and Cognito's access token (x-amzn-oidc-accesstoken, RS256). Each check names what failed.

const { signerAllowed } = require('./arn');
const { keyOf } = require('./cache');
const { parseJws, signatureValid } = require('./jws');
const { errorText } = require('./log');

/** @typedef {import('./config').VerifierConfig} VerifierConfig */
/** @typedef {import('./alb-keys').AlbKeyStore} AlbKeyStore */
/** @typedef {import('./jwks').JwksStore} JwksStore */

/**
 * @typedef {object} TokenContext
 * @property {VerifierConfig} config
 * @property {AlbKeyStore} albKeys
 * @property {JwksStore} jwks
 * @property {() => number} now  milliseconds since the epoch
 * @property {import('./cache').VerifiedCache} [cache]  verified tokens (none: verify every time)
 */

/** @typedef {{ sub: string, client: string, email?: string }} AlbIdentity */
/** @typedef {{ sub: string, clientId: string, username: string, groups: string[] }} AccessIdentity */
/**
 * `cache`: the token's cache key (its SHA-256), and whether this verification was a hit; for the
 * debug log, which tells whether the ALB re-signs its data token within a session.
 * @template T
 * @typedef {{ ok: true, value: T, cache?: { key: string, hit: boolean } } | { ok: false, reason: string }} Checked
 */

/**
 * A claim for a message: a token's JSON can hold anything, so only strings and numbers are shown.
 * @param {unknown} value
 */
function shown(value) {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : typeof value;
}

/**
 * @param {string} reason
 * @returns {{ ok: false, reason: string }}
 */
function no(reason) {
  return { ok: false, reason };
}

/**
 * `exp` (seconds) not yet passed, allowing the configured clock skew.
 * @param {unknown} exp
 * @param {TokenContext} ctx
 */
function unexpired(exp, ctx) {
  return typeof exp === 'number' && Number.isFinite(exp) && ctx.now() < (exp + ctx.config.clockSkewSeconds) * 1000;
}

/**
 * @param {unknown} value
 * @returns {value is string}
 */
function nonEmpty(value) {
  return typeof value === 'string' && value.length > 0;
}

/**
 * The earliest of the expiries (seconds) a verified token carries, in milliseconds: how long its
 * verification may be reused.
 * @param {unknown[]} exps
 */
function earliestExpiryMs(exps) {
  const numbers = exps.filter((e) => typeof e === 'number' && Number.isFinite(e));
  return numbers.length ? Math.min(.../** @type {number[]} */ (numbers)) * 1000 : 0;
}

/**
 * A verification through the cache: a hit returns what the first verification established; a
 * miss verifies, and only a success is kept, until `expiresAt` of the value verify gives.
 * @template T
 * @param {TokenContext} ctx
 * @param {string} kind
 * @param {string} token
 * @param {() => Promise<{ ok: true, value: T, expiresAtMs: number } | { ok: false, reason: string }>} verify
 * @returns {Promise<Checked<T>>}
 */
async function throughCache(ctx, kind, token, verify) {
  if (ctx.cache === undefined) {
    const checked = await verify();
    return checked.ok ? { ok: true, value: checked.value } : checked;
  }
  const key = keyOf(kind, token);
  const hit = /** @type {T | undefined} */ (ctx.cache.get(key));
  if (hit !== undefined) return { ok: true, value: hit, cache: { key, hit: true } };
  const checked = await verify();
  if (!checked.ok) return checked;
  const value = Object.freeze(checked.value);
  ctx.cache.set(key, value, checked.expiresAtMs, 2 * JSON.stringify(value).length);
  return { ok: true, value, cache: { key, hit: false } };
}

/**
 * x-amzn-oidc-data: header { alg: ES256, kid, signer, iss, client, exp }, payload = the user claims.
 * The signer is checked before any key is fetched (AWS's own example validates it first); the
 * signature covers the segments exactly as received, padding included.
 * @param {string} token
 * @param {TokenContext} ctx
 * @returns {Promise<Checked<AlbIdentity>>}
 */
function verifyAlbData(token, ctx) {
  return throughCache(ctx, 'alb', token, () => verifyAlbDataNow(token, ctx));
}

/**
 * @param {string} token
 * @param {TokenContext} ctx
 */
async function verifyAlbDataNow(token, ctx) {
  const parsed = parseJws(token);
  if (!parsed.ok) return no(`ALB data: ${parsed.reason}`);
  const { header, payload } = parsed.value;
  if (header.alg !== 'ES256') return no(`ALB data: alg ${shown(header.alg)} is not ES256`);
  if (!nonEmpty(header.kid)) return no('ALB data: no kid');
  if (!signerAllowed(ctx.config.albArns, header.signer)) return no("ALB data: signer is not this environment's ALB");
  if (!unexpired(header.exp, ctx)) return no('ALB data: expired or no exp');
  if (header.iss !== ctx.config.issuer) return no('ALB data: iss is not this user pool');
  if (!nonEmpty(header.client) || !ctx.config.clientIds.includes(header.client))
    return no('ALB data: client is not an app client of this environment');
  let key;
  try {
    key = await ctx.albKeys.get(header.kid);
  } catch (err) {
    return no(`ALB data: key unavailable (${errorText(err)})`);
  }
  if (!signatureValid('ES256', key, parsed.value)) return no('ALB data: bad signature');
  if (payload.exp !== undefined && !unexpired(payload.exp, ctx)) return no('ALB data: claims expired');
  if (!nonEmpty(payload.sub)) return no('ALB data: no sub');
  const email = nonEmpty(payload.email) ? payload.email : undefined;
  /** @type {AlbIdentity} */
  const value = { sub: payload.sub, client: header.client, email };
  return { ok: /** @type {const} */ (true), value, expiresAtMs: earliestExpiryMs([header.exp, payload.exp]) };
}

/**
 * A Cognito access token of this pool, whoever it was issued to: RS256 by a key of the pool's
 * JWKS, `iss` this pool, `token_use` access (an ID token says id), not expired, not from the future.
 * @param {string} token
 * @param {TokenContext} ctx
 * @param {string} label  names the token in every reason
 * @returns {Promise<Checked<Record<string, unknown>>>}  the claims
 */
async function verifyCognitoAccess(token, ctx, label) {
  const checked = await throughCache(ctx, 'access', token, () => verifyCognitoAccessNow(token, ctx));
  return checked.ok ? checked : no(`${label}: ${checked.reason}`);
}

/**
 * @param {string} token
 * @param {TokenContext} ctx
 * @returns {Promise<{ ok: true, value: Record<string, unknown>, expiresAtMs: number } | { ok: false, reason: string }>}
 */
async function verifyCognitoAccessNow(token, ctx) {
  const parsed = parseJws(token);
  if (!parsed.ok) return no(`${parsed.reason}`);
  const { header, payload: c } = parsed.value;
  if (header.alg !== 'RS256') return no(`alg ${shown(header.alg)} is not RS256`);
  if (!nonEmpty(header.kid)) return no(`no kid`);
  let key;
  try {
    key = await ctx.jwks.get(header.kid);
  } catch (err) {
    return no(`JWKS unavailable (${errorText(err)})`);
  }
  if (key === undefined) return no(`kid is not in the user pool's JWKS`);
  if (!signatureValid('RS256', key, parsed.value)) return no(`bad signature`);
  if (c.iss !== ctx.config.issuer) return no(`iss is not this user pool`);
  if (c.token_use !== 'access') return no(`token_use is ${shown(c.token_use)}, not access`);
  if (!nonEmpty(c.client_id)) return no(`no client_id`);
  if (!unexpired(c.exp, ctx)) return no(`expired or no exp`);
  const skewMs = ctx.config.clockSkewSeconds * 1000;
  for (const claim of ['iat', 'nbf']) {
    const t = c[claim];
    if (t !== undefined && (typeof t !== 'number' || t * 1000 > ctx.now() + skewMs)) return no(`${claim} is in the future`);
  }
  return { ok: /** @type {const} */ (true), value: c, expiresAtMs: earliestExpiryMs([c.exp]) };
}

/**
 * x-amzn-oidc-accesstoken: a Cognito access token (not an ID token) of this pool and of one of
 * this environment's app clients, signed RS256 by a key of the pool's JWKS.
 * @param {string} token
 * @param {TokenContext} ctx
 * @returns {Promise<Checked<AccessIdentity>>}
 */
async function verifyAccessToken(token, ctx) {
  const checked = await verifyCognitoAccess(token, ctx, 'access token');
  if (!checked.ok) return checked;
  const c = checked.value;
  if (!nonEmpty(c.client_id) || !ctx.config.clientIds.includes(c.client_id))
    return no('access token: client_id is not an app client of this environment');
  if (!nonEmpty(c.sub) || !nonEmpty(c.username)) return no('access token: no sub or username');
  const groups = c['cognito:groups'] ?? [];
  if (!Array.isArray(groups) || !groups.every(nonEmpty)) return no('access token: cognito:groups is not a list of names');
  return { ok: true, value: { sub: c.sub, clientId: c.client_id, username: c.username, groups }, cache: checked.cache };
}

/**
 * A bearer token from code: a client_credentials access token of this pool whose space-separated
 * `scope` claim holds every scope the host demands (the ALB checked the same before; this holds
 * even if a request reached the router some other way). Any client of the pool qualifies: only
 * the machine clients this app creates can obtain its resource server's scopes.
 * @param {string} token
 * @param {TokenContext} ctx
 * @param {readonly string[]} required
 * @returns {Promise<Checked<{ clientId: string, scopes: string[] }>>}
 */
async function verifyBearerToken(token, ctx, required) {
  const checked = await verifyCognitoAccess(token, ctx, 'bearer token');
  if (!checked.ok) return checked;
  const c = checked.value;
  if (typeof c.scope !== 'string') return no('bearer token: no scope claim');
  const scopes = c.scope.split(' ').filter((s) => s !== '');
  const missing = required.filter((s) => !scopes.includes(s));
  if (missing.length > 0) return no(`bearer token: lacks scope ${missing.join(' ')}`);
  return { ok: true, value: { clientId: /** @type {string} */ (c.client_id), scopes }, cache: checked.cache };
}

module.exports = { verifyAccessToken, verifyAlbData, verifyBearerToken };
