'use strict';
// Programs some suites run for real (nginx, Chromium, Terraform), checked once: a suite skips what
// is missing on a developer's machine, and the run ends with one line naming what was skipped and
// how to install it (scripts/test/skipped-reporter.js). .ci/run installs them all.
const fs = require('node:fs');
const { spawnSync } = require('node:child_process');

/** @type {Record<string, { present: () => boolean, install: string, suites: string }>} */
const PREREQUISITES = {
  nginx: {
    present: () => fs.existsSync('/usr/sbin/nginx'),
    install: 'apt-get install nginx',
    suites: 'the verifier behind real nginx',
  },
  chromium: {
    present: () => fs.existsSync('/usr/bin/chromium'),
    install: 'apt-get install chromium',
    suites: 'sign-out in a real browser',
  },
  terraform: {
    present: () => spawnSync('terraform', ['version'], { encoding: 'utf8' }).status === 0,
    install: 'Terraform 1.10 or later on PATH',
    suites: 'expressions and placeholders evaluated by Terraform',
  },
};

/** @type {Map<string, boolean>} */
const seen = new Map();

/**
 * Whether a prerequisite is on this machine (checked once per process).
 * @param {string} name
 * @returns {boolean}
 */
function available(name) {
  if (!(name in PREREQUISITES)) throw new Error(`unknown prerequisite ${name}`);
  if (!seen.has(name)) seen.set(name, PREREQUISITES[name].present());
  return /** @type {boolean} */ (seen.get(name));
}

/** The prerequisites missing on this machine, with what they cost and how to install them. */
function missing() {
  return Object.keys(PREREQUISITES).filter((name) => !available(name));
}

module.exports = { PREREQUISITES, available, missing };
