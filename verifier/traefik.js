'use strict';
// What a Traefik Middleware of type forwardAuth needs to ask the verifier about a request.
// Checked against Traefik v3.7 (docs/content/reference/routing-configuration/http/middlewares/forwardauth.md,
// pkg/middlewares/auth/forward.go): Traefik sends X-Forwarded-Method, -Proto, -Host, -Uri and -For,
// returns a non-2xx answer (body included) to the client, and for each authResponseHeaders name
// removes the client's header before copying the auth server's value.

const { RESPONSE_HEADERS } = require('./headers');
const { ROUTER_VERIFY_PATHS } = require('./endpoints');

/**
 * @param {{ namespace: string, service: string, port: number }} where  the verifier's Service
 * @returns {{ address: string, trustForwardHeader: boolean, authResponseHeaders: string[] }}
 */
function traefikForwardAuth(where) {
  return {
    address: `http://${where.service}.${where.namespace}.svc.cluster.local:${where.port}${ROUTER_VERIFY_PATHS.traefik}`,
    // false: Traefik deletes every X-Forwarded-* header of the request and writes -Host, -Uri
    // (RequestURI, still percent-encoded) and -Method from the request it received (forward.go,
    // writeHeader, v3.7.9). The ALB passes a client's X-Forwarded-Host through, so trusting it would
    // let a client pick what the verifier decides on; unset, Traefik warns and keeps some headers.
    trustForwardHeader: false,
    authResponseHeaders: [...RESPONSE_HEADERS],
  };
}

module.exports = { traefikForwardAuth };
