'use strict';
// Bounded GET for key downloads: https only (plain http only to 127.0.0.1, and only when a test asks),
// a time limit, a size limit, no redirects.

const http = require('node:http');
const https = require('node:https');

/**
 * @typedef {object} FetchOptions
 * @property {number} timeoutMs   for the whole exchange, connection to last byte
 * @property {number} maxBytes
 * @property {boolean} [allowLoopbackHttp]  test only: accept http://127.0.0.1:<port>/...
 */

/** @typedef {(url: string) => Promise<string>} FetchText */

class FetchError extends Error {
  /** @param {string} message */
  constructor(message) {
    super(message);
    this.name = 'FetchError';
  }
}

/**
 * @param {string} url
 * @param {FetchOptions} options
 * @returns {Promise<string>}
 */
function fetchText(url, options) {
  const target = new URL(url);
  const loopback = target.protocol === 'http:' && target.hostname === '127.0.0.1' && options.allowLoopbackHttp === true;
  if (target.protocol !== 'https:' && !loopback) return Promise.reject(new FetchError(`refusing to fetch ${url}: not https`));
  const client = loopback ? http : https;
  return new Promise((resolve, reject) => {
    let settled = false;
    /** @param {Error | undefined} err @param {string} [text] */
    const settle = (err, text = '') => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err === undefined) resolve(text);
      else {
        reject(err);
        req.destroy();
      }
    };
    const req = client.get(target, { headers: { accept: 'application/json, application/x-pem-file, */*' } }, (res) => {
      if (res.statusCode !== 200) {
        settle(new FetchError(`GET ${url} answered ${res.statusCode}`));
        return;
      }
      /** @type {Buffer[]} */
      const chunks = [];
      let size = 0;
      res.on('data', (/** @type {Buffer} */ chunk) => {
        size += chunk.length;
        if (size > options.maxBytes) settle(new FetchError(`GET ${url} sent more than ${options.maxBytes} bytes`));
        else chunks.push(chunk);
      });
      res.on('end', () => settle(undefined, Buffer.concat(chunks).toString('utf8')));
      res.on('error', settle);
    });
    const timer = setTimeout(() => settle(new FetchError(`GET ${url} took longer than ${options.timeoutMs} ms`)), options.timeoutMs);
    req.on('error', settle);
  });
}

/**
 * @param {FetchOptions} options
 * @returns {FetchText}
 */
function createFetcher(options) {
  return (url) => fetchText(url, options);
}

module.exports = { FetchError, createFetcher, fetchText };
