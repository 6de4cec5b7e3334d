'use strict';
// What the cluster stack sets on ingress-nginx so that every Ingress of the class asks the verifier,
// with snippet annotations disabled (allowSnippetAnnotations: false): ConfigMap keys only.
// Checked against ingress-nginx controller-v1.14.1 and controller-v1.14.5 (chart 4.14.5, the version the cluster stack pins).

const { RESPONSE_HEADERS } = require('./headers');
const { ROUTER_VERIFY_PATHS } = require('./endpoints');
const { CLIENT_ORIGINAL_URL_HEADER, ROUTED_HOST_HEADER } = require('./target');

/**
 * Where each setting is documented or implemented (ingress-nginx, tag controller-v1.14.1).
 */
const SOURCES = {
  globalAuth:
    'docs/user-guide/nginx-configuration/configmap.md#global-auth-url (global-auth-url, -method, -response-headers; "each service can be excluded ... via annotation enable-global-auth")',
  authLocation:
    'rootfs/etc/nginx/template/nginx.tmpl: the auth location sets X-Original-URL $scheme://$http_host$request_uri and X-Original-Method always, X-Original-URI $request_uri only with an auth method',
  responseHeaders:
    "internal/ingress/controller/template/template.go buildAuthResponseHeaders: auth_request_set $authHeaderN $upstream_http_<name>; proxy_set_header '<Name>' $authHeaderN (an empty value is not sent, and the client's copy never is)",
  snippets:
    "internal/ingress/controller/controller.go: allow-snippet-annotations only refuses Ingress annotations ending in -snippet; ConfigMap keys are the administrator's and stay available",
  routedHost:
    'internal/ingress/controller/template/configmap.go reads global-auth-snippet as is; nginx.tmpl writes it inside the auth location, after the proxy_set_header lines. nginx: $host is "host name from the request line, or host name from the Host request header field" (the host the server block was chosen by), lower-cased',
  customErrors:
    'docs/user-guide/nginx-configuration/configmap.md#custom-http-errors; nginx.tmpl: error_page <code> = @custom_upstream-default-backend_<code>, whose location passes X-Code, X-Original-URI and Host; config.go disable-proxy-intercept-errors keeps upstream (app) errors out of it',
  defaultBackend:
    "internal/ingress/controller/controller.go getDefaultUpstream: --default-backend-service=<namespace>/<name>, the Service's first port",
};

/** A header name as written in nginx's configuration (x-routed-host → X-Routed-Host). */
const written = (/** @type {string} */ name) => name.replace(/(^|-)([a-z])/g, (_, dash, c) => `${dash}${c.toUpperCase()}`);

/**
 * @param {{ namespace: string, service: string, port: number, forbiddenPage?: boolean }} where
 *   the verifier's Service; forbiddenPage (default true) routes ingress-nginx's own 403s to the
 *   verifier so a user outside the groups sees the page that names them (auth_request keeps the
 *   auth response's body from the client)
 * @returns {{ config: Record<string, string>, extraArgs: Record<string, string>, strippedRequestHeaders: readonly string[], sources: typeof SOURCES }}
 */
function ingressNginxSettings(where) {
  const base = `http://${where.service}.${where.namespace}.svc.cluster.local:${where.port}`;
  const page = where.forbiddenPage !== false;
  return {
    /** controller.config in the chart's values: the controller's ConfigMap. */
    config: {
      // The router's own path: /verify follows the verifier's `router` setting, this one never does.
      'global-auth-url': `${base}${ROUTER_VERIFY_PATHS['ingress-nginx']}`,
      // With a method set, the auth location also sends X-Original-URI (nginx.tmpl).
      'global-auth-method': 'GET',
      // Each listed header is replaced by the verifier's value, or removed when it sends none.
      'global-auth-response-headers': RESPONSE_HEADERS.join(','),
      // The host nginx routes on, which X-Original-URL ($http_host) is not for an absolute-form
      // request line: the verifier judges this one and refuses a request naming two; and the
      // client's own X-Original-URL, which this location overwrites, so the verifier can refuse it
      // (target.js). nginx sends no header whose value is empty.
      'global-auth-snippet': `proxy_set_header ${written(ROUTED_HOST_HEADER)} $host; proxy_set_header ${written(CLIENT_ORIGINAL_URL_HEADER)} $http_x_original_url;`,
      ...(page ? { 'custom-http-errors': '403', 'disable-proxy-intercept-errors': 'true' } : {}),
    },
    /** controller.extraArgs: the error location's upstream is the default backend. */
    extraArgs: page ? { 'default-backend-service': `${where.namespace}/${where.service}` } : {},
    /** Request headers a client may send that the router replaces or removes before the app sees them. */
    strippedRequestHeaders: RESPONSE_HEADERS,
    sources: SOURCES,
  };
}

module.exports = { SOURCES, ingressNginxSettings };
