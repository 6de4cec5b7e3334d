'use strict';
// Expiring the ALB session cookie shards, and the shard step of the single-value chain.

const STEP_PARAM = 'shard';
// Matches the ALB's own cookie: Path=/ and no Domain, or the Set-Cookie would address a different cookie.
const EXPIRED_ATTRIBUTES = 'Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Secure; HttpOnly; SameSite=Lax';
// Decimal without sign, leading zeros or exponent; range is checked separately.
const STEP_RE = /^(?:0|[1-9][0-9]?)$/;

/**
 * @param {string} cookieName
 * @param {number} shard
 */
function expiredCookie(cookieName, shard) {
  return `${cookieName}-${shard}=; ${EXPIRED_ATTRIBUTES}`;
}

/**
 * Multi-value mode: one response expires every shard.
 * @param {string} cookieName
 * @param {number} shardCount
 * @returns {Array<[string, string]>}
 */
function expireAllShards(cookieName, shardCount) {
  /** @type {Array<[string, string]>} */
  const list = [];
  for (let shard = 0; shard < shardCount; shard++) list.push(['Set-Cookie', expiredCookie(cookieName, shard)]);
  return list;
}

/**
 * Single-value mode: the shard this hop clears; anything but a plain in-range integer gives 0.
 * @param {string | undefined} rawStep  the `shard` query parameter, if sent exactly once
 * @param {number} shardCount
 */
function shardStep(rawStep, shardCount) {
  const parsed = rawStep !== undefined && STEP_RE.test(rawStep) ? Number(rawStep) : 0;
  return parsed < shardCount ? parsed : 0;
}

module.exports = { STEP_PARAM, expireAllShards, expiredCookie, shardStep };
