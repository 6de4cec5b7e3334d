'use strict';
// Cognito's AdminUserGlobalSignOut over its JSON 1.1 protocol, signed with the function's role.
// Not GlobalSignOut: that one is authorized by the user's access token and needs the
// aws.cognito.signin.user.admin scope, which the ALB's tokens deliberately lack (any app given
// such a token could change the user's attributes).

const http = require('node:http');
const https = require('node:https');
const { signRequest } = require('./sigv4');

/** @typedef {import('./sigv4').Credentials} Credentials */

/**
 * @typedef {object} CognitoCall
 * @property {URL} endpoint       https://cognito-idp.<region>.amazonaws.com/ (a loopback http URL in tests)
 * @property {string} region
 * @property {Credentials} credentials
 * @property {string} userPoolId
 * @property {string} username
 * @property {number} timeoutMs   for the whole exchange
 * @property {() => Date} [now]
 */

/** @typedef {{ ok: true } | { ok: false, reason: string }} CallResult */

const TARGET = 'AWSCognitoIdentityProviderService.AdminUserGlobalSignOut';
const MAX_ERROR_BYTES = 4096;

/**
 * The error type Cognito names in `__type` (`com.amazonaws...#UserNotFoundException` or plain).
 * @param {string} text
 */
function errorType(text) {
  try {
    const doc = JSON.parse(text);
    const type = doc !== null && typeof doc === 'object' ? doc.__type : undefined;
    if (typeof type === 'string' && /^[\w.#:-]{1,200}$/.test(type)) return type.slice(type.lastIndexOf('#') + 1);
  } catch {
    // Not JSON: the status code alone names the failure.
  }
  return undefined;
}

/**
 * Revokes every refresh token Cognito issued to the user. Never rejects: the caller signs the
 * browser out whatever happens here, and logs the reason.
 * @param {CognitoCall} call
 * @returns {Promise<CallResult>}
 */
function adminUserGlobalSignOut(call) {
  const body = JSON.stringify({ UserPoolId: call.userPoolId, Username: call.username });
  const headers = signRequest({
    url: call.endpoint,
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': TARGET },
    body,
    region: call.region,
    service: 'cognito-idp',
    credentials: call.credentials,
    now: (call.now ?? (() => new Date()))(),
  });
  const client = call.endpoint.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    let settled = false;
    /** @param {CallResult} result */
    const settle = (result) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve(result);
    };
    const req = client.request(
      call.endpoint,
      { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } },
      (res) => {
        /** @type {Buffer[]} */
        const chunks = [];
        let size = 0;
        res.on('data', (/** @type {Buffer} */ chunk) => {
          size += chunk.length;
          if (size <= MAX_ERROR_BYTES) chunks.push(chunk);
        });
        res.on('end', () => {
          if (res.statusCode === 200) settle({ ok: true });
          else {
            const type = errorType(Buffer.concat(chunks).toString('utf8'));
            settle({ ok: false, reason: `AdminUserGlobalSignOut answered ${res.statusCode}${type ? ` ${type}` : ''}` });
          }
        });
        res.on('error', (err) => settle({ ok: false, reason: `AdminUserGlobalSignOut: ${err.message}` }));
      },
    );
    const timer = setTimeout(
      () => settle({ ok: false, reason: `AdminUserGlobalSignOut took longer than ${call.timeoutMs} ms` }),
      call.timeoutMs,
    );
    req.on('error', (err) => settle({ ok: false, reason: `AdminUserGlobalSignOut: ${err.message}` }));
    req.end(body);
  });
}

module.exports = { TARGET, adminUserGlobalSignOut };
