'use strict';
// The two ALB Lambda event shapes (single- and multi-value headers) in, and the matching response out.

const { isObject } = require('./util');

/**
 * ALB Lambda target response; exactly one of headers / multiValueHeaders is set.
 * @typedef {object} AlbResponse
 * @property {number} statusCode
 * @property {string} statusDescription
 * @property {boolean} isBase64Encoded
 * @property {Record<string, string>} [headers]
 * @property {Record<string, string[]>} [multiValueHeaders]
 * @property {string} body
 */

const TRACE_ID_RE = /^[A-Za-z0-9=;:.\-]{1,256}$/;

/** @type {Record<number, string>} */
const REASON_PHRASES = {
  200: 'OK',
  302: 'Found',
  400: 'Bad Request',
  404: 'Not Found',
  405: 'Method Not Allowed',
  500: 'Internal Server Error',
};

/**
 * ALB's multi-value mode is a target group attribute; the event tells us which one is on.
 * @param {unknown} event
 */
function isMultiValue(event) {
  return isObject(event) && 'multiValueHeaders' in event;
}

/**
 * @param {boolean} multi
 * @param {number} status
 * @param {Array<[string, string]>} headerList  Set-Cookie may repeat in multi-value mode; a
 *   Content-Type here replaces the plain-text default.
 * @param {string} body
 * @returns {AlbResponse}
 */
function respond(multi, status, headerList, body) {
  const typed = headerList.some(([name]) => name.toLowerCase() === 'content-type');
  /** @type {Array<[string, string]>} */
  const all = [...headerList, ['Cache-Control', 'no-store']];
  if (!typed) all.push(['Content-Type', 'text/plain; charset=utf-8']);
  const base = {
    statusCode: status,
    statusDescription: `${status} ${REASON_PHRASES[status]}`,
    isBase64Encoded: false,
    body,
  };
  if (multi) {
    /** @type {Record<string, string[]>} */
    const multiValueHeaders = {};
    for (const [name, value] of all) (multiValueHeaders[name] ??= []).push(value);
    return { ...base, multiValueHeaders };
  }
  /** @type {Record<string, string>} */
  const headers = {};
  for (const [name, value] of all) headers[name] = value;
  return { ...base, headers };
}

/**
 * Header lookup by lower-case name; repeated values resolve to the last one, like ALB's single-value mode.
 * @param {Record<string, unknown>} event
 * @param {boolean} multi
 * @returns {Map<string, string>}
 */
function readHeaders(event, multi) {
  /** @type {Map<string, string>} */
  const result = new Map();
  const source = multi ? event.multiValueHeaders : event.headers;
  if (!isObject(source)) return result;
  for (const [name, value] of Object.entries(source)) {
    const values = Array.isArray(value) ? value : [value];
    const last = values.filter((v) => typeof v === 'string').pop();
    if (last !== undefined) result.set(name.toLowerCase(), last);
  }
  return result;
}

/**
 * X-Amzn-Trace-Id for the log line, only if it looks like one: the header is client-controlled.
 * @param {Map<string, string>} headers
 * @returns {string | undefined}
 */
function readTraceId(headers) {
  const trace = headers.get('x-amzn-trace-id');
  return trace !== undefined && TRACE_ID_RE.test(trace) ? trace : undefined;
}

/**
 * ALB passes query strings still URL-encoded; decode as application/x-www-form-urlencoded.
 * @param {string} raw
 * @returns {string | null}
 */
function decodeParam(raw) {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return null;
  }
}

/**
 * @param {Record<string, unknown>} event
 * @param {boolean} multi
 * @returns {Map<string, string[]>}  decoded name -> decoded values (undecodable ones dropped)
 */
function readQuery(event, multi) {
  /** @type {Map<string, string[]>} */
  const result = new Map();
  const source = multi ? event.multiValueQueryStringParameters : event.queryStringParameters;
  if (!isObject(source)) return result;
  for (const [rawName, value] of Object.entries(source)) {
    const name = decodeParam(rawName);
    if (name === null) continue;
    const list = result.get(name) ?? [];
    for (const v of Array.isArray(value) ? value : [value]) {
      const decoded = typeof v === 'string' ? decodeParam(v) : null;
      // Keep a marker for undecodable values so a param that was sent is never treated as absent.
      list.push(decoded === null ? '\u0000' : decoded);
    }
    result.set(name, list);
  }
  return result;
}

/**
 * @param {Map<string, string[]>} query
 * @param {string} name
 * @returns {string | undefined} the value only if the parameter occurs exactly once
 */
function single(query, name) {
  const values = query.get(name);
  return values && values.length === 1 ? values[0] : undefined;
}

module.exports = {
  isMultiValue,
  readHeaders,
  readQuery,
  readTraceId,
  respond,
  single,
};
