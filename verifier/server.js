'use strict';
// The HTTP service: /verify for the router's auth subrequest, /healthz for probes, and the 403 page
// for ingress-nginx's custom error location. Run with `node verifier/server.js`.

const http = require('node:http');
const { createAlbKeyStore } = require('./alb-keys');
const { createVerifiedCache } = require('./cache');
const { ConfigError, loadConfig, validateConfig } = require('./config');
const { decide } = require('./decide');
const { HEALTH_PATH, READY_PATH, ROUTER_VERIFY_PATHS, VERIFY_PATH } = require('./endpoints');

/** `/verify` reads the configured router's headers; `/verify/<router>` that router's. */
const ROUTER_BY_PATH = new Map(
  /** @type {[string, import('./target').Router][]} */ (Object.entries(ROUTER_VERIFY_PATHS).map(([router, p]) => [p, router])),
);
const { createFetcher } = require('./fetch');
const { createJwksStore } = require('./jwks');
const { createLog, errorText, flushLogs } = require('./log');
const { statusPage } = require('./page');
const { single } = require('./target');

/** @typedef {import('./decide').Decision} Decision */
/** @typedef {import('./target').Headers} Headers */
/** @typedef {import('./tokens').TokenContext} TokenContext */

/**
 * @typedef {object} VerifierOptions
 * @property {(line: string) => void} [write]  receives each JSON log line (default: stdout)
 * @property {() => number} [now]              clock, milliseconds since the epoch
 * @property {boolean} [insecureLoopbackEndpoints]  Test only: key endpoints on http://127.0.0.1.
 */

// Every header of the original request reaches the verifier: the ALB's tokens (several KB) and
// its session cookie shards (up to 4 x 4 KB) exceed node's 16 KB default.
const MAX_HEADER_BYTES = 65536;
const REQUEST_ID_RE = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * @param {http.ServerResponse} res
 * @param {number} status
 * @param {Array<[string, string]>} headers
 * @param {string} body
 * @param {boolean} head
 */
function send(res, status, headers, body, head) {
  res.statusCode = status;
  res.setHeader('Cache-Control', 'no-store');
  if (body !== '') res.setHeader('Content-Type', body.startsWith('<') ? 'text/html; charset=utf-8' : 'text/plain; charset=utf-8');
  for (const [name, value] of headers) res.setHeader(name, value);
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(head ? undefined : body);
}

/**
 * The page ingress-nginx shows for a denied request when `custom-http-errors` sends 403s here:
 * its error location passes X-Code, X-Original-URI and the original Host and headers. The
 * decision is made again from the same tokens; only a signed-in user outside the groups gets
 * the page that names them.
 * @param {TokenContext} ctx
 * @param {Headers} headers
 * @returns {Promise<{ status: number, html: string, decision?: Decision }>}
 */
async function errorPage(ctx, headers) {
  const code = Number(single(headers, 'x-code'));
  const status = Number.isInteger(code) && code >= 400 && code <= 599 ? code : 404;
  const host = single(headers, 'host');
  const uri = single(headers, 'x-original-uri');
  // This location passes no X-Routed-Host of nginx's own, so one there was the client's: generic page.
  if (status === 403 && host !== undefined && uri !== undefined && headers['x-routed-host'] === undefined) {
    const decision = await decide(ctx, { ...headers, 'x-original-url': [`http://${host}${uri}`] }, 'ingress-nginx');
    if (decision.html !== undefined) return { status: 403, html: decision.html, decision };
  }
  return { status, html: statusPage(status, http.STATUS_CODES[status] ?? 'Error') };
}

/**
 * @param {unknown} rawConfig  see config.js; validated here (throws ConfigError)
 * @param {VerifierOptions} [options]
 */
