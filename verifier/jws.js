'use strict';
// Compact JWS: parsing (tolerating the ALB's base64url padding) and signature checks with node:crypto.

const crypto = require('node:crypto');

/**
 * @typedef {object} ParsedJws
 * @property {Record<string, unknown>} header
 * @property {Record<string, unknown>} payload
 * @property {string} signingInput  the first two segments exactly as received (the signature covers them)
 * @property {Buffer} signature
 */

/** @typedef {{ ok: true, value: ParsedJws } | { ok: false, reason: string }} ParseResult */

// The ALB's user-claims JWT is about 1-2 KB and the Cognito access token a few KB; the ALB refuses
// claims plus token over 11 KB, so anything longer is not one of theirs.
const MAX_TOKEN_LENGTH = 16384;
// base64url, optionally with the `=` padding the ALB adds (AWS ELB docs, "User claims encoding").
const SEGMENT_RE = /^[A-Za-z0-9_-]+={0,2}$/;

/**
 * Decodes one base64url segment, padded or not; undefined unless it is the canonical encoding of
 * its bytes (so one token has one spelling, apart from the padding).
 * @param {string} segment
 * @returns {Buffer | undefined}
 */
function decodeSegment(segment) {
  if (!SEGMENT_RE.test(segment)) return undefined;
  const bare = segment.replace(/=+$/, '');
  const padded = segment.length !== bare.length;
  if (bare.length % 4 === 1 || (padded && segment.length % 4 !== 0)) return undefined;
  const bytes = Buffer.from(bare, 'base64url');
  return bytes.toString('base64url') === bare ? bytes : undefined;
}

/**
 * @param {Buffer} bytes
 * @returns {Record<string, unknown> | undefined}
 */
function jsonObject(bytes) {
  let value;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : undefined;
}

/**
 * Splits and decodes a compact JWS without trusting any of it yet.
 * @param {string} token
 * @returns {ParseResult}
 */
function parseJws(token) {
  if (token.length > MAX_TOKEN_LENGTH) return { ok: false, reason: `longer than ${MAX_TOKEN_LENGTH} characters` };
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, reason: 'not three dot-separated segments' };
  const [h, p, s] = parts.map(decodeSegment);
  if (h === undefined || p === undefined || s === undefined) return { ok: false, reason: 'a segment is not base64url' };
  const header = jsonObject(h);
  const payload = jsonObject(p);
  if (header === undefined || payload === undefined) return { ok: false, reason: 'header or payload is not a JSON object' };
  return { ok: true, value: { header, payload, signingInput: `${parts[0]}.${parts[1]}`, signature: s } };
}

/**
 * ES256 (ECDSA P-256 + SHA-256, signature as r||s) or RS256 (RSASSA-PKCS1-v1_5 + SHA-256).
 * The key's type must fit the algorithm, so a token can never pick how its own key is used.
 * @param {'ES256' | 'RS256'} alg
 * @param {crypto.KeyObject} key
 * @param {ParsedJws} jws
 */
function signatureValid(alg, key, jws) {
  const data = Buffer.from(jws.signingInput, 'ascii');
  const details = key.asymmetricKeyDetails;
  if (alg === 'ES256') {
    if (key.asymmetricKeyType !== 'ec' || details?.namedCurve !== 'prime256v1' || jws.signature.length !== 64) return false;
    return crypto.verify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, jws.signature);
  }
  if (key.asymmetricKeyType !== 'rsa' || !(Number(details?.modulusLength) >= 2048)) return false;
  return crypto.verify('sha256', data, { key, padding: crypto.constants.RSA_PKCS1_PADDING }, jws.signature);
}

module.exports = { MAX_TOKEN_LENGTH, decodeSegment, parseJws, signatureValid };
