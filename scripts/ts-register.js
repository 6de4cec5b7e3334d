'use strict';
// Runs TypeScript files in-process by transpiling them with @swc/core on require, without
// type-checking (tsc --noEmit does that), tsconfig parsing or source-map-support: the
// general-purpose runners spend ~200 ms loading TypeScript itself and make every stack trace
// cdktf records parse source maps. Usage: node -r ./scripts/ts-register.js main.ts
//
// Two caches keep repeated synths cheap (docs/benchmark.md):
// - V8's code cache for every CommonJS module (v8-compile-cache), which skips most of the
//   parse/compile time of the provider bindings;
// - the transpiled JavaScript of each .ts file, keyed by a hash of its source and the swc
//   version, so @swc/core (a native addon) is only loaded when a file changed.
// CENTRAL_AUTH_NO_CACHE=1 turns both off.
const Module = require('module');
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');

const noCache = process.env.CENTRAL_AUTH_NO_CACHE === '1';
if (noCache) process.env.DISABLE_V8_COMPILE_CACHE = '1';
else process.env.V8_COMPILE_CACHE_CACHE_DIR ??= path.join(__dirname, '..', 'node_modules', '.cache', 'v8-compile-cache');
require('v8-compile-cache');

const SWC_VERSION = require('@swc/core/package.json').version;
const TS_CACHE_DIR = path.join(__dirname, '..', 'node_modules', '.cache', 'central-auth-ts', SWC_VERSION);
const options = {
  jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
  module: { type: 'commonjs' },
  sourceMaps: false,
  swcrc: false,
  configFile: false,
};
const optionsKey = JSON.stringify(options);

/** Transpiles with swc, loaded on first use only. */
function transpile(source, filename) {
  return require('@swc/core').transformSync(source, { ...options, filename }).code;
}

/** The cached transpilation of `source`, or a fresh one written atomically (a concurrent synth may race us). */
function cachedTranspile(source, filename) {
  const key = crypto.createHash('sha256').update(optionsKey).update('\0').update(filename).update('\0').update(source).digest('hex');
  const file = path.join(TS_CACHE_DIR, `${key}.js`);
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    const code = transpile(source, filename);
    try {
      fs.mkdirSync(TS_CACHE_DIR, { recursive: true });
      const staging = `${file}.${process.pid}`;
      fs.writeFileSync(staging, code);
      fs.renameSync(staging, file);
    } catch {
      // A read-only or full disk only costs the next run a transpile.
    }
    return code;
  }
}

Module._extensions['.ts'] = function compileTs(module, filename) {
  const source = fs.readFileSync(filename, 'utf8');
  module._compile(noCache ? transpile(source, filename) : cachedTranspile(source, filename), filename);
};
