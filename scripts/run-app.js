'use strict';
// Runs the cdktf app (main.ts) the way `cdktf synth` does (cdktf.json "app"), fast: the app and
// its dependencies are bundled once into one file with esbuild, cached under
// node_modules/.cache/central-auth keyed by a hash of every source the bundle is made from, and
// run with V8's code cache (run, below). Loading ~600 small CommonJS files costs more than
// everything the app then does; one file skips the resolution and most of the parsing.
// CENTRAL_AUTH_NO_CACHE=1 runs the sources directly through scripts/ts-register.js instead.
// Usage: node scripts/run-app.js [entry.ts]
const fs = require('fs');
const path = require('path');

const ROOT = path.join(__dirname, '..');

/** Every file whose change must change the bundle: the app's TypeScript, the lock file and this runner. */
function bundleInputs(entry, root = ROOT) {
  const files = [entry, path.join(root, 'package-lock.json'), __filename];
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.name.endsWith('.ts')) files.push(full);
    }
  };
  if (fs.existsSync(path.join(root, 'modules'))) walk(path.join(root, 'modules'));
  return files.sort();
}

/** The cached bundle of `entry`: a hash of its inputs, the Node.js and the esbuild version. */
function bundleFile(entry, root = ROOT) {
  const inputs = bundleInputs(entry, root);
  return stampedBundleFile(entry, root, inputs) ?? hashedBundleFile(root, inputs);
}

function hashedBundleFile(root, inputs) {
  // The root too: the bundle embeds absolute folders (own-dirname below), so a base worktree
  // sharing node_modules must never run the head's bundle.
  const hash = require('crypto')
    .createHash('sha256')
    .update(`${process.version}\0${require('esbuild/package.json').version}\0${path.resolve(root)}\0`);
  for (const file of inputs) hash.update(path.relative(root, file)).update('\0').update(fs.readFileSync(file)).update('\0');
  return path.join(root, 'node_modules', '.cache', 'central-auth', `app-${hash.digest('hex').slice(0, 20)}.js`);
}

/**
 * Reading and hashing the ~90 inputs is about 20 ms of every run, so the answer is remembered
 * with each input's size and modification time (the "stamp") and reused while none of them
 * changed. As in git's "racy clean" rule, a stamp is written only when every input is older than
 * STAMP_MIN_AGE_MS: a file changed in the same clock tick as the stamp (same size, same mtime)
 * would otherwise go unseen. Without a usable stamp the inputs are hashed as always.
 */
const STAMP_MIN_AGE_MS = 2000;

function stampOf(entry, root, inputs) {
  const stats = inputs.map((f) => {
    const st = fs.statSync(f);
    return [path.relative(root, f), st.size, st.mtimeMs, st.ino];
  });
  const tag = [...path.resolve(entry)].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7).toString(16);
  return {
    file: path.join(root, 'node_modules', '.cache', 'central-auth', `stamp-${tag}.json`),
    key: JSON.stringify([process.version, path.resolve(root), stats]),
    newest: Math.max(...stats.map((s) => s[2])),
  };
}

function stampedBundleFile(entry, root, inputs) {
  let stamp;
  try {
    stamp = stampOf(entry, root, inputs);
    const saved = JSON.parse(fs.readFileSync(stamp.file, 'utf8'));
    if (saved.key === stamp.key) return saved.bundle;
  } catch {
    // No stamp yet, or an input vanished: hash.
  }
  if (stamp === undefined || stamp.newest > Date.now() - STAMP_MIN_AGE_MS) return undefined;
  const bundle = hashedBundleFile(root, inputs);
  try {
    fs.mkdirSync(path.dirname(stamp.file), { recursive: true });
    fs.writeFileSync(`${stamp.file}.${process.pid}`, JSON.stringify({ key: stamp.key, bundle }));
    fs.renameSync(`${stamp.file}.${process.pid}`, stamp.file);
  } catch {
    // A stamp that cannot be written only makes the next run hash again.
  }
  return bundle;
}

/**
 * A bundle has one __dirname; the app's files use theirs to find helm-values/ and lambda/, so
 * each is replaced by the file's own folder as a literal.
 */
const ownDirname = {
  name: 'own-dirname',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => ({
      contents: fs.readFileSync(args.path, 'utf8').replace(/\b__dirname\b/g, JSON.stringify(path.dirname(args.path))),
      loader: 'ts',
    }));
  },
};

/**
 * cdktf records a full stack trace for every token it creates (an Error.captureStackTrace with an
 * unlimited depth), only to print it if resolving that token ever fails; on a default synth that is
 * a tenth of the time. The bundle's copy returns no trace instead, as if the failure had no
 * creation site; CENTRAL_AUTH_NO_CACHE=1 runs unpatched cdktf to get them back.
 */
const noTokenTraces = {
  name: 'no-token-stack-traces',
  setup(build) {
    build.onLoad({ filter: /[\\/]cdktf[\\/]lib[\\/]tokens[\\/]private[\\/]stack-trace\.js$/ }, () => ({
      contents: 'exports.captureStackTrace = function captureStackTrace() { return []; };\n',
      loader: 'js',
    }));
  },
};

/**
 * The bundle as pure ASCII: Node then decodes it as one-byte text and V8 keeps it as a one-byte
 * string (half the memory, about 20 ms less per run for 6 MB) instead of a two-byte one because of
 * one arrow in a comment. Only comments can still hold such characters here, where `\\uXXXX` is
 * as good as the character.
 */
