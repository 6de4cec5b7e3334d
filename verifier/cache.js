'use strict';
// Verified tokens, so a session's requests are not verified again: a bounded least-recently-used
// cache keyed by the SHA-256 of the exact token bytes, holding what a successful verification
// established, until the token's own expiry. Only successes enter it: a failure is verified again
// next time, so a flood of invalid tokens costs what it cost without the cache and never evicts a
// valid entry. Decisions that depend on the request (host, path, groups, scopes) are never cached.

const crypto = require('node:crypto');

/**
 * @typedef {object} VerifiedCache
 * @property {(key: string) => unknown} get  the cached value of a key (keyOf), or undefined
 * @property {(key: string, value: unknown, expiresAtMs: number, bytes: number) => void} set
 * @property {() => { entries: number, bytes: number, hits: number, misses: number }} stats
 */

/** What one entry costs beyond its value: the key (44 characters of base64url plus the kind), the Map slot. */
const ENTRY_OVERHEAD_BYTES = 160;

/**
 * The cache key of a token: its kind and the SHA-256 of its bytes. Tokens are never kept, so a
 * heap dump of the verifier holds no bearer credential.
 * @param {string} kind
 * @param {string} token
 */
function keyOf(kind, token) {
  return `${kind}:${crypto.createHash('sha256').update(token).digest('base64url')}`;
}

/**
 * @param {{ maxEntries: number, maxBytes: number, now?: () => number }} options
 * @returns {VerifiedCache}
 */
function createVerifiedCache(options) {
  const now = options.now ?? Date.now;
  /** @type {Map<string, { value: unknown, expiresAt: number, bytes: number }>} oldest use first */
  const entries = new Map();
  let bytes = 0;
  let hits = 0;
  let misses = 0;

  /** @param {string} key */
  function drop(key) {
    const entry = entries.get(key);
    if (entry === undefined) return;
    entries.delete(key);
    bytes -= entry.bytes;
  }

  return {
    get(key) {
      if (options.maxEntries === 0) return undefined;
      const entry = entries.get(key);
      // Expired at exp exactly: the verification after it decides (with its clock skew), not the cache.
      if (entry === undefined || now() >= entry.expiresAt) {
        if (entry !== undefined) drop(key);
        misses++;
        return undefined;
      }
      entries.delete(key);
      entries.set(key, entry);
      hits++;
      return entry.value;
    },
    set(key, value, expiresAtMs, valueBytes) {
      if (options.maxEntries === 0 || !(expiresAtMs > now())) return;
      drop(key);
      const size = valueBytes + ENTRY_OVERHEAD_BYTES;
      if (size > options.maxBytes) return;
      entries.set(key, { value, expiresAt: expiresAtMs, bytes: size });
      bytes += size;
      while (entries.size > options.maxEntries || bytes > options.maxBytes) drop(/** @type {string} */ (entries.keys().next().value));
    },
    stats: () => ({ entries: entries.size, bytes, hits, misses }),
  };
}

module.exports = { ENTRY_OVERHEAD_BYTES, createVerifiedCache, keyOf };
