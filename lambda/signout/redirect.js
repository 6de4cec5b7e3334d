'use strict';
// Where a sign-out sends the browser: the host's app client and logout_uri, an allowed
// `redirect`, the next hop of the single-value chain, and Cognito's /logout URL.

const { STEP_PARAM } = require('./cookies');

/** @typedef {import('./config').HostEntry} HostEntry */
/** @typedef {import('./config').ResolvedConfig} ResolvedConfig */

const REDIRECT_PARAM = 'redirect';

/**
 * @param {ResolvedConfig} cfg
 * @param {Map<string, string>} headers
 * @returns {{ key: string, entry: HostEntry, known: boolean }}
 */
function pickHost(cfg, headers) {
  const raw = (headers.get('host') ?? '').trim().toLowerCase();
  const candidates = raw.endsWith(':443') ? [raw, raw.slice(0, -4)] : [raw];
  for (const key of candidates) {
    const entry = cfg.hosts.get(key);
    if (entry) return { key, entry, known: true };
  }
  const fallback = /** @type {HostEntry} */ (cfg.hosts.get(cfg.defaultHost));
  return { key: cfg.defaultHost, entry: fallback, known: false };
}

/**
 * A redirect is honoured only if it is verbatim one of the registered logout URIs of
 * the same app client: Cognito would refuse others, and anything looser is an open redirect.
 * @param {ResolvedConfig} cfg
 * @param {string | undefined} wanted
 * @param {number} client
 */
function allowedRedirect(cfg, wanted, client) {
  if (wanted === undefined) return undefined;
  for (const entry of cfg.hosts.values()) {
    if (entry.client === client && entry.logoutUri === wanted) return wanted;
  }
  return undefined;
}

/**
 * @param {ResolvedConfig} cfg
 * @param {number} client
 * @param {string} logoutUri
 */
function cognitoLocation(cfg, client, logoutUri) {
  const url = new URL(cfg.logoutEndpoint);
  // Index validated against clientIds in validateConfig.
  url.searchParams.set('client_id', /** @type {string} */ (cfg.clientIds[client]));
  url.searchParams.set('logout_uri', logoutUri);
  return url.href;
}

/**
 * The next hop of the single-value chain; an accepted redirect is carried along.
 * @param {string} signoutPath
 * @param {number} next
 * @param {string | undefined} redirect
 */
function stepLocation(signoutPath, next, redirect) {
  const params = new URLSearchParams({ [STEP_PARAM]: String(next) });
  if (redirect !== undefined) params.set(REDIRECT_PARAM, redirect);
  // Relative, so the chain stays on the requested host without echoing its Host header.
  return `${signoutPath}?${params}`;
}

/**
 * The hop that expires the cookies after a revoke; an accepted redirect is carried along.
 * @param {string} clearPath
 * @param {string | undefined} redirect
 */
function clearLocation(clearPath, redirect) {
  return redirect === undefined ? clearPath : `${clearPath}?${new URLSearchParams({ [REDIRECT_PARAM]: redirect })}`;
}

module.exports = { REDIRECT_PARAM, allowedRedirect, clearLocation, cognitoLocation, pickHost, stepLocation };
