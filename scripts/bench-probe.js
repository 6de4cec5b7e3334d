/**
 * Preload for `npm run bench` (scripts/bench.ts): `node -r ./scripts/bench-probe.js …`.
 *
 * Plain CommonJS on purpose: it must load before any TypeScript hook (swc, ts-node, tsc) and
 * also inside the cdktf CLI's own node processes (through NODE_OPTIONS).
 *
 * On exit it appends one JSON line to the file named by BENCH_PROBE_FILE:
 *   { pid, ppid, argv, bootMs, appMs, maxRssKb, cpuMs, exitCode[, breakdown] }
 * bootMs: performance.now() when this preload ran (node's own start-up);
 * appMs:  performance.now() at exit (time inside the process from its start);
 * maxRssKb, cpuMs: process.resourceUsage() maxRSS and user + system CPU time.
 *
 * With BENCH_BREAKDOWN=1 it also times every require() and attributes self time to the package
 * (or, for first-party files, the folder) that was loaded; swc/ts-node compile time of a
 * first-party file counts as that file's load time. That hook costs a few percent itself.
 * It also records mainStartMs (preloads done, entry starts) and importPhaseMs (inclusive time of
 * the entry's own imports), so appMs splits into boot, preloads, imports and the rest (build,
 * synth, write).
 * Does nothing unless BENCH_PROBE_FILE is set.
 */
'use strict';

const file = process.env.BENCH_PROBE_FILE;
if (file) {
  const fs = require('fs');
  const path = require('path');
  const { performance } = require('perf_hooks');
  const bootMs = performance.now();
  const root = process.env.BENCH_PROJECT_ROOT || process.cwd();

  /** @type {Map<string, {selfMs: number, loads: number}> | undefined} */
  let byOwner;
  let importPhaseMs = 0;
  /** when the entry script started loading, i.e. after every preload (swc, ts-node) */
  let mainStartMs;
  if (process.env.BENCH_BREAKDOWN === '1') {
    const Module = require('module');
    byOwner = new Map();
    const originalLoad = Module._load;
    /** @type {number[]} child time accumulated per open frame */
    const childStack = [];
    Module._load = function timedLoad(request, parent, isMain) {
      let owner = 'node:builtin';
      try {
        owner = ownerOf(Module._resolveFilename(request, parent, isMain));
      } catch {
        /* let the real load throw */
      }
      const start = performance.now();
      if (isMain) mainStartMs = start;
      childStack.push(0);
      try {
        return originalLoad.apply(this, arguments);
      } finally {
        const total = performance.now() - start;
        const children = childStack.pop();
        if (childStack.length > 0) childStack[childStack.length - 1] += total;
        // the entry script's own run is the build/synth phase, not loading
        if (!isMain) {
          const entry = byOwner.get(owner) || { selfMs: 0, loads: 0 };
          entry.selfMs += total - children;
          entry.loads += 1;
          byOwner.set(owner, entry);
        }
        // imports made by the entry script itself: the module-loading phase of the app
        if (parent && parent.id === '.' && !isMain) importPhaseMs += total;
      }
    };
  }

  /** Package name for node_modules files, else the first-party folder. */
  function ownerOf(resolved) {
    if (!path.isAbsolute(resolved)) return 'node:builtin';
    const i = resolved.lastIndexOf(`${path.sep}node_modules${path.sep}`);
    if (i >= 0) {
      const parts = resolved.slice(i + 14).split(path.sep);
      return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
    }
    const rel = path.relative(root, resolved);
    return rel.startsWith('..') ? resolved : `(app) ${path.dirname(rel) === '.' ? rel : path.dirname(rel) + '/'}`;
  }

  process.on('exit', (code) => {
    const usage = process.resourceUsage();
    const record = {
      pid: process.pid,
      ppid: process.ppid,
      argv: process.argv.slice(1, 4),
      bootMs,
      appMs: performance.now(),
      maxRssKb: usage.maxRSS,
      cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000,
      exitCode: code,
    };
    if (byOwner) {
      const modulesByOwner = {};
      for (const key of Object.keys(require.cache)) {
        const owner = ownerOf(key);
        modulesByOwner[owner] = (modulesByOwner[owner] || 0) + 1;
      }
      record.breakdown = {
        mainStartMs,
        importPhaseMs,
        owners: [...byOwner].map(([owner, v]) => ({ owner, selfMs: v.selfMs, loads: v.loads, files: modulesByOwner[owner] || 0 })),
      };
    }
    try {
      fs.appendFileSync(file, `${JSON.stringify(record)}\n`);
    } catch {
      /* a measurement aid must never change the app's exit */
    }
  });
}
