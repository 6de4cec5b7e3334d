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

/**
 * The headers middleware that runs before forwardAuth on the same entry point: Traefik keeps a
 * client's X-Forwarded-Host, -Prefix and -Uri from trusted addresses (the NLB's, which carry the ALB's
 * traffic, and the ALB passes a client's copies on) and forwards them to the app, while forwardAuth
 * deletes them from the verifier's request, so the verifier cannot refuse them: they are removed
 * here (an empty value removes a header: Traefik's headers middleware, customRequestHeaders), with
 * the other headers some apps read as the request's host or path.
 * @returns {{ customRequestHeaders: Record<string, string> }}
 */
function traefikStripHeaders() {
  const names = ['X-Forwarded-Host', 'X-Forwarded-Prefix', 'X-Forwarded-Uri', 'Forwarded', 'X-Original-URL', 'X-Rewrite-URL'];
  return { customRequestHeaders: Object.fromEntries(names.map((n) => [n, ''])) };
}

module.exports = { traefikForwardAuth, traefikStripHeaders };
