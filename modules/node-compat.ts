/**
 * cdktf 0.21 (archived upstream, so never to be fixed) calls `util.isArray` while it synthesizes
 * outputs; Node.js 22 deprecates it (DEP0044) with a warning on stderr, and the cdktf CLI shows
 * every stderr line of a successful synth as "[ERROR]". `Array.isArray` is the same function
 * without the warning. Imported first by app.ts, so it holds for every way the stacks are built.
 */
const nodeUtil: { isArray: (value: unknown) => value is unknown[] } = require('node:util');
nodeUtil.isArray = Array.isArray;

export {};