function createVerifier(rawConfig, options = {}) {
  const config = validateConfig(rawConfig, { insecureLoopbackEndpoints: options.insecureLoopbackEndpoints });
  const now = options.now ?? Date.now;
  const log = createLog(options.write, now);
  const fetchText = createFetcher({
    timeoutMs: config.keyFetchTimeoutMs,
    maxBytes: 65536,
    allowLoopbackHttp: options.insecureLoopbackEndpoints,
  });
  /** @type {TokenContext} */
  const ctx = {
    config,
    now,
    albKeys: createAlbKeyStore({ endpoint: config.albKeyEndpoint, fetchText, cacheSize: config.keyCacheSize, now }),
    jwks: createJwksStore({ url: config.jwksUrl, fetchText, refetchSeconds: config.jwksRefetchSeconds, now }),
    cache: createVerifiedCache({ maxEntries: config.tokenCacheEntries, maxBytes: config.tokenCacheMegabytes * 1024 * 1024, now }),
  };

  /**
   * @param {http.IncomingMessage} req
   * @param {http.ServerResponse} res
   */
  async function handle(req, res) {
    const started = now();
    const path = (req.url ?? '/').split('?')[0];
    const headers = req.headersDistinct;
    const head = req.method === 'HEAD';
    const id = single(headers, 'x-request-id');
    const requestId = id !== undefined && REQUEST_ID_RE.test(id) ? id : undefined;
    try {
      if (path === HEALTH_PATH) {
        send(res, 200, [], 'ok\n', head);
        return;
      }
      if (path === READY_PATH) {
        // Not ready until the pool's keys are loaded: a pod without them would refuse every user.
        const ready = ctx.jwks.loaded();
        if (!ready) ctx.jwks.warm();
        send(res, ready ? 200 : 503, [], ready ? 'ready\n' : 'keys not loaded\n', head);
        return;
      }
      if (path === VERIFY_PATH || ROUTER_BY_PATH.has(path)) {
        const d = await decide(ctx, headers, ROUTER_BY_PATH.get(path) ?? ctx.config.router);
        const body = d.html ?? (d.status === 401 ? statusPage(401, 'Unauthorized') : '');
        send(res, d.status, d.headers, body, head);
        log({
          level: 'info',
          msg: d.status === 200 ? 'allow' : 'deny',
          status: d.status,
          reason: d.reason,
          ...d.facts,
          requestId,
          ms: now() - started,
        });
        return;
      }
      if (path === '/' && headers['x-code'] !== undefined) {
        const page = await errorPage(ctx, headers);
        send(res, page.status, [], page.html, head);
        const facts = page.decision?.facts ?? {};
        log({ level: 'info', msg: 'error page', status: page.status, reason: page.decision?.reason, ...facts, requestId });
        return;
      }
      send(res, 404, [], statusPage(404, 'Not Found'), head);
      log({ level: 'info', msg: 'not found', status: 404, requestId });
    } catch (err) {
      // Unexpected: deny. The router turns a 5xx from the auth service into an error for the client.
      if (!res.headersSent) send(res, 500, [], statusPage(500, 'Internal Server Error'), head);
      log({ level: 'error', msg: 'verifier failed', status: 500, error: errorText(err), requestId });
    }
  }

  return { config, ctx, log, handle };
}

/**
 * @param {unknown} rawConfig
 * @param {VerifierOptions} [options]
 */
function createServer(rawConfig, options = {}) {
  const verifier = createVerifier(rawConfig, options);
  const server = http.createServer({ maxHeaderSize: MAX_HEADER_BYTES }, (req, res) => {
    void verifier.handle(req, res);
  });
  // Node drops every header past maxHeadersCount (2000) without a word, so a second
  // x-amzn-oidc-data behind 2000 filler headers would pass "present exactly once" while the app
  // reads it. No count limit: maxHeaderSize (64 KB) bounds them, and every header is judged.
  server.maxHeadersCount = 0;
  server.headersTimeout = 10000;
  server.requestTimeout = 15000;
  return Object.assign(server, { verifier });
}

/**
 * HOST and PORT from the environment (default 0.0.0.0:8080; PORT 0 takes any free port).
 * @param {Record<string, string | undefined>} env
 * @returns {{ host: string, port: number }}
 */
function listenAddress(env) {
  const text = env.PORT ?? '8080';
  const port = /^\d{1,5}$/.test(text) ? Number(text) : Number.NaN;
  if (!(port <= 65535)) throw new ConfigError([`PORT = ${JSON.stringify(env.PORT)}: must be an integer from 0 (any free port) to 65535`]);
  return { host: env.HOST ?? '0.0.0.0', port };
}

/**
 * Entry point: config from VERIFIER_CONFIG (default ./config.json beside this file) and the
 * environment, listening on HOST:PORT. Exits 1 with every config problem; closes on SIGTERM.
 * @param {Record<string, string | undefined>} [env]
 */
function main(env = process.env) {
  // Start, refusal and stop are written at once (a refusal is followed by the exit); decisions are batched.
  const log = createLog((line) => process.stdout.write(`${line}\n`));
  let server;
  let address;
  try {
    address = listenAddress(env);
    server = createServer(loadConfig({ env }));
  } catch (err) {
    log({ level: 'error', msg: 'configuration refused', error: errorText(err) });
    process.exitCode = 1;
    return undefined;
  }
  const listening = server;
  // The first readiness probe finds the keys loaded, or on their way.
  listening.verifier.ctx.jwks.warm();
  listening.listen(address.port, address.host, () => {
    const bound = /** @type {import('node:net').AddressInfo} */ (listening.address());
    log({ level: 'info', msg: 'listening', host: bound.address, port: bound.port, router: listening.verifier.config.router });
  });
  process.once('SIGTERM', () => {
    listening.close();
    flushLogs();
  });
  return listening;
}

if (require.main === module) main();

module.exports = { HEALTH_PATH, MAX_HEADER_BYTES, VERIFY_PATH, createServer, createVerifier, listenAddress, main };
