'use strict';
// The verifier's paths: shared by the server and the router settings, which must not load the server.

/** The router's auth subrequest. */
const VERIFY_PATH = '/verify';
/** Liveness probe: the process answers. */
const HEALTH_PATH = '/healthz';
/** Readiness probe: the pool's signing keys are loaded, so the pod can verify. */
const READY_PATH = '/readyz';
/**
 * One auth path per router, for two routers side by side (a router switch): each describes the
 * original request in its own headers. The router's configuration picks the path, never a client,
 * so a client-sent X-Original-URL cannot make Traefik's subrequest read as ingress-nginx's.
 */
const ROUTER_VERIFY_PATHS = /** @type {const} */ ({
  'ingress-nginx': '/verify/ingress-nginx',
  traefik: '/verify/traefik',
});

module.exports = { HEALTH_PATH, READY_PATH, ROUTER_VERIFY_PATHS, VERIFY_PATH };