function toAscii(code) {
  return code.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

async function buildBundle(entry, file) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const staging = `${file}.${process.pid}`;
  await require('esbuild').build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    target: `node${process.versions.node.split('.')[0]}`,
    format: 'cjs',
    outfile: staging,
    legalComments: 'none',
    logLevel: 'silent',
    // esbuild escapes non-ASCII text in strings, templates and identifiers ("ascii" is its default);
    // what it leaves, in kept comments, is escaped below, so the whole bundle is ASCII.
    charset: 'ascii',
    minifyWhitespace: true,
    plugins: [ownDirname, noTokenTraces],
  });
  fs.writeFileSync(staging, toAscii(fs.readFileSync(staging, 'utf8')));
  // Concurrent synths may build the same bundle; the rename makes whichever lands last win whole.
  fs.renameSync(staging, file);
  pruneBundles(path.dirname(file), file);
}

/** Bundles kept besides the newest: older ones are from sources that no longer exist. */
const KEEP_BUNDLES = 8;

function pruneBundles(dir, keep) {
  try {
    const old = fs
      .readdirSync(dir)
      .filter((f) => /^app-[0-9a-f]+\.js$/.test(f) && path.join(dir, f) !== keep)
      .map((f) => ({ f, t: fs.statSync(path.join(dir, f)).mtimeMs }))
      .sort((a, b) => b.t - a.t)
      .slice(KEEP_BUNDLES);
    for (const { f } of old) {
      fs.rmSync(path.join(dir, f), { force: true });
      fs.rmSync(path.join(dir, f.replace(/\.js$/, '.v8cache')), { force: true });
    }
  } catch {
    // Pruning is housekeeping: a concurrent synth may have removed a file first.
  }
}

/**
 * Runs the bundle as a CommonJS module compiled with V8's code cache, kept beside it
 * (`app-<hash>.v8cache`). The bundle's name is already the hash of its content, so unlike a generic
 * compile cache nothing is re-hashed or looked up per run: the cache is read, V8 checks it belongs
 * to this source and this V8 (a mismatch is rejected, and rewritten after the run), and it holds the
 * functions the synth compiled lazily too, because it is made after the run.
 */
function run(file) {
  const Module = require('module');
  const vm = require('vm');
  const cacheFile = file.replace(/\.js$/, '.v8cache');
  let cachedData;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  // latin1 reads ASCII as it is, without UTF-8 validation: every bundle is ASCII (toAscii).
  const script = new vm.Script(Module.wrap(fs.readFileSync(file, 'latin1')), { filename: file, cachedData });
  if (cachedData === undefined || script.cachedDataRejected) {
    process.once('exit', () => {
      try {
        const staging = `${cacheFile}.${process.pid}`;
        fs.writeFileSync(staging, script.createCachedData());
        fs.renameSync(staging, cacheFile);
      } catch {
        // A cache that cannot be written only makes the next run slower.
      }
    });
  }
  const mod = new Module(file, module);
  mod.filename = file;
  mod.paths = Module._nodeModulePaths(path.dirname(file));
  mod.loaded = true;
  script.runInThisContext().call(mod.exports, mod.exports, Module.createRequire(file), mod, file, path.dirname(file));
}

/** Runs `entry`: from its cached bundle, building it first when missing. */
function runApp(entry, root) {
  if (process.env.CENTRAL_AUTH_NO_CACHE === '1') {
    require('./ts-register');
    require(entry);
    return;
  }
  const file = bundleFile(entry, root);
  if (fs.existsSync(file)) {
    run(file);
    return;
  }
  buildBundle(entry, file).then(
    () => run(file),
    // Rethrown outside the promise, so a failure exits like any uncaught error.
    (err) =>
      process.nextTick(() => {
        throw err;
      }),
  );
}

module.exports = { bundleFile, bundleInputs, buildBundle };

// By default the app of the folder it runs in (cdktf runs it in the project; scripts/diff.ts in a
// base worktree); its project root is the entry's folder.
const USAGE = `usage: npm run synth:fast (node scripts/run-app.js [entry.ts])

Synthesizes the app (default: main.ts of the current folder) into $CDKTF_OUTDIR (default cdktf.out)
without the cdktf CLI, for the config CENTRAL_AUTH_CONFIG selects (a file, or "example").
CENTRAL_AUTH_NO_CACHE=1 runs the TypeScript sources instead of the cached bundle.`;

/** The entry to run, or an exit code after printing the usage or the mistake (never a stack trace). */
function parseArgs(argv) {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const option = argv.find((a) => a.startsWith('-'));
  if (option !== undefined || argv.length > 1) {
    process.stderr.write(
      `synth: ${option !== undefined ? `unknown option ${option}` : `one entry at most, got ${argv.length}`}\n${USAGE}\n`,
    );
    return 2;
  }
  const entry = path.resolve(argv[0] ?? 'main.ts');
  if (!fs.existsSync(entry)) {
    process.stderr.write(`synth: ${entry} not found: run it in the project folder, or name the app's entry\n${USAGE}\n`);
    return 2;
  }
  return entry;
}

if (require.main === module) {
  const entry = parseArgs(process.argv.slice(2));
  if (typeof entry === 'number') process.exitCode = entry;
  else runApp(entry, path.dirname(entry));
}
