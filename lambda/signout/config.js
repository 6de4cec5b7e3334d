'use strict';
// config.json plus the environment: loading and validation of the sign-out handler's settings.

const fs = require('node:fs');
const path = require('node:path');
const { ISSUER_RE } = require('../../verifier/config');
const { errorMessage, isObject } = require('./util');

/**
 * One protected host, as written in config.json.
 * @typedef {object} HostEntry
 * @property {number} client     Index into the client id list (CLIENT_IDS).
 * @property {string} logoutUri  Absolute https URL; must be an allowed sign-out URL of that client.
 */

/**
 * config.json, generated at synth time and shipped in the zip.
 * @typedef {object} FileConfig
 * @property {string} cookieName   ALB SessionCookieName; shards are `<cookieName>-0` .. `-(shardCount-1)`.
 * @property {number} shardCount   Integer 1..16.
 * @property {string} signoutPath  Path the listener rule forwards here, e.g. `/_auth/signout`.
 * @property {string} [clearPath]  Path of the hop that expires the cookies after a revoke, which the
 *   listener forwards without authenticating; default `<signoutPath>/clear`.
 * @property {Record<string, HostEntry>} hosts  Lower-case Host header value -> entry.
 * @property {string} defaultHost  Key of `hosts` used for unknown or missing Host headers.
 */

/**
 * Values Terraform computes; the Lambda gets them from environment variables.
 * @typedef {object} EnvConfig
 * @property {string} logoutEndpoint  COGNITO_LOGOUT_ENDPOINT, e.g. https://prefix.auth.eu-west-1.amazoncognito.com/logout
 * @property {string[]} clientIds     CLIENT_IDS, comma-separated app client ids.
 * @property {string} issuer          COGNITO_ISSUER_URL, https://cognito-idp.<region>.amazonaws.com/<pool id>
 * @property {string} [jwksUrl]       COGNITO_JWKS_URL; default: the issuer's /.well-known/jwks.json
 */

/** @typedef {FileConfig & EnvConfig} SignoutConfig */

/**
 * @typedef {object} HandlerOptions
 * @property {boolean} [allowInsecureLocalhost]  Test only: accept an http://localhost or
 *   http://127.0.0.1 logout endpoint. The production loader never sets it.
 * @property {(line: string) => void} [log]  Receives one JSON line per invocation.
 * @property {string} [cognitoEndpoint]  Test only, with allowInsecureLocalhost: a local stand-in
 *   for Cognito's API instead of https://cognito-idp.<region>.amazonaws.com/.
 * @property {() => import('./sigv4').Credentials | undefined} [credentials]  Test only: instead of
 *   the role's credentials from the environment.
 * @property {() => number} [now]  Test only: the clock, in milliseconds since the epoch.
 */

/**
 * Validated config; hosts is a Map so a Host header like `__proto__` cannot reach Object.prototype.
 * @typedef {object} ResolvedConfig
 * @property {string} cookieName
 * @property {number} shardCount
 * @property {string} signoutPath
 * @property {string} clearPath
 * @property {Map<string, HostEntry>} hosts
 * @property {string} defaultHost
 * @property {string} logoutEndpoint
 * @property {string[]} clientIds
 * @property {import('./global').GlobalSettings} global  where and how to sign the user out everywhere
 */

// Resolved from this module's folder: in the zip, config.json sits next to every handler file.
const CONFIG_PATH = path.join(__dirname, 'config.json');
const MAX_SHARDS = 16;

