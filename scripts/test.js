'use strict';
// `npm test`: the type check (tsc --noEmit) and the jest suite, each its own step with its own
// verdict, run side by side: tsc is one process on one core while jest's workers mostly wait on
// the child processes its suites start. Arguments go to jest (e.g. `npm test -- --json`).
const { spawn } = require('child_process');
const path = require('path');

const bin = (pkg, rel) => path.join(path.dirname(require.resolve(`${pkg}/package.json`)), rel);
const TSBUILDINFO = path.join(__dirname, '..', 'node_modules', '.cache', 'central-auth', 'tsc.tsbuildinfo');

function step(name, command, args, { buffer }) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, [command, ...args], { stdio: buffer ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
    let output = '';
    if (buffer) {
      child.stdout.on('data', (d) => (output += d));
      child.stderr.on('data', (d) => (output += d));
    }
    child.on('close', (code, signal) => resolve({ name, code: code ?? 1, signal, output, seconds: (Date.now() - started) / 1000 }));
  });
}

(async () => {
  // tsc's output is held back until jest is done, so the two never interleave.
  const [tsc, jest] = await Promise.all([
    // Incremental: a warm run re-checks only what changed (the build info lives with the other caches).
    step('tsc --noEmit', bin('typescript', 'bin/tsc'), ['--noEmit', '--incremental', '--tsBuildInfoFile', TSBUILDINFO], { buffer: true }),
    step('jest', bin('jest', 'bin/jest.js'), process.argv.slice(2), { buffer: false }),
  ]);
  if (tsc.output) process.stdout.write(tsc.output);
  for (const s of [tsc, jest])
    console.log(
      `${s.name}: ${s.code === 0 ? 'ok' : `failed (exit ${s.code}${s.signal ? `, ${s.signal}` : ''})`} in ${s.seconds.toFixed(1)} s`,
    );
  process.exitCode = tsc.code || jest.code;
})();
