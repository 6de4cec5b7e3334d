'use strict';
// Sign-out endpoint for ALB `authenticate-oidc`: expires every ALB session
// cookie shard, then sends the browser to Cognito's /logout.
// Runs as-is on nodejs22.x: CommonJS, no dependencies, no build step.
// Lambda entry point (`index.handler`); the other .js files beside it are its parts.

const { CONFIG_PATH, ConfigError, loadConfig, validateConfig } = require('./config');
const { escapeHtml } = require('../../verifier/page');
const { createGlobalSignOut } = require('./global');
const { expireAllShards, expiredCookie, STEP_PARAM, shardStep } = require('./cookies');
const { isMultiValue, readHeaders, readQuery, readTraceId, respond, single } = require('./event');
const { allowedRedirect, clearLocation, cognitoLocation, pickHost, REDIRECT_PARAM, stepLocation } = require('./redirect');
const { errorMessage, isObject } = require('./util');

/** @typedef {import('./config').HandlerOptions} HandlerOptions */
/** @typedef {import('./config').ResolvedConfig} ResolvedConfig */
/** @typedef {import('./config').SignoutConfig} SignoutConfig */
/** @typedef {import('./event').AlbResponse} AlbResponse */

/** @typedef {(event: unknown) => Promise<AlbResponse>} AlbHandler */

/** @typedef {Record<string, string | number | boolean | undefined>} LogEntry */
/** @typedef {(accessToken: string | undefined) => Promise<import('./global').GlobalResult>} SignOutEverywhere */

// Added by the ALB to requests of a signed-in session (ELB docs, "User claims encoding").
const ACCESS_TOKEN_HEADER = 'x-amzn-oidc-accesstoken';

const ALLOWED_METHODS = ['GET', 'HEAD', 'POST'];

/** @param {string} line */
function defaultLog(line) {
  console.log(line);
}

/**
 * @param {(line: string) => void} log
 * @param {LogEntry} entry
 */
function emit(log, entry) {
  try {
    log(JSON.stringify(entry));
  } catch {
    // Logging must never turn a sign-out into an error.
  }
}

