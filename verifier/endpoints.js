'use strict';
// The verifier's paths: shared by the server and the router settings, which must not load the server.

/** The router's auth subrequest. */
const VERIFY_PATH = '/verify';
/** Liveness and readiness probes. */
const HEALTH_PATH = '/healthz';

module.exports = { HEALTH_PATH, VERIFY_PATH };
