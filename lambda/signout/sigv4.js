'use strict';
// AWS Signature Version 4 for one JSON POST, with node:crypto only: the function ships without
// dependencies, and the runtime's bundled SDK is a version nobody here pins. Steps as in the IAM
// user guide, "Create a signed AWS API request": canonical request, string to sign, signing key.

const crypto = require('node:crypto');

/**
 * @typedef {object} Credentials
 * @property {string} accessKeyId
 * @property {string} secretAccessKey
 * @property {string} [sessionToken]  a Lambda role's credentials always have one
 */

/**
 * @typedef {object} SignInput
 * @property {URL} url                the endpoint; its path must be "/" or already canonical
 * @property {Record<string, string>} headers  lower-case names; host and x-amz-date are added
 * @property {string} body
 * @property {string} region
 * @property {string} service
 * @property {Credentials} credentials
 * @property {Date} now
 */

/** @param {string | Buffer} data */
function sha256Hex(data) {
  return crypto.createHash('sha256').update(data).digest('hex');
}

/**
 * @param {Buffer | string} key
 * @param {string} data
 */
function hmac(key, data) {
  return crypto.createHmac('sha256', key).update(data, 'utf8').digest();
}

/** @param {Date} now  `20150830T123600Z` */
function amzDate(now) {
  return now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/**
 * The headers to send, Authorization included. Header values are trimmed and inner runs of
 * spaces folded, as the canonical form requires; the request has no query string.
 * @param {SignInput} input
 * @returns {Record<string, string>}
 */
function signRequest(input) {
  const stamp = amzDate(input.now);
  const day = stamp.slice(0, 8);
  /** @type {Record<string, string>} */
  const headers = { ...input.headers, host: input.url.host, 'x-amz-date': stamp };
  if (input.credentials.sessionToken) headers['x-amz-security-token'] = input.credentials.sessionToken;
  const names = Object.keys(headers).sort();
  const canonicalHeaders = names.map((n) => `${n}:${headers[n].trim().replace(/ +/g, ' ')}\n`).join('');
  const signedHeaders = names.join(';');
  const canonicalRequest = ['POST', input.url.pathname || '/', '', canonicalHeaders, signedHeaders, sha256Hex(input.body)].join('\n');
  const scope = `${day}/${input.region}/${input.service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', stamp, scope, sha256Hex(canonicalRequest)].join('\n');
  const key = signingKey(input.credentials.secretAccessKey, day, input.region, input.service);
  const signature = crypto.createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex');
  headers.authorization =
    `AWS4-HMAC-SHA256 Credential=${input.credentials.accessKeyId}/${scope}, ` + `SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return headers;
}

/**
 * @param {string} secret
 * @param {string} day  YYYYMMDD
 * @param {string} region
 * @param {string} service
 */
function signingKey(secret, day, region, service) {
  return hmac(hmac(hmac(hmac(`AWS4${secret}`, day), region), service), 'aws4_request');
}

/**
 * The function's own role credentials, which the Lambda runtime puts in the environment.
 * @param {Record<string, string | undefined>} env
 * @returns {Credentials | undefined}
 */
function credentialsFromEnv(env) {
  const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey, AWS_SESSION_TOKEN: sessionToken } = env;
  if (!accessKeyId || !secretAccessKey) return undefined;
  return sessionToken ? { accessKeyId, secretAccessKey, sessionToken } : { accessKeyId, secretAccessKey };
}

module.exports = { credentialsFromEnv, signRequest, signingKey };
