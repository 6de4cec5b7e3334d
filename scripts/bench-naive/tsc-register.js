/**
 * Fallback loader for the naive baseline of `npm run bench` when ts-node is not installed:
 * `node -r ./scripts/bench-naive/tsc-register.js main.ts` type-checks the entry's whole program
 * with TypeScript's compiler API (the tsconfig.json of the working folder), exits 2 on any type
 * error, then runs the emitted JavaScript from memory. Reported as "tsc + root imports".
 * Plain CommonJS so that it needs no loader itself.
 */
'use strict';

const path = require('path');
const ts = require('typescript');

const entry = path.resolve(process.argv[1]);
const configPath = ts.findConfigFile(path.dirname(entry), ts.sys.fileExists);
if (!configPath) throw new Error(`tsc-register: no tsconfig.json above ${entry}`);
const parsed = ts.getParsedCommandLineOfConfigFile(
  configPath,
  {},
  {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    },
  },
);
const options = { ...parsed.options, noEmit: false, incremental: false, outDir: undefined, sourceMap: false, declaration: false };
const program = ts.createProgram([entry], options);
const diagnostics = ts.getPreEmitDiagnostics(program);
if (diagnostics.length > 0) {
  process.stderr.write(
    ts.formatDiagnostics(diagnostics, {
      getCanonicalFileName: (f) => f,
      getCurrentDirectory: () => process.cwd(),
      getNewLine: () => '\n',
    }),
  );
  process.exit(2);
}
/** emitted JavaScript by source path */
const emitted = new Map();
program.emit(undefined, (fileName, text) => {
  if (fileName.endsWith('.js')) emitted.set(path.resolve(fileName.replace(/\.js$/, '.ts')), text);
});
require.extensions['.ts'] = (module, filename) => {
  const js = emitted.get(path.resolve(filename));
  if (js === undefined) throw new Error(`tsc-register: ${filename} is not part of the program of ${entry}`);
  module._compile(js, filename);
};
