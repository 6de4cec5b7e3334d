'use strict';
// Sign-out endpoint for ALB `authenticate-oidc`: expires every ALB session
// cookie shard, then sends the browser to Cognito's /logout.
// Runs as-is on nodejs20.x: CommonJS, no dependencies, no build step.

const fs = require('node:fs');
const path = require('node:path');

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
 * @property {Record<string, HostEntry>} hosts  Lower-case Host header value -> entry.
 * @property {string} defaultHost  Key of `hosts` used for unknown or missing Host headers.
 */

/**
 * Values Terraform computes; the Lambda gets them from environment variables.
 * @typedef {object} EnvConfig
 * @property {string} logoutEndpoint  COGNITO_LOGOUT_ENDPOINT, e.g. https://prefix.auth.eu-west-1.amazoncognito.com/logout
 * @property {string[]} clientIds     CLIENT_IDS, comma-separated app client ids.
 */

/** @typedef {FileConfig & EnvConfig} SignoutConfig */

/**
 * @typedef {object} HandlerOptions
 * @property {boolean} [allowInsecureLocalhost]  Test only: accept an http://localhost or
 *   http://127.0.0.1 logout endpoint. The production loader never sets it.
 * @property {(line: string) => void} [log]  Receives one JSON line per invocation.
 */

/**
 * Validated config; hosts is a Map so a Host header like `__proto__` cannot reach Object.prototype.
 * @typedef {object} ResolvedConfig
 * @property {string} cookieName
 * @property {number} shardCount
 * @property {string} signoutPath
 * @property {Map<string, HostEntry>} hosts
 * @property {string} defaultHost
 * @property {string} logoutEndpoint
 * @property {string[]} clientIds
 */

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

/** @typedef {(event: unknown) => Promise<AlbResponse>} AlbHandler */

/** @typedef {Record<string, string | number | boolean | undefined>} LogEntry */

const CONFIG_PATH = path.join(__dirname, 'config.json');
const MAX_SHARDS = 16;
const ALLOWED_METHODS = ['GET', 'HEAD', 'POST'];
const STEP_PARAM = 'shard';
const REDIRECT_PARAM = 'redirect';
const EXPIRED_ATTRIBUTES = 'Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Secure; HttpOnly; SameSite=Lax';

