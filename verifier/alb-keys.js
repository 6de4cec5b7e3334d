'use strict';
// The ALB's public keys: one PEM per key id at https://public-keys.auth.elb.<region>.amazonaws.com/<kid>.
// A key id comes from an unsigned header a client can write, so three things are kept apart:
// - keys that verified downloads gave (a bounded LRU cache): only a real key can enter it, so a
//   flood of made-up ids never evicts the ALB's key;
// - failed ids (a bounded memory of their own, 10 s each): a burst with one bad id costs one fetch;
// - a budget of downloads per second for ids in neither: a flood of distinct made-up ids costs at
//   most that many outbound requests, whatever the request rate; past it, an unknown id is refused
//   without a request (a real new key is fetched within the next second's budget).

const crypto = require('node:crypto');

/** @typedef {import('./fetch').FetchText} FetchText */

/**
 * @typedef {object} AlbKeyStore
 * @property {(kid: string) => Promise<crypto.KeyObject>} get  rejects when the key cannot be had
 * @property {() => { keys: number, failures: number, fetches: number }} stats  for tests and logs
 */

// The ALB's key ids are UUIDs; this also keeps a kid from walking the endpoint's path.
const KID_RE = /^[A-Za-z0-9-]{1,64}$/;
// A failed download is remembered this long, so a burst of requests with a bad kid costs one fetch.
const FAILURE_MS = 10000;
// Remembered failures at most; the oldest is forgotten first (it then costs a fetch again, within budget).
const MAX_FAILURES = 1024;
// Downloads of ids never seen, per second. The ALB rotates its key rarely; 5 a second serves that.
const FETCHES_PER_SECOND = 5;

/**
 * @param {{ endpoint: string, fetchText: FetchText, cacheSize: number, now?: () => number, fetchesPerSecond?: number }} options
 * @returns {AlbKeyStore}
 */
function createAlbKeyStore(options) {
  const now = options.now ?? Date.now;
  const budget = options.fetchesPerSecond ?? FETCHES_PER_SECOND;
  /** @type {Map<string, crypto.KeyObject>} kid → key, least recently used first */
  const keys = new Map();
  /** @type {Map<string, number>} kid → when its download failed, oldest first */
  const failures = new Map();
  /** @type {Map<string, Promise<crypto.KeyObject>>} downloads under way, one per kid */
  const pending = new Map();
  let windowStart = Number.NEGATIVE_INFINITY;
  let spent = 0;
  let fetches = 0;

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

  /** One more download this second, if the budget allows. */
  function spend() {
    const t = now();
    if (t - windowStart >= 1000) {
      windowStart = t;
      spent = 0;
    }
    if (spent >= budget) return false;
    spent++;
    return true;
  }

  return {
    get(kid) {
      if (!KID_RE.test(kid)) return Promise.reject(new Error('ALB key id has unexpected characters'));
      const key = keys.get(kid);
      if (key !== undefined) {
        keys.delete(kid);
        keys.set(kid, key);
        return Promise.resolve(key);
      }
      const failedAt = failures.get(kid);
      if (failedAt !== undefined && now() - failedAt < FAILURE_MS) return Promise.reject(new Error('ALB key download failed recently'));
      const inFlight = pending.get(kid);
      if (inFlight !== undefined) return inFlight;
      if (!spend()) return Promise.reject(new Error('too many unknown ALB key ids this second'));
      fetches++;
      const promise = download(kid).then(
        (got) => {
          failures.delete(kid);
          keys.set(kid, got);
          while (keys.size > options.cacheSize) keys.delete(/** @type {string} */ (keys.keys().next().value));
          return got;
        },
        (err) => {
          failures.delete(kid);
          failures.set(kid, now());
          while (failures.size > MAX_FAILURES) failures.delete(/** @type {string} */ (failures.keys().next().value));
          throw err;
        },
      );
      pending.set(kid, promise);
      const settled = () => pending.delete(kid);
      promise.then(settled, settled);
      return promise;
    },
    stats: () => ({ keys: keys.size, failures: failures.size, fetches }),
  };
}

module.exports = { FETCHES_PER_SECOND, MAX_FAILURES, createAlbKeyStore };
