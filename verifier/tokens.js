'use strict';
// The two tokens the ALB adds after sign-in: its own signed user claims (x-amzn-oidc-data, ES256)
// and Cognito's access token (x-amzn-oidc-accesstoken, RS256). Each check names what failed.

const { signerAllowed } = require('./arn');
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
 */

/** @typedef {{ sub: string, client: string, email?: string }} AlbIdentity */
/** @typedef {{ sub: string, clientId: string, username: string, groups: string[] }} AccessIdentity */
/**
 * @template T
 * @typedef {{ ok: true, value: T } | { ok: false, reason: string }} Checked
 */

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
 * x-amzn-oidc-data: header { alg: ES256, kid, signer, iss, client, exp }, payload = the user claims.
 * The signer is checked before any key is fetched (AWS's own example validates it first); the
 * signature covers the segments exactly as received, padding included.
 * @param {string} token
 * @param {TokenContext} ctx
 * @returns {Promise<Checked<AlbIdentity>>}
 */
async function verifyAlbData(token, ctx) {
  const parsed = parseJws(token);
  if (!parsed.ok) return no(`ALB data: ${parsed.reason}`);
  const { header, payload } = parsed.value;
  if (header.alg !== 'ES256') return no(`ALB data: alg ${String(header.alg)} is not ES256`);
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
  return { ok: true, value: { sub: payload.sub, client: header.client, email } };
}

/**
 * x-amzn-oidc-accesstoken: a Cognito access token (not an ID token) of this pool and of one of
 * this environment's app clients, signed RS256 by a key of the pool's JWKS.
 * @param {string} token
 * @param {TokenContext} ctx
 * @returns {Promise<Checked<AccessIdentity>>}
 */
async function verifyAccessToken(token, ctx) {
  const parsed = parseJws(token);
  if (!parsed.ok) return no(`access token: ${parsed.reason}`);
  const { header, payload: c } = parsed.value;
  if (header.alg !== 'RS256') return no(`access token: alg ${String(header.alg)} is not RS256`);
  if (!nonEmpty(header.kid)) return no('access token: no kid');
  let key;
  try {
    key = await ctx.jwks.get(header.kid);
  } catch (err) {
    return no(`access token: JWKS unavailable (${errorText(err)})`);
  }
  if (key === undefined) return no("access token: kid is not in the user pool's JWKS");
  if (!signatureValid('RS256', key, parsed.value)) return no('access token: bad signature');
  if (c.iss !== ctx.config.issuer) return no('access token: iss is not this user pool');
  if (c.token_use !== 'access') return no(`access token: token_use is ${String(c.token_use)}, not access`);
  if (!nonEmpty(c.client_id) || !ctx.config.clientIds.includes(c.client_id))
    return no('access token: client_id is not an app client of this environment');
  if (!unexpired(c.exp, ctx)) return no('access token: expired or no exp');
  const skewMs = ctx.config.clockSkewSeconds * 1000;
  for (const claim of ['iat', 'nbf']) {
    const t = c[claim];
    if (t !== undefined && (typeof t !== 'number' || t * 1000 > ctx.now() + skewMs)) return no(`access token: ${claim} is in the future`);
  }
  if (!nonEmpty(c.sub) || !nonEmpty(c.username)) return no('access token: no sub or username');
  const groups = c['cognito:groups'] ?? [];
  if (!Array.isArray(groups) || !groups.every(nonEmpty)) return no('access token: cognito:groups is not a list of names');
  return { ok: true, value: { sub: c.sub, clientId: c.client_id, username: c.username, groups } };
}

module.exports = { verifyAccessToken, verifyAlbData };
