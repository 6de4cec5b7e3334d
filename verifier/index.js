'use strict';
// The identity verifier behind ingress-nginx's external auth (or Traefik's ForwardAuth): checks the
// ALB's signed claims and the Cognito access token, then allows, denies or names the missing group.
// Zero dependencies, Node.js 22 built-ins only. Entry point: server.js. Public API below.

const { ConfigError, loadConfig, validateConfig } = require('./config');
const { RESPONSE_HEADERS } = require('./headers');
const { ingressNginxSettings } = require('./ingress-nginx');
const { traefikForwardAuth } = require('./traefik');
const { HEALTH_PATH, VERIFY_PATH, createServer, createVerifier, main } = require('./server');

module.exports = {
  ConfigError,
  HEALTH_PATH,
  RESPONSE_HEADERS,
  VERIFY_PATH,
  createServer,
  createVerifier,
  ingressNginxSettings,
  loadConfig,
  main,
  traefikForwardAuth,
  validateConfig,
};
