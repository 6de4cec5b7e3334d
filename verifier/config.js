'use strict';
// Settings: config.json (static, known at synth time) plus the values Terraform computes (environment),
// checked once at start so a bad deployment fails with every problem named.

const fs = require('node:fs');
const path = require('node:path');
const { parseAlbArn } = require('./arn');
const { errorText } = require('./log');

/** @typedef {import('./arn').AlbArn} AlbArn */
/** @typedef {import('./target').Router} Router */

/**
 * One protected host.
 * @typedef {object} HostConfig
 * @property {string} app                  shown on the 403 page
 * @property {string[]} allowedGroups      Cognito groups admitted; empty: every signed-in user
 * @property {string[]} publicPaths        ALB path patterns served without a token
 * @property {boolean} forwardAccessToken  pass the verified access token to the app
 * @property {string[]} [bearerScopes]     requests with `Authorization: Bearer` must bring an access
 *   token carrying all of these scopes; absent: browsers only
 */

/**
 * @typedef {object} VerifierConfig
 * @property {string} region
 * @property {AlbArn[]} albArns            signers accepted for x-amzn-oidc-data
 * @property {string} issuer               the user pool's issuer URL
 * @property {string[]} clientIds          the ALB's app client ids
 * @property {string} albKeyEndpoint       without trailing slash; keys are <endpoint>/<kid>
 * @property {string} jwksUrl
 * @property {Map<string, HostConfig>} hosts
 * @property {Set<string>} publicHosts     hosts served without a token
 * @property {string} signoutPath
 * @property {{ hosts: Set<string>, path: string }} healthCheck  the ALB's health check through a
 *   router that asks the verifier about every request (Traefik): exactly this path on these hosts
 *   (the NLB's addresses, which the ALB sends as Host) is allowed; nothing else on them
 * @property {number} clockSkewSeconds
 * @property {Router} router
 * @property {number} keyFetchTimeoutMs
 * @property {number} keyCacheSize
 * @property {number} jwksRefetchSeconds
 * @property {number} tokenCacheEntries    verified tokens kept (0: verify every request)
 * @property {number} tokenCacheMegabytes  their memory bound
 * @property {'info' | 'debug'} logLevel   debug adds each token's hash and cache hit to the decision line
 */

/**
 * @typedef {object} ConfigOptions
 * @property {boolean} [insecureLoopbackEndpoints]  Test only: accept http://127.0.0.1:<port> for
 *   albKeyEndpoint and jwksUrl. Never read from a file or the environment.
 */

const DEFAULT_CONFIG_PATH = path.join(__dirname, 'config.json');
/** Values Terraform computes, by config field: set in config.json or in the environment, not both. */
const ENV_FIELDS = /** @type {const} */ ([
  ['issuer', 'COGNITO_ISSUER_URL'],
  ['jwksUrl', 'COGNITO_JWKS_URL'],
  ['clientIds', 'CLIENT_IDS'],
  // The ALB's account is known only when Terraform runs (aws_caller_identity).
  ['albArns', 'ALB_ARNS'],
]);
/** Environment values that are comma-separated lists. */
const LIST_FIELDS = ['clientIds', 'albArns'];
const TOP_KEYS = [
  'region',
  'albArns',
  'issuer',
  'clientIds',
  'albKeyEndpoint',
  'jwksUrl',
  'hosts',
  'publicHosts',
  'signoutPath',
  'healthCheck',
  'clockSkewSeconds',
  'router',
  'keyFetchTimeoutMs',
  'keyCacheSize',
  'jwksRefetchSeconds',
  'tokenCacheEntries',
  'tokenCacheMegabytes',
  'logLevel',
];
const HOST_KEYS = ['app', 'allowedGroups', 'publicPaths', 'forwardAccessToken', 'bearerScopes'];
const ROUTERS = ['ingress-nginx', 'traefik'];

