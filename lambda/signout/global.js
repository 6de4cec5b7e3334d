'use strict';
// Sign out everywhere: the listener rule authenticates with on_unauthenticated_request = allow, so
// a request that still carries a session arrives with the user's Cognito access token. The token
// is verified like the router's verifier does (it shares that code), and only then is the user's
// every refresh token revoked. Whether a client could send that header itself on the
// unauthenticated path is not documented, so nothing here trusts it unverified.

const { createFetcher } = require('../../verifier/fetch');
const { createJwksStore } = require('../../verifier/jwks');
const { verifyAccessToken } = require('../../verifier/tokens');
const { adminUserGlobalSignOut } = require('./cognito');
const { credentialsFromEnv } = require('./sigv4');

/** @typedef {import('./sigv4').Credentials} Credentials */

/**
 * @typedef {object} GlobalSettings
 * @property {string} issuer        https://cognito-idp.<region>.amazonaws.com/<pool id>
 * @property {string} jwksUrl
 * @property {string[]} clientIds   tokens of other app clients are refused
 * @property {URL} endpoint         Cognito's API endpoint in the pool's region
 * @property {string} region
 * @property {string} userPoolId
 */

/**
 * @typedef {object} GlobalOptions
 * @property {() => Credentials | undefined} [credentials]  default: the Lambda role's, from the environment
 * @property {() => number} [now]  milliseconds since the epoch
 * @property {boolean} [allowLoopbackHttp]  test only: JWKS from http://127.0.0.1
 */

/**
 * What happened to the user's other sessions, for the log line; never the token or the username.
 * @typedef {{ outcome: 'revoked' } | { outcome: 'no-session' } | { outcome: 'invalid-token' | 'failed', reason: string }} GlobalResult
 */

// The function's timeout is 10 s: a slow JWKS or Cognito must never keep the browser from the
// local sign-out, which follows whatever this returns.
const JWKS_TIMEOUT_MS = 2000;
const COGNITO_TIMEOUT_MS = 3000;
// Cognito's JWKS is small (two keys); anything much larger is not it.
const JWKS_MAX_BYTES = 64 * 1024;
const JWKS_REFETCH_SECONDS = 300;
// The ALB refreshes an access token only once it has expired, so a token may be a little stale.
const CLOCK_SKEW_SECONDS = 60;

/**
 * @param {GlobalSettings} settings
 * @param {GlobalOptions} [options]
 * @returns {(accessToken: string | undefined) => Promise<GlobalResult>}
 */
function createGlobalSignOut(settings, options = {}) {
  const now = options.now ?? Date.now;
  const credentials = options.credentials ?? (() => credentialsFromEnv(process.env));
  const jwks = createJwksStore({
    url: settings.jwksUrl,
    fetchText: createFetcher({ timeoutMs: JWKS_TIMEOUT_MS, maxBytes: JWKS_MAX_BYTES, allowLoopbackHttp: options.allowLoopbackHttp }),
    refetchSeconds: JWKS_REFETCH_SECONDS,
    now,
  });
  const ctx = {
    config: /** @type {import('../../verifier/config').VerifierConfig} */ (
      /** @type {unknown} */ ({ issuer: settings.issuer, clientIds: settings.clientIds, clockSkewSeconds: CLOCK_SKEW_SECONDS })
    ),
    albKeys: {
      get: () => Promise.reject(new Error('the sign-out function verifies access tokens only')),
      stats: () => ({ keys: 0, failures: 0, fetches: 0 }),
    },
    jwks,
    now,
  };

  return async (accessToken) => {
    if (accessToken === undefined || accessToken === '') return { outcome: 'no-session' };
    const checked = await verifyAccessToken(accessToken, ctx);
    if (!checked.ok) return { outcome: 'invalid-token', reason: checked.reason };
    const creds = credentials();
    if (creds === undefined) return { outcome: 'failed', reason: 'no AWS credentials in the environment' };
    const result = await adminUserGlobalSignOut({
      endpoint: settings.endpoint,
      region: settings.region,
      credentials: creds,
      userPoolId: settings.userPoolId,
      username: checked.value.username,
      timeoutMs: COGNITO_TIMEOUT_MS,
      now: () => new Date(now()),
    });
    return result.ok ? { outcome: 'revoked' } : { outcome: 'failed', reason: result.reason };
  };
}

module.exports = { createGlobalSignOut };