/** The confirm page: HTML that no other site may frame, and whose form may post only here. */
const CONFIRM_HEADERS = /** @type {Array<[string, string]>} */ ([
  ['Content-Type', 'text/html; charset=utf-8'],
  ['Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"],
  ['X-Frame-Options', 'DENY'],
  ['Referrer-Policy', 'no-referrer'],
]);

/**
 * A page with one button that posts the sign-out from this host itself.
 * @param {string} host  shown only when it is a configured host
 * @param {string} action  the path to post to: the sign-out path, which can still revoke
 * @param {string | undefined} redirect  an accepted redirect, carried along
 */
function confirmPage(host, action, redirect) {
  const target = redirect === undefined ? action : `${action}?${new URLSearchParams({ [REDIRECT_PARAM]: redirect })}`;
  const where = host === '' ? 'this app' : escapeHtml(host);
  return (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">' +
    '<title>Sign out?</title><style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem}</style></head>' +
    `<body><h1>Sign out?</h1><p>Another page sent you here to sign out of ${where}. Sign out only if you meant to.</p>` +
    `<form method="post" action="${escapeHtml(target)}"><button id="confirm" type="submit">Sign out</button></form></body></html>`
  );
}

// Fetch Metadata: the browser says where a request comes from. `same-origin`: a link, form or
// redirect of the host itself (Grafana's sign-out redirect included); `none`: typed or bookmarked.
const SAME_ORIGIN_SITES = ['same-origin', 'none'];

/**
 * Revokes the user's refresh tokens, for a GET or POST the user started on this host: a link on
 * another site must not sign anyone out everywhere (it only ends that browser's session here).
 * A browser without Fetch Metadata (or a script) is treated like another site. HEAD never revokes.
 * @param {SignOutEverywhere} everywhere
 * @param {Map<string, string>} headers
 * @param {boolean} head
 * @returns {Promise<LogEntry>}
 */
async function signOutEverywhere(everywhere, headers, head) {
  if (head) return { global: 'skipped' };
  if (!SAME_ORIGIN_SITES.includes(headers.get('sec-fetch-site') ?? '')) return { global: 'not-same-origin' };
  try {
    const result = await everywhere(headers.get(ACCESS_TOKEN_HEADER));
    return 'reason' in result ? { global: result.outcome, globalReason: result.reason } : { global: result.outcome };
  } catch (err) {
    // The browser is signed out locally whatever happens to the other sessions.
    return { global: 'failed', globalReason: errorMessage(err) };
  }
}

/**
 * @param {ResolvedConfig} cfg
 * @param {SignOutEverywhere} everywhere
 * @param {unknown} event
 * @param {boolean} multi
 * @returns {Promise<{ response: AlbResponse, entry: LogEntry }>}
 */
async function route(cfg, everywhere, event, multi) {
  const mode = multi ? 'multi' : 'single';
  if (!isObject(event) || typeof event.httpMethod !== 'string' || typeof event.path !== 'string') {
    return {
      response: respond(multi, 400, [], 'Bad request.'),
      entry: { level: 'warn', msg: 'rejected', reason: 'not an ALB request event', status: 400, mode },
    };
  }
  const headers = readHeaders(event, multi);
  const traceId = readTraceId(headers);
  const method = event.httpMethod;
  const head = method === 'HEAD';

  const path = event.path;
  if (path !== cfg.signoutPath && path !== cfg.clearPath) {
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
  const host = pickHost(cfg, headers);
  const wanted = single(query, REDIRECT_PARAM);
  const redirect = allowedRedirect(cfg, wanted, host.entry.client);

  // Another site (or another host of this one) sent the browser here: sign out only once the user
  // confirms on this host's own page. Without Fetch Metadata (old browsers, scripts) there is no
  // third-party page to forge from, so the sign-out proceeds; it then never revokes (see above).
  const site = headers.get('sec-fetch-site');
  if (site === 'cross-site' || site === 'same-site') {
    return {
      response: respond(multi, 200, CONFIRM_HEADERS, head ? '' : confirmPage(host.known ? host.key : '', cfg.signoutPath, redirect)),
      entry: {
        level: 'info',
        msg: 'confirm',
        reason: `sec-fetch-site ${site}`,
        status: 200,
        mode,
        traceId,
        host: host.known ? host.key : `default:${host.key}`,
      },
    };
  }
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

  const token = headers.get(ACCESS_TOKEN_HEADER);
  if (path === cfg.signoutPath && token !== undefined && token !== '') {
    // The ALB read a session here, and may have refreshed it in this very response (a new
    // session cookie beside ours, in an order nobody documents). So this hop only revokes, and
    // the cookies are expired on the next one, which no authenticate action precedes.
    const global = await signOutEverywhere(everywhere, headers, head);
    return {
      response: respond(multi, 302, [['Location', clearLocation(cfg.clearPath, redirect)]], body),
      entry: { ...common, ...global, next: 'clear' },
    };
  }
  // Without a session nothing is left to revoke: the first hop of a clear, or an ended session.
  const global = { global: path === cfg.clearPath ? 'skipped' : 'no-session' };

  if (multi) {
    const list = expireAllShards(cfg.cookieName, cfg.shardCount);
    list.push(['Location', cognitoLocation(cfg, host.entry.client, logoutUri)]);
    return { response: respond(true, 302, list, body), entry: { ...common, ...global, shards: cfg.shardCount } };
  }

  // Single-value mode carries one Set-Cookie per response, so clear one shard per hop.
  // Each hop emits the next step itself and any malformed step restarts at 0, so the
  // chain always ends after shardCount hops.
  const step = shardStep(single(query, STEP_PARAM), cfg.shardCount);
  const next = step + 1;
  const location = next < cfg.shardCount ? stepLocation(path, next, redirect) : cognitoLocation(cfg, host.entry.client, logoutUri);
  return {
    response: respond(
      false,
      302,
      [
        ['Set-Cookie', expiredCookie(cfg.cookieName, step)],
        ['Location', location],
      ],
      body,
    ),
    entry: { ...common, ...global, step, final: next >= cfg.shardCount },
  };
}

/**
 * Builds the ALB Lambda handler. Its only I/O: the log callback, and for a request with a
 * session, the pool's JWKS and Cognito's AdminUserGlobalSignOut.
 * Throws ConfigError if the config is invalid; the returned handler never throws.
 * @param {SignoutConfig | Record<string, unknown>} config  validated at runtime
 * @param {HandlerOptions} [options]
 * @returns {AlbHandler}
 */
function createHandler(config, options = {}) {
  const cfg = validateConfig(config, options);
  const log = options.log ?? defaultLog;
  const everywhere = createGlobalSignOut(cfg.global, {
    credentials: options.credentials,
    now: options.now,
    allowLoopbackHttp: options.allowInsecureLocalhost === true,
  });

  /** @type {AlbHandler} */
  const signout = async (event) => {
    let multi = false;
    try {
      multi = isMultiValue(event);
      const { response, entry } = await route(cfg, everywhere, event, multi);
      emit(log, entry);
      return response;
    } catch (err) {
      emit(log, { level: 'error', msg: 'signout failed', error: errorMessage(err) });
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
    emit(log, { level: 'error', msg: 'sign-out configuration failed to load', error: failure });
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