const REGION_RE = /^[a-z]{2}(?:-gov|-iso[a-z]*)?-[a-z]+-\d$/;
const ISSUER_RE = /^https:\/\/cognito-idp\.([a-z]{2}(?:-gov)?-[a-z]+-\d)\.amazonaws\.com\/\1_[A-Za-z0-9]+$/;
const CLIENT_ID_RE = /^[\w+]{1,128}$/;
const HOST_RE = /^[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?$/;
const IPV4_RE = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const PATH_RE = /^\/(?!\/)[A-Za-z0-9\-._~!$&'()*+,;=:@/]{0,127}$/;
// ALB path patterns (the characters the cdktf config accepts).
const PATTERN_RE = /^\/[A-Za-z0-9_.$/~"'@:+&*?-]{0,127}$/;
const APP_RE = /^[\x20-\x7e]{1,64}$/;

class ConfigError extends Error {
  /** @param {string[]} problems */
  constructor(problems) {
    super(
      `Invalid verifier configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n  - ${problems.join('\n  - ')}`,
    );
    this.name = 'ConfigError';
    /** @type {string[]} */
    this.problems = problems;
  }
}

/** @param {unknown} value */
function show(value) {
  const text = value === undefined ? 'undefined' : (JSON.stringify(value) ?? String(value));
  return text.length > 100 ? `${text.slice(0, 97)}...` : text;
}

/**
 * @param {unknown} value
 * @returns {value is Record<string, unknown>}
 */
function isRecord(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Absolute https URL without credentials, query or fragment; http://127.0.0.1 only when allowed.
 * @param {unknown} value
 * @param {boolean} loopback
 */
function isEndpoint(value, loopback) {
  if (typeof value !== 'string' || /\s/.test(value)) return false;
  let url;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.username || url.password || url.search || url.hash) return false;
  return url.protocol === 'https:' || (loopback && url.protocol === 'http:' && url.hostname === '127.0.0.1');
}

/**
 * The documented key endpoint for a region; China and GovCloud have other forms, set explicitly.
 * @param {string} region
 */
function defaultKeyEndpoint(region) {
  return /^(?:cn|us-gov)-/.test(region) ? undefined : `https://public-keys.auth.elb.${region}.amazonaws.com`;
}

/**
 * Checks every field and collects every problem before throwing.
 * @param {unknown} raw  config.json merged with the environment (see loadConfig)
 * @param {ConfigOptions} [options]
 * @returns {VerifierConfig}
 */
function validateConfig(raw, options = {}) {
  if (!isRecord(raw)) throw new ConfigError([`config = ${show(raw)}: must be a JSON object`]);
  /** @type {string[]} */
  const problems = [];
  /** @type {(field: string, value: unknown, rule: string) => void} */
  const fail = (field, value, rule) => {
    problems.push(`${field} = ${show(value)}: ${rule}`);
  };
  const loopback = options.insecureLoopbackEndpoints === true;

  for (const key of Object.keys(raw)) if (!TOP_KEYS.includes(key)) fail(key, raw[key], `is not a setting (known: ${TOP_KEYS.join(', ')})`);

  /**
   * @param {string} field
   * @param {unknown} value
   * @param {number} min
   * @param {number} max
   * @param {number} fallback
   */
  const integer = (field, value, min, max, fallback) => {
    if (value === undefined) return fallback;
    if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return value;
    fail(field, value, `must be an integer from ${min} to ${max}`);
    return fallback;
  };
  /**
   * @param {string} field
   * @param {unknown} value
   * @param {(item: string) => boolean} valid
   * @param {string} rule
   * @param {boolean} required  true: at least one item
   */
  const strings = (field, value, valid, rule, required) => {
    if (value === undefined && !required) return [];
    if (!Array.isArray(value) || (required && value.length === 0)) {
      fail(field, value, `must be a ${required ? 'non-empty ' : ''}list`);
      return [];
    }
    /** @type {string[]} */
    const good = [];
    value.forEach((item, i) => {
      if (typeof item === 'string' && valid(item)) good.push(item);
      else fail(`${field}[${i}]`, item, rule);
    });
    return good;
  };

  const region = typeof raw.region === 'string' && REGION_RE.test(raw.region) ? raw.region : '';
  if (region === '') fail('region', raw.region, 'must be an AWS region such as eu-west-1');

  const albArns = strings(
    'albArns',
    raw.albArns,
    (a) => parseAlbArn(a, true) !== undefined,
    'must be an ALB ARN arn:aws:elasticloadbalancing:<region>:<account>:loadbalancer/app/<name>/<16 hex digits or *>',
    true,
  ).map((a) => /** @type {AlbArn} */ (parseAlbArn(a, true)));
  albArns.forEach((a, i) => {
    if (region !== '' && a.region !== region) fail(`albArns[${i}]`, a.region, `is in another region than region "${region}"`);
  });

  const issuer = typeof raw.issuer === 'string' && ISSUER_RE.test(raw.issuer) ? raw.issuer : '';
  if (issuer === '') {
    fail(
      'issuer (env COGNITO_ISSUER_URL)',
      raw.issuer,
      'must be a user pool issuer https://cognito-idp.<region>.amazonaws.com/<region>_<id>',
    );
  }
  const clientIds = strings(
    'clientIds (env CLIENT_IDS)',
    raw.clientIds,
    (id) => CLIENT_ID_RE.test(id),
    'must be 1-128 letters, digits, "_" or "+"',
    true,
  );

  const endpointRule = `must be an absolute https URL without credentials, query or fragment${loopback ? ' (or http://127.0.0.1)' : ''}`;
  const albKeyEndpoint = raw.albKeyEndpoint ?? defaultKeyEndpoint(region);
  if (!isEndpoint(albKeyEndpoint, loopback)) {
    fail(
      'albKeyEndpoint',
      albKeyEndpoint,
      raw.albKeyEndpoint === undefined && region !== '' ? `has no default in ${region}: set it` : endpointRule,
    );
  }
  const jwksUrl = raw.jwksUrl ?? (issuer === '' ? undefined : `${issuer}/.well-known/jwks.json`);
  if (issuer !== '' && !isEndpoint(jwksUrl, loopback)) fail('jwksUrl (env COGNITO_JWKS_URL)', jwksUrl, endpointRule);

  /** @type {Map<string, HostConfig>} */
  const hosts = new Map();
  if (!isRecord(raw.hosts) || Object.keys(raw.hosts).length === 0) {
    fail('hosts', raw.hosts, 'must be a non-empty object of host name -> { app, allowedGroups, publicPaths, forwardAccessToken }');
  } else {
    for (const [host, entry] of Object.entries(raw.hosts)) {
      const f = `hosts[${JSON.stringify(host)}]`;
      if (!HOST_RE.test(host)) fail(f, host, 'key must be a lower-case host name without port');
      if (!isRecord(entry)) {
        fail(f, entry, 'must be an object { app, allowedGroups, publicPaths, forwardAccessToken }');
        continue;
      }
      for (const key of Object.keys(entry))
        if (!HOST_KEYS.includes(key)) fail(`${f}.${key}`, entry[key], `is not a host setting (known: ${HOST_KEYS.join(', ')})`);
      if (typeof entry.app !== 'string' || !APP_RE.test(entry.app)) fail(`${f}.app`, entry.app, 'must be 1-64 printable ASCII characters');
      const forward = entry.forwardAccessToken ?? false;
      if (typeof forward !== 'boolean') fail(`${f}.forwardAccessToken`, forward, 'must be true or false');
      hosts.set(host, {
        app: String(entry.app),
        allowedGroups: strings(
          `${f}.allowedGroups`,
          entry.allowedGroups,
          (g) => g.length >= 1 && g.length <= 128,
          'must be a group name of 1-128 characters',
          false,
        ),
        publicPaths: strings(
          `${f}.publicPaths`,
          entry.publicPaths,
          (p) => PATTERN_RE.test(p),
          'must be an ALB path pattern: "/" then at most 127 of A-Za-z0-9_.$/~"\'@:+&-*?',
          false,
        ),
        forwardAccessToken: forward === true,
        ...(entry.bearerScopes === undefined
          ? {}
          : {
              bearerScopes: strings(
                `${f}.bearerScopes`,
                entry.bearerScopes,
                (s) => /^[!-~]{1,256}$/.test(s),
                'must be a scope: 1-256 printable ASCII characters without spaces',
                true,
              ),
            }),
      });
    }
  }
  const publicHosts = new Set(
    strings('publicHosts', raw.publicHosts, (h) => HOST_RE.test(h), 'must be a lower-case host name without port', false),
  );
  for (const h of publicHosts) if (hosts.has(h)) fail('publicHosts', h, 'is also a protected host in hosts');

  const signoutPath = raw.signoutPath ?? '/_auth/signout';
  if (typeof signoutPath !== 'string' || !PATH_RE.test(signoutPath))
    fail('signoutPath', signoutPath, 'must be an absolute path without query, e.g. /_auth/signout');
  const health = raw.healthCheck ?? { hosts: [] };
  /** @type {{ hosts: Set<string>, path: string }} */
  const healthCheck = { hosts: new Set(), path: '/healthz' };
  if (!isRecord(health)) fail('healthCheck', health, 'must be an object { hosts, path }');
  else {
    for (const key of Object.keys(health))
      if (key !== 'hosts' && key !== 'path') fail(`healthCheck.${key}`, health[key], 'is not a setting (known: hosts, path)');
    healthCheck.hosts = new Set(
      strings('healthCheck.hosts', health.hosts, (h) => IPV4_RE.test(h), 'must be an IPv4 address (the NLB sends its own as Host)', false),
    );
    const path = health.path ?? '/healthz';
    if (typeof path !== 'string' || !PATH_RE.test(path)) fail('healthCheck.path', path, 'must be an absolute path without query');
    else healthCheck.path = path;
    for (const h of healthCheck.hosts) if (hosts.has(h) || publicHosts.has(h)) fail('healthCheck.hosts', h, 'is also an app host');
  }
  const router = raw.router ?? 'ingress-nginx';
  if (typeof router !== 'string' || !ROUTERS.includes(router)) fail('router', router, `must be one of ${ROUTERS.join(', ')}`);

  const clockSkewSeconds = integer('clockSkewSeconds', raw.clockSkewSeconds, 0, 300, 60);
  const keyFetchTimeoutMs = integer('keyFetchTimeoutMs', raw.keyFetchTimeoutMs, 100, 30000, 3000);
  const keyCacheSize = integer('keyCacheSize', raw.keyCacheSize, 1, 1000, 32);
  const jwksRefetchSeconds = integer('jwksRefetchSeconds', raw.jwksRefetchSeconds, 1, 3600, 60);
  // 20,000 sessions of about 1 KB each (claims, key, slot): 20 MB at most, within the 32 MB bound.
  const tokenCacheEntries = integer('tokenCacheEntries', raw.tokenCacheEntries, 0, 1000000, 20000);
  const tokenCacheMegabytes = integer('tokenCacheMegabytes', raw.tokenCacheMegabytes, 1, 1024, 32);
  const logLevel = raw.logLevel ?? 'info';
  if (logLevel !== 'info' && logLevel !== 'debug') fail('logLevel', logLevel, 'must be info or debug');

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    region,
    albArns,
    issuer,
    clientIds,
    albKeyEndpoint: String(albKeyEndpoint).replace(/\/+$/, ''),
    jwksUrl: String(jwksUrl),
    hosts,
    publicHosts,
    signoutPath: String(signoutPath),
    healthCheck,
    clockSkewSeconds,
    router: /** @type {Router} */ (router),
    keyFetchTimeoutMs,
    keyCacheSize,
    jwksRefetchSeconds,
    tokenCacheEntries,
    tokenCacheMegabytes,
    logLevel: /** @type {'info' | 'debug'} */ (logLevel),
  };
}

/**
 * Reads config.json and merges the Terraform-computed values from the environment. Each of
 * issuer, jwksUrl, clientIds and albArns comes from one place: a value in both is an error, not a precedence.
 * @param {{ configPath?: string, env?: Record<string, string | undefined> }} [source]
 * @returns {Record<string, unknown>}
 */
function loadConfig(source = {}) {
  const env = source.env ?? process.env;
  const configPath = source.configPath ?? env.VERIFIER_CONFIG ?? DEFAULT_CONFIG_PATH;
  if (!fs.existsSync(configPath)) throw new ConfigError([`config file ${configPath}: does not exist (set VERIFIER_CONFIG to its path)`]);
  let file;
  try {
    file = JSON.parse(fs.readFileSync(configPath, 'utf8'));
  } catch (err) {
    throw new ConfigError([`config file ${configPath}: ${errorText(err)}`]);
  }
  if (!isRecord(file)) throw new ConfigError([`config file ${configPath} = ${show(file)}: must hold a JSON object`]);
  /** @type {Record<string, unknown>} */
  const merged = { ...file };
  /** @type {string[]} */
  const problems = [];
  for (const [field, name] of ENV_FIELDS) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    if (field in file) problems.push(`${field}: set both in ${configPath} and in env ${name}; set it in one place`);
    // Empty items are kept so validation reports them.
    merged[field] = LIST_FIELDS.includes(field) ? value.split(',').map((item) => item.trim()) : value;
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return merged;
}

module.exports = { ConfigError, DEFAULT_CONFIG_PATH, ENV_FIELDS, ISSUER_RE, loadConfig, validateConfig };