// RFC 6265 cookie-name is an RFC 7230 token.
const TOKEN_RE = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const CLIENT_ID_RE = /^[\w+]{1,128}$/;
// Lower-case host name with optional port, as a browser sends it in Host.
const HOST_RE = /^[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?(?::[0-9]{1,5})?$/;
const PATH_RE = /^\/(?!\/)[A-Za-z0-9\-._~!$&'()*+,;=:@%/]*$/;
const LOCAL_HOSTNAMES = ['localhost', '127.0.0.1'];

class ConfigError extends Error {
  /** @param {string[]} problems */
  constructor(problems) {
    super(`Invalid sign-out configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
    /** @type {string[]} */
    this.problems = problems;
  }
}

/** @param {unknown} value */
function show(value) {
  if (value === undefined) return 'undefined';
  let text;
  try {
    text = JSON.stringify(value);
  } catch {
    text = String(value);
  }
  if (text === undefined) text = String(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/**
 * @param {string} field
 * @param {unknown} value
 * @param {string} rule
 */
function problem(field, value, rule) {
  return `${field} = ${show(value)}: ${rule}`;
}

/** @param {string} text */
function parseUrl(text) {
  try {
    return new URL(text);
  } catch {
    return null;
  }
}

/**
 * Absolute https URL without credentials or fragment (Cognito compares logout_uri verbatim).
 * @param {unknown} value
 */
function isHttpsUrl(value) {
  if (typeof value !== 'string') return false;
  const url = parseUrl(value);
  return url !== null && url.protocol === 'https:' && !url.username && !url.password && !url.hash && !/\s/.test(value);
}

/**
 * @param {unknown} value
 * @param {boolean} allowInsecureLocalhost
 */
function isEndpoint(value, allowInsecureLocalhost) {
  if (typeof value !== 'string') return false;
  const url = parseUrl(value);
  if (url === null || url.username || url.password || url.search || url.hash) return false;
  if (url.protocol === 'https:') return true;
  return allowInsecureLocalhost && url.protocol === 'http:' && LOCAL_HOSTNAMES.includes(url.hostname);
}

/**
 * Checks everything up front so a bad deployment fails on its first request with
 * one message that names every offending field, its value and the rule.
 * @param {unknown} raw
 * @param {HandlerOptions} [options]
 * @returns {ResolvedConfig}
 */
function validateConfig(raw, options = {}) {
  if (!isObject(raw)) throw new ConfigError([problem('config', raw, 'must be an object')]);
  /** @type {string[]} */
  const problems = [];
  const { cookieName, shardCount, signoutPath, hosts, defaultHost, logoutEndpoint, clientIds, issuer, jwksUrl } = raw;
  const clearPath = raw.clearPath ?? (typeof signoutPath === 'string' ? `${signoutPath.replace(/\/+$/, '')}/clear` : undefined);
  const clearCheckable = raw.clearPath !== undefined || (typeof signoutPath === 'string' && PATH_RE.test(signoutPath));
  if (clearCheckable && (typeof clearPath !== 'string' || !PATH_RE.test(clearPath) || clearPath === signoutPath)) {
    problems.push(problem('clearPath', clearPath, 'must be an absolute path like signoutPath, and another one'));
  }

  if (typeof cookieName !== 'string' || !TOKEN_RE.test(cookieName)) {
    problems.push(
      problem('cookieName', cookieName, "must be a cookie-name token (RFC 6265): one or more letters, digits or !#$%&'*+-.^_`|~"),
    );
  }
  if (typeof shardCount !== 'number' || !Number.isInteger(shardCount) || shardCount < 1 || shardCount > MAX_SHARDS) {
    problems.push(problem('shardCount', shardCount, `must be an integer from 1 to ${MAX_SHARDS}`));
  }
  if (typeof signoutPath !== 'string' || !PATH_RE.test(signoutPath)) {
    problems.push(
      problem('signoutPath', signoutPath, 'must be an absolute path starting with a single "/", without query, fragment or spaces'),
    );
  }
  const allowInsecure = options.allowInsecureLocalhost === true;
  if (!isEndpoint(logoutEndpoint, allowInsecure)) {
    problems.push(
      problem(
        'logoutEndpoint (env COGNITO_LOGOUT_ENDPOINT)',
        logoutEndpoint,
        'must be an absolute https URL without credentials, query or fragment' +
          (allowInsecure ? ' (or http://localhost / http://127.0.0.1)' : ''),
      ),
    );
  }

  const issuerMatch = typeof issuer === 'string' ? ISSUER_RE.exec(issuer) : null;
  if (issuerMatch === null) {
    problems.push(
      problem(
        'issuer (env COGNITO_ISSUER_URL)',
        issuer,
        'must be a user pool issuer https://cognito-idp.<region>.amazonaws.com/<region>_<id>',
      ),
    );
  }
  const jwks = jwksUrl ?? (issuerMatch === null ? undefined : `${issuer}/.well-known/jwks.json`);
  if (issuerMatch !== null && !isEndpoint(jwks, allowInsecure)) {
    problems.push(
      problem(
        'jwksUrl (env COGNITO_JWKS_URL)',
        jwks,
        `must be an absolute https URL without credentials, query or fragment${allowInsecure ? ' (or http://localhost / http://127.0.0.1)' : ''}`,
      ),
    );
  }
  const endpoint = options.cognitoEndpoint;
  if (endpoint !== undefined && !(allowInsecure && isEndpoint(endpoint, true))) {
    problems.push(
      problem('cognitoEndpoint', endpoint, 'is for tests only: an http://localhost or http://127.0.0.1 URL, with allowInsecureLocalhost'),
    );
  }

  /** @type {string[]} */
  const ids = [];
  if (!Array.isArray(clientIds) || clientIds.length === 0) {
    problems.push(problem('clientIds (env CLIENT_IDS)', clientIds, 'must be a non-empty list of app client ids'));
  } else {
    clientIds.forEach((id, i) => {
      if (typeof id === 'string' && CLIENT_ID_RE.test(id)) ids.push(id);
      else problems.push(problem(`clientIds[${i}] (env CLIENT_IDS)`, id, 'must be 1-128 letters, digits, "_" or "+"'));
    });
  }
  const idsValid = Array.isArray(clientIds) && ids.length === clientIds.length && ids.length > 0;

  /** @type {Map<string, HostEntry>} */
  const hostMap = new Map();
  if (!isObject(hosts) || Object.keys(hosts).length === 0) {
    problems.push(problem('hosts', hosts, 'must be a non-empty object of host -> { client, logoutUri }'));
  } else {
    for (const [host, entry] of Object.entries(hosts)) {
      const field = `hosts[${JSON.stringify(host)}]`;
      if (!HOST_RE.test(host)) {
        problems.push(problem(field, host, 'key must be a lower-case host name, optionally with :port'));
      }
      if (!isObject(entry)) {
        problems.push(problem(field, entry, 'must be an object { client, logoutUri }'));
        continue;
      }
      const { client, logoutUri } = entry;
      if (typeof client !== 'number' || !Number.isInteger(client) || client < 0 || (idsValid && client >= ids.length)) {
        problems.push(
          problem(
            `${field}.client`,
            client,
            idsValid
              ? `must be an integer index from 0 to ${ids.length - 1} into CLIENT_IDS`
              : 'must be a non-negative integer index into CLIENT_IDS',
          ),
        );
      }
      if (!isHttpsUrl(logoutUri)) {
        problems.push(problem(`${field}.logoutUri`, logoutUri, 'must be an absolute https URL without credentials, fragment or spaces'));
      }
      // Only used if no problem was found (we throw below otherwise).
      hostMap.set(host, { client: /** @type {number} */ (client), logoutUri: /** @type {string} */ (logoutUri) });
    }
  }
  if (typeof defaultHost !== 'string' || !isObject(hosts) || !Object.prototype.hasOwnProperty.call(hosts, defaultHost)) {
    problems.push(problem('defaultHost', defaultHost, 'must be one of the keys of hosts'));
  }

  if (problems.length > 0) throw new ConfigError(problems);
  const [, region = ''] = /** @type {RegExpExecArray} */ (issuerMatch);
  return Object.freeze({
    cookieName: /** @type {string} */ (cookieName),
    shardCount: /** @type {number} */ (shardCount),
    signoutPath: /** @type {string} */ (signoutPath),
    clearPath: /** @type {string} */ (clearPath),
    hosts: hostMap,
    defaultHost: /** @type {string} */ (defaultHost),
    logoutEndpoint: /** @type {string} */ (logoutEndpoint),
    clientIds: ids,
    global: Object.freeze({
      issuer: /** @type {string} */ (issuer),
      jwksUrl: /** @type {string} */ (jwks),
      clientIds: ids,
      region,
      userPoolId: /** @type {string} */ (issuer).slice(/** @type {string} */ (issuer).lastIndexOf('/') + 1),
      endpoint: new URL(endpoint ?? `https://cognito-idp.${region}.amazonaws.com/`),
    }),
  });
}

/**
 * Reads config.json and merges the Terraform-computed values from the environment.
 * Throws ConfigError with a clear message; validation of values happens in createHandler.
 * @param {{ configPath?: string, env?: Record<string, string | undefined> }} [source]
 * @returns {Record<string, unknown>}
 */
function loadConfig(source = {}) {
  const configPath = source.configPath ?? CONFIG_PATH;
  const env = source.env ?? process.env;
  let text;
  try {
    text = fs.readFileSync(configPath, 'utf8');
  } catch (err) {
    const code = isObject(err) ? err.code : undefined;
    throw new ConfigError([
      code === 'ENOENT'
        ? `config.json not found at ${configPath}: it is generated at synth time and must be in the Lambda zip next to index.js`
        : `config.json at ${configPath} cannot be read: ${errorMessage(err)}`,
    ]);
  }
  let file;
  try {
    file = JSON.parse(text);
  } catch (err) {
    throw new ConfigError([`config.json at ${configPath} is not valid JSON: ${errorMessage(err)}`]);
  }
  if (!isObject(file)) throw new ConfigError([problem(`config.json at ${configPath}`, file, 'must contain a JSON object')]);

  const rawIds = env.CLIENT_IDS;
  return {
    ...file,
    logoutEndpoint: env.COGNITO_LOGOUT_ENDPOINT,
    // Keep empty items so validation reports them instead of silently dropping them.
    clientIds: typeof rawIds === 'string' ? rawIds.split(',').map((id) => id.trim()) : rawIds,
    issuer: env.COGNITO_ISSUER_URL,
    // An unset variable takes the issuer's JWKS; only a set one is checked as given.
    ...(env.COGNITO_JWKS_URL === undefined ? {} : { jwksUrl: env.COGNITO_JWKS_URL }),
  };
}

module.exports = {
  CONFIG_PATH,
  ConfigError,
  loadConfig,
  validateConfig,
};
