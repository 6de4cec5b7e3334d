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
// Percent-encodings an app may decode into a separator or a second meaning: "." "/" "\\" "%"
// (double encoding) ";" "?" "#", and NUL and the other control characters.
const ENCODED_RE = /%(?:2e|2f|5c|25|3b|3f|23|[01][0-9a-f]|7f)/i;
const MALFORMED_PERCENT_RE = /%(?![0-9a-f]{2})/i;
const VISIBLE_ASCII_RE = /^[\x21-\x7e]*$/;

/**
 * The header ingress-nginx's auth location sets to nginx's `$host`: the host it chose the server
 * block by (from an absolute-form request line first, else the Host header; lower-case, no port).
 * The cluster stack adds it with global-auth-snippet (ingress-nginx.js); a client's copy is replaced.
 */
const ROUTED_HOST_HEADER = 'x-routed-host';

/**
 * ingress-nginx's auth location overwrites a client's X-Original-URL with its own; the same snippet
 * passes the client's copy under this name, so the verifier can refuse it (an app that honours
 * X-Original-URL would serve that path instead of the one judged).
 */
const CLIENT_ORIGINAL_URL_HEADER = 'x-client-original-url';

/**
 * Headers a client may send that some apps or routers read as the request's host or path instead
 * of the real one: ingress-nginx with use-forwarded-headers sends X-Forwarded-Host to the app as
 * its Host; Rails, Django, Express and Spring read X-Forwarded-Host; Symfony and Zend read
 * X-Original-URL and X-Rewrite-URL. The ALB adds none of them, so a request that carries one was
 * written by its client: refused rather than judged as something the app will not serve.
 */
const REWRITING_HEADERS = [
  'x-forwarded-host',
  'x-forwarded-prefix',
  'x-forwarded-uri',
  'forwarded',
  'x-rewrite-url',
  CLIENT_ORIGINAL_URL_HEADER,
];
/** Traefik's forwardAuth deletes every X-Forwarded-* of the auth request (its own middleware strips the client's for the app). */
const REWRITING_HEADERS_TRAEFIK = ['forwarded', 'x-rewrite-url', 'x-original-url'];
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
  const rewriting = (router === 'traefik' ? REWRITING_HEADERS_TRAEFIK : REWRITING_HEADERS).find((h) => headers[h] !== undefined);
  if (rewriting !== undefined) return { ok: false, reason: `${rewriting} names another host or path than the request's` };
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
  // X-Original-URL carries the Host header ($http_host), but nginx routes an absolute-form request
  // line (GET http://a/ HTTP/1.1, Host: b) by the line's host: the verifier must judge the host the
  // router serves, and refuses a request that names two. Without the header (a router whose
  // settings are not applied yet, for the minute of an upgrade) the URL's host is judged as before.
  const routed = headers[ROUTED_HOST_HEADER];
  if (routed !== undefined) {
    if (routed.length !== 1) return { ok: false, reason: 'X-Routed-Host repeated' };
    const a = normalizeHost(routed[0]);
    if (a === undefined || a !== normalizeHost(m[1]))
      return { ok: false, reason: 'the request line and the Host header name different hosts' };
  }
  return target(m[1], m[2], single(headers, 'x-original-method'));
}

/**
 * Why a raw path could mean something else to the app than to a pattern match, if it could: the
 * canonicalization rule (docs/verifier.md). A path passes only if every reading of it is the same
 * resource: no character an app drops or cuts at (";" path parameters, "#" fragments, a backslash),
 * no segment an app resolves or merges ("." "..", "//"), no percent-encoding of a separator or of a
 * control character, every "%" a well-formed escape, and its decoding valid UTF-8.
 * @param {string} path
 * @param {string | undefined} [decoded]  decodedPath(path), when the caller has it already
 * @returns {string | undefined}
 */
function pathProblem(path, decoded = decodedPath(path)) {
  if (!VISIBLE_ASCII_RE.test(path)) return 'path has spaces, control or non-ASCII characters';
  if (path.includes('\\')) return 'path has a backslash';
  // Servlet containers and other frameworks drop ";params" from each segment (/admin;.css is /admin).
  if (path.includes(';')) return 'path has a ";" (path parameters, which apps drop)';
  // nginx passes a raw "#" to the app, which cuts the path there (/admin#.css is /admin).
  if (path.includes('#')) return 'path has a "#"';
  if (MALFORMED_PERCENT_RE.test(path)) return 'path has a "%" that starts no escape';
  if (ENCODED_RE.test(path)) return 'path has a percent-encoded ".", "/", "\\", "%", ";", "?", "#" or control character';
  const segments = path.split('/');
  if (segments.some((segment) => segment === '.' || segment === '..')) return 'path has a "." or ".." segment';
  // nginx merges "//" for its own location match (merge_slashes) and so do many apps.
  if (segments.slice(1, -1).some((segment) => segment === '')) return 'path has an empty segment ("//")';
  if (decoded === undefined) return 'path does not decode to UTF-8 (an overlong or broken escape)';
  return undefined;
}

/**
 * The path as an app that decodes it reads it (strict UTF-8), or undefined when it does not decode.
 * @param {string} path
 */
function decodedPath(path) {
  try {
    return decodeURIComponent(path);
  } catch {
    return undefined;
  }
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

module.exports = {
  CLIENT_ORIGINAL_URL_HEADER,
  REWRITING_HEADERS,
  ROUTED_HOST_HEADER,
  decodedPath,
  matchesPattern,
  pathProblem,
  readTarget,
  single,
};
