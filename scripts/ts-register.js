'use strict';
// Runs TypeScript files in-process by transpiling them with @swc/core on require, without
// type-checking (tsc --noEmit does that), tsconfig parsing or source-map-support: the
// general-purpose runners spend ~200 ms loading TypeScript itself and make every stack trace
// cdktf records parse source maps. Usage: node -r ./scripts/ts-register.js main.ts
const { transformSync } = require('@swc/core');
const Module = require('module');
const fs = require('fs');

const options = {
  jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
  module: { type: 'commonjs' },
  sourceMaps: false,
  swcrc: false,
  configFile: false,
};

Module._extensions['.ts'] = function compileTs(module, filename) {
  const { code } = transformSync(fs.readFileSync(filename, 'utf8'), { ...options, filename });
  module._compile(code, filename);
};
