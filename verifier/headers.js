'use strict';
// The identity headers the verifier answers with, and how their values are written.

/** Headers the router copies from an allowing answer to the upstream request. */
const IDENTITY_HEADERS = /** @type {const} */ ({
  user: 'X-Auth-Request-User',
  email: 'X-Auth-Request-Email',
  groups: 'X-Auth-Request-Groups',
  accessToken: 'X-Auth-Request-Access-Token',
  /** Calls from code (bearer tokens): the machine client's id and its scopes, space-separated. */
  client: 'X-Auth-Request-Client-Id',
  scopes: 'X-Auth-Request-Scopes',
});

/**
 * The ALB's own headers, passed on (verified, unchanged) only to hosts with forwardAccessToken;
 * listing them among the router's response headers strips every client copy for the others.
 */
const ALB_TOKEN_HEADERS = /** @type {const} */ ({
  accessToken: 'X-Amzn-Oidc-Accesstoken',
  data: 'X-Amzn-Oidc-Data',
  identity: 'X-Amzn-Oidc-Identity',
});

/** Every header the router must take from the verifier's answer, replacing what the client sent. */
const RESPONSE_HEADERS = [...Object.values(IDENTITY_HEADERS), ...Object.values(ALB_TOKEN_HEADERS)];

/**
 * A header-safe value: as-is when it is printable ASCII without "%" or ",", and neither begins nor
 * ends with a space; otherwise percent-encoded as UTF-8 (encodeURIComponent). So decodeURIComponent
 * always gives the original back byte for byte (a router drops the whitespace around a header value,
 * which would turn " alice" into "alice"), and a comma in the groups header always separates two groups.
 * @param {string} value
 */
function headerValue(value) {
  return /^(?:[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?)?$/.test(value) && !/[%,]/.test(value) ? value : encodeURIComponent(value);
}

/**
 * @typedef {object} Identity
 * @property {string} username
 * @property {string} sub
 * @property {string} [email]
 * @property {string[]} groups
 * @property {{ accessToken: string, data: string }} [tokens]  present only when the host forwards them
 */

/**
 * @param {Identity} id
 * @returns {Array<[string, string]>}
 */
function identityHeaders(id) {
  /** @type {Array<[string, string]>} */
  const list = [[IDENTITY_HEADERS.user, headerValue(id.username)]];
  if (id.email !== undefined) list.push([IDENTITY_HEADERS.email, headerValue(id.email)]);
  if (id.groups.length > 0) list.push([IDENTITY_HEADERS.groups, id.groups.map(headerValue).join(',')]);
  if (id.tokens !== undefined) {
    list.push(
      [IDENTITY_HEADERS.accessToken, id.tokens.accessToken],
      [ALB_TOKEN_HEADERS.accessToken, id.tokens.accessToken],
      [ALB_TOKEN_HEADERS.data, id.tokens.data],
      [ALB_TOKEN_HEADERS.identity, headerValue(id.sub)],
    );
  }
  return list;
}

/**
 * A machine client's identity: no user, so the user headers stay empty (the router then removes
 * any a client sent).
 * @param {{ clientId: string, scopes: string[] }} client
 * @returns {Array<[string, string]>}
 */
function clientHeaders(client) {
  return [
    [IDENTITY_HEADERS.client, headerValue(client.clientId)],
    [IDENTITY_HEADERS.scopes, client.scopes.map(headerValue).join(' ')],
  ];
}

module.exports = { ALB_TOKEN_HEADERS, IDENTITY_HEADERS, RESPONSE_HEADERS, clientHeaders, headerValue, identityHeaders };