// RFC 6265 cookie-name is an RFC 7230 token.
const TOKEN_RE = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const CLIENT_ID_RE = /^[\w+]{1,128}$/;
// Lower-case host name with optional port, as a browser sends it in Host.
const HOST_RE = /^[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?(?::[0-9]{1,5})?$/;
const PATH_RE = /^\/(?!\/)[A-Za-z0-9\-._~!$&'()*+,;=:@%/]*$/;
// Decimal without sign, leading zeros or exponent; range is checked separately.
const STEP_RE = /^(?:0|[1-9][0-9]?)$/;
const TRACE_ID_RE = /^[A-Za-z0-9=;:.\-]{1,256}$/;
const LOCAL_HOSTNAMES = ['localhost', '127.0.0.1'];

/** @type {Record<number, string>} */
const REASON_PHRASES = {
  302: 'Found',
  400: 'Bad Request',
  404: 'Not Found',
  405: 'Method Not Allowed',
  500: 'Internal Server Error',
};

class ConfigError extends Error {
  /** @param {string[]} problems */
  constructor(problems) {
    super(`Invalid sign-out configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
    /** @type {string[]} */
    this.problems = problems;
  }
}

/**
 * @param {unknown} value
 * @returns {value is Record<string, unknown>}
 */
function isObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
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
function isLogoutEndpoint(value, allowInsecureLocalhost) {
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
  const { cookieName, shardCount, signoutPath, hosts, defaultHost, logoutEndpoint, clientIds } = raw;

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
  if (!isLogoutEndpoint(logoutEndpoint, allowInsecure)) {
    problems.push(
      problem(
        'logoutEndpoint (env COGNITO_LOGOUT_ENDPOINT)',
        logoutEndpoint,
        'must be an absolute https URL without credentials, query or fragment' +
          (allowInsecure ? ' (or http://localhost / http://127.0.0.1)' : ''),
      ),
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
  return Object.freeze({
    cookieName: /** @type {string} */ (cookieName),
    shardCount: /** @type {number} */ (shardCount),
    signoutPath: /** @type {string} */ (signoutPath),
    hosts: hostMap,
    defaultHost: /** @type {string} */ (defaultHost),
    logoutEndpoint: /** @type {string} */ (logoutEndpoint),
    clientIds: ids,
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
  };
}

/** @param {unknown} err */
function errorMessage(err) {
  return err instanceof Error ? err.message : String(err);
}

/** @param {string} line */
function defaultLog(line) {
  console.log(line);
}

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
 * @param {Array<[string, string]>} headerList  Set-Cookie may repeat in multi-value mode.
 * @param {string} body
 * @returns {AlbResponse}
 */
function respond(multi, status, headerList, body) {
  /** @type {Array<[string, string]>} */
  const all = [...headerList, ['Cache-Control', 'no-store'], ['Content-Type', 'text/plain; charset=utf-8']];
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

/**
 * Builds the ALB Lambda handler. Pure: no I/O besides the log callback.
 * Throws ConfigError if the config is invalid; the returned handler never throws.
 * @param {SignoutConfig | Record<string, unknown>} config  validated at runtime
 * @param {HandlerOptions} [options]
 * @returns {AlbHandler}
 */
function createHandler(config, options = {}) {
  const cfg = validateConfig(config, options);
  const log = options.log ?? defaultLog;

  /** @param {LogEntry} entry */
  const emit = (entry) => {
    try {
      log(JSON.stringify(entry));
    } catch {
      // Logging must never turn a sign-out into an error.
    }
  };

  /**
   * @param {Map<string, string>} headers
   * @returns {{ key: string, entry: HostEntry, known: boolean }}
   */
  const pickHost = (headers) => {
    const raw = (headers.get('host') ?? '').trim().toLowerCase();
    const candidates = raw.endsWith(':443') ? [raw, raw.slice(0, -4)] : [raw];
    for (const key of candidates) {
      const entry = cfg.hosts.get(key);
      if (entry) return { key, entry, known: true };
    }
    const fallback = /** @type {HostEntry} */ (cfg.hosts.get(cfg.defaultHost));
    return { key: cfg.defaultHost, entry: fallback, known: false };
  };

  /**
   * A redirect is honoured only if it is verbatim one of the registered logout URIs of
   * the same app client: Cognito would refuse others, and anything looser is an open redirect.
   * @param {string | undefined} wanted
   * @param {number} client
   */
  const allowedRedirect = (wanted, client) => {
    if (wanted === undefined) return undefined;
    for (const entry of cfg.hosts.values()) {
      if (entry.client === client && entry.logoutUri === wanted) return wanted;
    }
    return undefined;
  };

  /**
   * @param {number} client
   * @param {string} logoutUri
   */
  const cognitoLocation = (client, logoutUri) => {
    const url = new URL(cfg.logoutEndpoint);
    // Index validated against clientIds in validateConfig.
    url.searchParams.set('client_id', /** @type {string} */ (cfg.clientIds[client]));
    url.searchParams.set('logout_uri', logoutUri);
    return url.href;
  };

  /** @param {number} shard */
  const expiredCookie = (shard) => `${cfg.cookieName}-${shard}=; ${EXPIRED_ATTRIBUTES}`;

  /**
   * @param {unknown} event
   * @param {boolean} multi
   * @returns {{ response: AlbResponse, entry: LogEntry }}
   */
  const route = (event, multi) => {
    const mode = multi ? 'multi' : 'single';
    if (!isObject(event) || typeof event.httpMethod !== 'string' || typeof event.path !== 'string') {
      return {
        response: respond(multi, 400, [], 'Bad request.'),
        entry: { level: 'warn', msg: 'rejected', reason: 'not an ALB request event', status: 400, mode },
      };
    }
    const headers = readHeaders(event, multi);
    const trace = headers.get('x-amzn-trace-id');
    const traceId = trace !== undefined && TRACE_ID_RE.test(trace) ? trace : undefined;
    const method = event.httpMethod;
    const head = method === 'HEAD';

    if (event.path !== cfg.signoutPath) {
      return {
        response: respond(multi, 404, [], head ? '' : 'Not found.'),
        entry: { level: 'warn', msg: 'rejected', reason: 'unexpected path', status: 404, mode, traceId },
      };
    }
    if (!ALLOWED_METHODS.includes(method)) {
      return {
        response: respond(multi, 405, [['Allow', ALLOWED_METHODS.join(', ')]], 'Method not allowed.'),
        entry: { level: 'warn', msg: 'rejected', reason: 'method not allowed', status: 405, mode, traceId },
      };
    }

    const query = readQuery(event, multi);
    const host = pickHost(headers);
    const wanted = single(query, REDIRECT_PARAM);
    const redirect = allowedRedirect(wanted, host.entry.client);
    const logoutUri = redirect ?? host.entry.logoutUri;
    const body = head ? '' : 'Signing out.';
    const common = {
      level: 'info',
      msg: 'signout',
      status: 302,
      mode,
      traceId,
      host: host.known ? host.key : `default:${host.key}`,
      redirect: redirect !== undefined ? 'honoured' : query.has(REDIRECT_PARAM) ? 'ignored' : 'absent',
    };

    if (multi) {
      /** @type {Array<[string, string]>} */
      const list = [];
      for (let shard = 0; shard < cfg.shardCount; shard++) list.push(['Set-Cookie', expiredCookie(shard)]);
      list.push(['Location', cognitoLocation(host.entry.client, logoutUri)]);
      return { response: respond(true, 302, list, body), entry: { ...common, shards: cfg.shardCount } };
    }

    // Single-value mode carries one Set-Cookie per response, so clear one shard per hop.
    // Each hop emits the next step itself and any malformed step restarts at 0, so the
    // chain always ends after shardCount hops.
    const rawStep = single(query, STEP_PARAM);
    const parsed = rawStep !== undefined && STEP_RE.test(rawStep) ? Number(rawStep) : 0;
    const step = parsed < cfg.shardCount ? parsed : 0;
    const next = step + 1;
    let location;
    if (next < cfg.shardCount) {
      const params = new URLSearchParams({ [STEP_PARAM]: String(next) });
      if (redirect !== undefined) params.set(REDIRECT_PARAM, redirect);
      // Relative, so the chain stays on the requested host without echoing its Host header.
      location = `${cfg.signoutPath}?${params}`;
    } else {
      location = cognitoLocation(host.entry.client, logoutUri);
    }
    return {
      response: respond(
        false,
        302,
        [
          ['Set-Cookie', expiredCookie(step)],
          ['Location', location],
        ],
        body,
      ),
      entry: { ...common, step, final: next >= cfg.shardCount },
    };
  };

  /** @type {AlbHandler} */
  const signout = async (event) => {
    let multi = false;
    try {
      multi = isMultiValue(event);
      const { response, entry } = route(event, multi);
      emit(entry);
      return response;
    } catch (err) {
      emit({ level: 'error', msg: 'signout failed', error: errorMessage(err) });
      return respond(multi, 500, [], 'Sign-out failed.');
    }
  };
  return signout;
}

/**
 * Defers loading to the first invocation and remembers the outcome; the zip and the
 * environment cannot change during the life of the execution environment.
 * @param {() => SignoutConfig | Record<string, unknown>} load
 * @param {HandlerOptions} [options]
 * @returns {AlbHandler}
 */
function createLazyHandler(load, options = {}) {
  const log = options.log ?? defaultLog;
  /** @type {AlbHandler | undefined} */
  let built;
  /** @type {string | undefined} */
  let failure;
  return async (event) => {
    if (built === undefined && failure === undefined) {
      try {
        built = createHandler(load(), options);
      } catch (err) {
        failure = errorMessage(err);
      }
    }
    if (built !== undefined) return built(event);
    try {
      log(JSON.stringify({ level: 'error', msg: 'sign-out configuration failed to load', error: failure }));
    } catch {
      // See emit() above.
    }
    return respond(isMultiValue(event), 500, [], 'Sign-out is not configured correctly.');
  };
}

const handler = createLazyHandler(() => loadConfig());

module.exports = {
  CONFIG_PATH,
  ConfigError,
  createHandler,
  createLazyHandler,
  handler,
  loadConfig,
  validateConfig,
};
