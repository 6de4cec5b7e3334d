'use strict';
// The user pool's signing keys (JWKS): fetched on first use, refetched when a token names an
// unknown kid, at most once per `refetchSeconds`. Only RSA signing keys of 2048 bits or more are kept.

const crypto = require('node:crypto');

/** @typedef {import('./fetch').FetchText} FetchText */

/**
 * @typedef {object} JwksStore
 * @property {(kid: string) => Promise<crypto.KeyObject | undefined>} get  undefined: no such key
 *   (after at most one refetch); rejects only when the set was never loaded
 * @property {() => boolean} loaded  a set was loaded once (later refetch failures keep it)
 * @property {() => void} warm  starts a first download if none is under way or just failed
 */

// Cognito publishes two keys; a set with far more is not a user pool's.
const MAX_KEYS = 32;
const RETRY_UNLOADED_MS = 5000;
// Cognito's keys are RSA 2048; anything shorter is refused outright.
const MIN_RSA_BITS = 2048;

/**
 * The RS256 signing keys of a JWKS document, by kid; other keys are left out.
 * @param {string} text
 * @returns {Map<string, crypto.KeyObject>}
 */
function parseJwks(text) {
  let doc;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new Error('JWKS is not JSON');
  }
  const list = doc !== null && typeof doc === 'object' ? doc.keys : undefined;
  if (!Array.isArray(list) || list.length > MAX_KEYS) throw new Error(`JWKS must hold a "keys" list of at most ${MAX_KEYS} keys`);
  /** @type {Map<string, crypto.KeyObject>} */
  const keys = new Map();
  for (const jwk of list) {
    if (jwk === null || typeof jwk !== 'object' || jwk.kty !== 'RSA' || typeof jwk.kid !== 'string') continue;
    if ((jwk.use !== undefined && jwk.use !== 'sig') || (jwk.alg !== undefined && jwk.alg !== 'RS256')) continue;
    try {
      const key = crypto.createPublicKey({ key: { kty: 'RSA', n: jwk.n, e: jwk.e }, format: 'jwk' });
      if (Number(key.asymmetricKeyDetails?.modulusLength) >= MIN_RSA_BITS) keys.set(jwk.kid, key);
    } catch {
      // A malformed key cannot verify anything; the others still can.
    }
  }
  return keys;
}

/**
 * @param {{ url: string, fetchText: FetchText, refetchSeconds: number, now?: () => number }} options
 * @returns {JwksStore}
 */
function createJwksStore(options) {
  const now = options.now ?? Date.now;
  /** @type {Map<string, crypto.KeyObject> | undefined} */
  let keys;
  let lastAttempt = Number.NEGATIVE_INFINITY;
  /** @type {Promise<void> | undefined} */
  let inFlight;

  function refresh() {
    if (inFlight === undefined) {
      lastAttempt = now();
      inFlight = options
        .fetchText(options.url)
        .then((text) => {
          keys = parseJwks(text);
        })
        .finally(() => {
          inFlight = undefined;
        });
    }
    return inFlight;
  }

  return {
    loaded: () => keys !== undefined,
    warm() {
      if (keys === undefined && inFlight === undefined && now() - lastAttempt >= Math.min(options.refetchSeconds * 1000, RETRY_UNLOADED_MS))
        refresh().catch(() => {});
    },
    async get(kid) {
      const known = keys?.get(kid);
      if (known !== undefined) return known;
      // Until a first download succeeds, retry sooner: without keys nobody can sign in.
      const interval = keys === undefined ? Math.min(options.refetchSeconds * 1000, RETRY_UNLOADED_MS) : options.refetchSeconds * 1000;
      if (inFlight !== undefined || now() - lastAttempt >= interval) {
        try {
          await refresh();
        } catch (err) {
          // Keep serving the keys we have; with none at all there is nothing to verify against.
          if (keys === undefined) throw err;
        }
      } else if (keys === undefined) {
        throw new Error('JWKS not loaded: the last download failed');
      }
      return keys?.get(kid);
    },
  };
}

module.exports = { createJwksStore, parseJwks };
