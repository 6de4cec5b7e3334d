'use strict';
// Cognito pre token generation trigger (event version 2): gives federated users the Cognito groups
// their IdP groups map to, in `cognito:groups` of both the ID and the access token, so Grafana's
// roles and the verifier's allowedGroups work for them. Runs as-is on nodejs22.x: CommonJS, no
// dependencies, no build step. Entry point `index.handler`.

const { GROUPS_ATTRIBUTE, isObject, loadConfig } = require('./config');
const { parseGroups, resolveGroups } = require('./groups');

/** @typedef {import('./config').PretokenConfig} PretokenConfig */

/** Thrown to refuse the sign-in: Cognito fails the authentication with this message. */
class SignInRefused extends Error {}

/**
 * @param {{ config?: PretokenConfig, log?: (line: string) => void }} [options]
 * @returns {(event: unknown) => Promise<unknown>}
 */
function createHandler(options = {}) {
  /** @type {PretokenConfig | undefined} */
  let config = options.config;
  const log = options.log ?? ((line) => console.log(line));
  return async (event) => {
    config ??= loadConfig();
    if (!isObject(event) || !isObject(event.request) || !isObject(event.response))
      throw new Error('pre token generation: the event has no request or response object');
    const attributes = isObject(event.request.userAttributes) ? event.request.userAttributes : {};
    const groupConfig = isObject(event.request.groupConfiguration) ? event.request.groupConfiguration : {};
    const memberships = Array.isArray(groupConfig.groupsToOverride)
      ? groupConfig.groupsToOverride.filter((g) => typeof g === 'string')
      : [];
    const idpGroups = parseGroups(attributes[GROUPS_ATTRIBUTE]);
    const groups = resolveGroups({ memberships, idpGroups, groupMapping: config.groupMapping, knownGroups: config.knownGroups });
    const entry = {
      msg: groups.length === 0 && config.requireGroup ? 'refused' : 'groups',
      trigger: String(event.triggerSource ?? ''),
      user: String(event.userName ?? ''),
      idpGroups: idpGroups.length,
      groups,
    };
    log(JSON.stringify(entry));
    if (groups.length === 0 && config.requireGroup)
      throw new SignInRefused('Your account is in none of the groups that may use these apps. Ask your administrator for access.');
    // Version 2 response: the same groups in the ID and the access token (the ALB forwards the latter).
    event.response.claimsAndScopeOverrideDetails = {
      ...(isObject(event.response.claimsAndScopeOverrideDetails) ? event.response.claimsAndScopeOverrideDetails : {}),
      groupOverrideDetails: { groupsToOverride: groups },
    };
    return event;
  };
}

const handler = createHandler();

module.exports = { SignInRefused, createHandler, handler };
