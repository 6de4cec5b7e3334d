'use strict';
// Cognito GlobalSignOut with the user's own access token: revokes every refresh token the user
// holds, so every other host's ALB session ends at its next token refresh. The API is authorized
// by the access token itself (no AWS credentials, no SDK): a POST of the JSON 1.1 protocol.

/** An access token as the ALB forwards it: a compact JWS. */
const ACCESS_TOKEN_RE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const MAX_TOKEN_LENGTH = 16384;
/** Cognito gives the ALB's target a few seconds; the sign-out itself must not wait on a slow API. */
const TIMEOUT_MS = 2000;

/**
 * @param {string | undefined} token  x-amzn-oidc-accesstoken, if the ALB found a session
 * @returns {token is string}
 */
function isAccessToken(token) {
  return typeof token === 'string' && token.length <= MAX_TOKEN_LENGTH && ACCESS_TOKEN_RE.test(token);
}

/**
 * @param {string} endpoint  https://cognito-idp.<region>.amazonaws.com/
 * @param {string} token
 * @param {{ timeoutMs?: number }} [options]
 * @returns {Promise<string>} what happened, for the log line: `revoked`, or `failed (<reason>)`
 */
async function globalSignOut(endpoint, token, options = {}) {
  try {
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-amz-json-1.1',
        'X-Amz-Target': 'AWSCognitoIdentityProviderService.GlobalSignOut',
      },
      body: JSON.stringify({ AccessToken: token }),
      redirect: 'error',
      signal: AbortSignal.timeout(options.timeoutMs ?? TIMEOUT_MS),
    });
    if (response.ok) return 'revoked';
    // Errors carry their type in `__type` (e.g. NotAuthorizedException for a revoked token).
    let type = `HTTP ${response.status}`;
    try {
      const body = await response.json();
      if (body && typeof body.__type === 'string' && /^[\w#.:-]{1,128}$/.test(body.__type)) type = body.__type;
    } catch {
      // Not JSON: the status says enough.
    }
    return `failed (${type})`;
  } catch (err) {
    const name = err && typeof err === 'object' && 'name' in err ? String(err.name) : 'error';
    return `failed (${name === 'TimeoutError' ? 'timeout' : name})`;
  }
}

module.exports = { ACCESS_TOKEN_RE, TIMEOUT_MS, globalSignOut, isAccessToken };
