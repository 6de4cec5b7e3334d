'use strict';
// The original request as the router describes it (host, raw path, method), the path safety check
// and ALB path-pattern matching.

/**
 * Request headers as node's `headersDistinct`: lower-case names, every value kept.
 * @typedef {Record<string, string[] | undefined>} Headers
 */

/**
 * @typedef {object} Target
 * @property {string} host    lower-case, without port or trailing dot
 * @property {string} path    the raw path, as the client sent it, without the query
 * @property {string} method  the original method, or `-` when the router did not say
 */

/** @typedef {'ingress-nginx' | 'traefik'} Router */

/** @typedef {{ ok: true, target: Target } | { ok: false, reason: string }} TargetResult */

const HOST_RE = /^[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?$/;
// Percent-encoded ".", "/", "\", "%" (double encoding) and NUL.
const ENCODED_RE = /%(?:2e|2f|5c|25|00)/i;
const VISIBLE_ASCII_RE = /^[\x21-\x7e]*$/;
const METHOD_RE = /^[A-Z]{1,16}$/;

/**
 * The single value of a header; undefined when absent or sent more than once.
 * @param {Headers} headers
 * @param {string} name
 */
function single(headers, name) {
  const values = headers[name];
  return values !== undefined && values.length === 1 ? values[0] : undefined;
}

/** @param {string} authority */
function normalizeHost(authority) {
  const host = authority
    .toLowerCase()
    .replace(/:\d{1,5}$/, '')
    .replace(/\.$/, '');
  return HOST_RE.test(host) ? host : undefined;
}

/**
 * @param {string} host
 * @param {string} uri  the request target, path and query
 * @param {string | undefined} method
 * @returns {TargetResult}
 */
function target(host, uri, method) {
  const normalized = normalizeHost(host);
  if (normalized === undefined) return { ok: false, reason: 'host is not a host name' };
  if (!uri.startsWith('/')) return { ok: false, reason: 'request target is not an absolute path' };
  const q = uri.indexOf('?');
  const m = method !== undefined && METHOD_RE.test(method) ? method : '-';
  return { ok: true, target: { host: normalized, path: q === -1 ? uri : uri.slice(0, q), method: m } };
}

/**
 * ingress-nginx always sets X-Original-URL ($scheme://$http_host$request_uri) on its auth
 * subrequest, overriding any client copy, and X-Original-URI ($request_uri) only when an auth
 * method is configured; a client could send the latter otherwise, so it must agree with the URL.
 * Traefik's ForwardAuth sets X-Forwarded-Host, -Uri and -Method (client copies are replaced
 * unless trustForwardHeader is on, which must stay off).
 * @param {Headers} headers
 * @param {Router} router
 * @returns {TargetResult}
 */
function readTarget(headers, router) {
  if (router === 'traefik') {
    const host = single(headers, 'x-forwarded-host');
    const uri = single(headers, 'x-forwarded-uri');
    if (host === undefined || uri === undefined) return { ok: false, reason: 'X-Forwarded-Host or X-Forwarded-Uri missing or repeated' };
    return target(host, uri, single(headers, 'x-forwarded-method'));
  }
  const url = single(headers, 'x-original-url');
  if (url === undefined) return { ok: false, reason: 'X-Original-URL missing or repeated' };
  // Split by hand: new URL() would resolve dot segments and decode, hiding what the client sent.
  const m = /^https?:\/\/([^/?#]*)(.*)$/.exec(url);
  if (m === null) return { ok: false, reason: 'X-Original-URL is not an http(s) URL' };
  const uri = headers['x-original-uri'];
  if (uri !== undefined && (uri.length !== 1 || uri[0] !== m[2]))
    return { ok: false, reason: 'X-Original-URI disagrees with X-Original-URL' };
  return target(m[1], m[2], single(headers, 'x-original-method'));
}

/**
 * Why a raw path could mean something else to the app than to a pattern match, if it could.
 * @param {string} path
 * @returns {string | undefined}
 */
function pathProblem(path) {
  if (!VISIBLE_ASCII_RE.test(path)) return 'path has spaces, control or non-ASCII characters';
  if (path.includes('\\')) return 'path has a backslash';
  if (ENCODED_RE.test(path)) return 'path has a percent-encoded ".", "/", "\\", "%" or NUL';
  // `..;x` is `..` to servlet containers, which drop path parameters before resolving.
  if (path.split('/').some((segment) => /^\.\.?(?:;.*)?$/.test(segment))) return 'path has a "." or ".." segment';
  return undefined;
}

/**
 * ALB path-pattern semantics: case-sensitive, `*` matches any run of characters (slashes
 * included), `?` exactly one; matched against the path only. No regular expression: at worst pattern length x path length steps.
 * @param {string} pattern
 * @param {string} path
 */
function matchesPattern(pattern, path) {
  let p = 0;
  let s = 0;
  let star = -1;
  let resume = 0;
  while (s < path.length) {
    if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      resume = s;
    } else if (p < pattern.length && (pattern[p] === '?' || pattern[p] === path[s])) {
      p++;
      s++;
    } else if (star !== -1) {
      p = star + 1;
      s = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}

module.exports = { matchesPattern, pathProblem, readTarget, single };
