'use strict';
// config.json, written beside the handler at synth time: which groups exist and how IdP groups map.

const fs = require('node:fs');
const path = require('node:path');

const CONFIG_PATH = path.join(__dirname, 'config.json');
/** The user pool attribute every identity provider maps its groups claim or SAML attribute to. */
const GROUPS_ATTRIBUTE = 'custom:idp_groups';

/**
 * @typedef {object} PretokenConfig
 * @property {ReadonlySet<string>} knownGroups       the pool's groups (cognito.groups)
 * @property {Readonly<Record<string, string>> | undefined} groupMapping  IdP group → Cognito group
 * @property {boolean} requireGroup                  refuse a sign-in that ends with no group
 */

class ConfigError extends Error {
  /** @param {string[]} problems */
  constructor(problems) {
    super(`Invalid pre-token configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** @param {unknown} v @returns {v is Record<string, unknown>} */
const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * @param {unknown} raw
 * @returns {PretokenConfig}
 */
function validateConfig(raw) {
  /** @type {string[]} */
  const problems = [];
  if (!isObject(raw)) throw new ConfigError([`config = ${JSON.stringify(raw)}: must be an object`]);
  const known = raw.knownGroups;
  if (!Array.isArray(known) || !known.every((g) => typeof g === 'string' && g !== ''))
    problems.push('knownGroups: must be a list of group names');
  const mapping = raw.groupMapping;
  if (mapping !== undefined) {
    if (!isObject(mapping)) problems.push('groupMapping: must be an object of IdP group -> Cognito group');
    else
      for (const [from, to] of Object.entries(mapping))
        if (typeof to !== 'string' || !(Array.isArray(known) && known.includes(to)))
          problems.push(`groupMapping[${JSON.stringify(from)}] = ${JSON.stringify(to)}: must be one of knownGroups`);
  }
  if (typeof raw.requireGroup !== 'boolean') problems.push('requireGroup: must be true or false');
  if (problems.length) throw new ConfigError(problems);
  return {
    knownGroups: new Set(/** @type {string[]} */ (known)),
    groupMapping: /** @type {Record<string, string> | undefined} */ (mapping),
    requireGroup: /** @type {boolean} */ (raw.requireGroup),
  };
}

/** @param {string} [file] */
function loadConfig(file = CONFIG_PATH) {
  return validateConfig(JSON.parse(fs.readFileSync(file, 'utf8')));
}

module.exports = { CONFIG_PATH, ConfigError, GROUPS_ATTRIBUTE, isObject, loadConfig, validateConfig };
