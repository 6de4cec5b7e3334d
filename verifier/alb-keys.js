'use strict';
// The ALB's public keys: one PEM per key id at https://public-keys.auth.elb.<region>.amazonaws.com/<kid>,
// kept in a bounded least-recently-used cache.

const crypto = require('node:crypto');

/** @typedef {import('./fetch').FetchText} FetchText */

/**
 * @typedef {object} AlbKeyStore
 * @property {(kid: string) => Promise<crypto.KeyObject>} get  rejects when the key cannot be had
 */

// The ALB's key ids are UUIDs; this also keeps a kid from walking the endpoint's path.
const KID_RE = /^[A-Za-z0-9-]{1,64}$/;
// A failed download is remembered this long, so a burst of requests with a bad kid costs one fetch.
const FAILURE_MS = 10000;

/**
 * @param {{ endpoint: string, fetchText: FetchText, cacheSize: number, now?: () => number }} options
 * @returns {AlbKeyStore}
 */
function createAlbKeyStore(options) {
  const now = options.now ?? Date.now;
  /** @type {Map<string, { key: Promise<crypto.KeyObject>, failedAt?: number }>} */
  const cache = new Map();

  /** @param {string} kid */
  async function download(kid) {
    const pem = await options.fetchText(`${options.endpoint}/${kid}`);
    let key;
    try {
      key = crypto.createPublicKey({ key: pem, format: 'pem' });
    } catch {
      throw new Error(`ALB key ${kid} is not a PEM public key`);
    }
    if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
      throw new Error(`ALB key ${kid} is not an EC P-256 key`);
    }
    return key;
  }

  return {
    get(kid) {
      if (!KID_RE.test(kid)) return Promise.reject(new Error('ALB key id has unexpected characters'));
      const hit = cache.get(kid);
      if (hit !== undefined && (hit.failedAt === undefined || now() - hit.failedAt < FAILURE_MS)) {
        cache.delete(kid);
        cache.set(kid, hit);
        return hit.key;
      }
      const entry = { key: download(kid), failedAt: /** @type {number | undefined} */ (undefined) };
      entry.key.catch(() => {
        entry.failedAt = now();
      });
      cache.delete(kid);
      cache.set(kid, entry);
      while (cache.size > options.cacheSize) cache.delete(/** @type {string} */ (cache.keys().next().value));
      return entry.key;
    },
  };
}

module.exports = { createAlbKeyStore };
