'use strict';
// The ALB's public keys: one PEM per key id at https://public-keys.auth.elb.<region>.amazonaws.com/<kid>.
// A key id comes from an unsigned header a client can write, so three things are kept apart:
// - keys that verified downloads gave (a bounded LRU cache): only a real key can enter it, so a
//   flood of made-up ids never evicts the ALB's key;
// - failed ids (a bounded memory of their own, 10 s each): a burst with one bad id costs one fetch;
// - a budget of downloads per second for ids in neither: a flood of distinct made-up ids costs at
//   most that many outbound requests, whatever the request rate; past it, an unknown id is refused
//   without a request. The first download of each second goes to the id refused most often in the
//   second before: a rotated real key is asked for by every user, a made-up one by its forger, so
//   a flood of made-up ids cannot starve the real one.

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
  /** @type {Map<string, number>} kid → refusals this second for want of budget (at most MAX_FAILURES ids) */
  let wanted = new Map();
  /** @type {string | undefined} the id this second's first download is kept for */
  let reserved;

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

  /**
   * One more download this second, if the budget allows: the reserved one for the id refused most
   * often last second, the others for anyone.
   * @param {string} kid
   */
  function spend(kid) {
    const t = now();
    if (t - windowStart >= 1000) {
      windowStart = t;
      spent = 0;
      let best = 0;
      reserved = undefined;
      for (const [id, count] of wanted) if (count > best) [best, reserved] = [count, id];
      wanted = new Map();
    }
    if (kid === reserved) {
      reserved = undefined;
      spent++;
      return true;
    }
    if (spent < budget - (reserved === undefined ? 0 : 1)) {
      spent++;
      return true;
    }
    if (wanted.has(kid) || wanted.size < MAX_FAILURES) wanted.set(kid, (wanted.get(kid) ?? 0) + 1);
    return false;
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
      if (!spend(kid)) return Promise.reject(new Error('too many unknown ALB key ids this second'));
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
