'use strict';
// Runs the cdktf app (main.ts) the way `cdktf synth` does (cdktf.json "app"), fast: the app and
// its dependencies are bundled once into one file with esbuild, cached under
// node_modules/.cache/central-auth keyed by a hash of every source the bundle is made from, and
// run with V8's code cache (v8-compile-cache). Loading ~600 small CommonJS files costs more than
// everything the app then does; one file skips the resolution and most of the parsing.
// CENTRAL_AUTH_NO_CACHE=1 runs the sources directly through scripts/ts-register.js instead.
// Usage: node scripts/run-app.js [entry.ts]
const crypto = require('crypto');
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
  // The root too: the bundle embeds absolute folders (own-dirname below), so a base worktree
  // sharing node_modules must never run the head's bundle.
  const hash = crypto
    .createHash('sha256')
    .update(`${process.version}\0${require('esbuild/package.json').version}\0${path.resolve(root)}\0`);
  for (const file of bundleInputs(entry, root))
    hash.update(path.relative(root, file)).update('\0').update(fs.readFileSync(file)).update('\0');
  return path.join(root, 'node_modules', '.cache', 'central-auth', `app-${hash.digest('hex').slice(0, 20)}.js`);
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
    plugins: [ownDirname, noTokenTraces],
  });
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
    for (const { f } of old) fs.rmSync(path.join(dir, f), { force: true });
  } catch {
    // Pruning is housekeeping: a concurrent synth may have removed a file first.
  }
}

function run(file) {
  process.env.V8_COMPILE_CACHE_CACHE_DIR ??= path.join(ROOT, 'node_modules', '.cache', 'v8-compile-cache');
  require('v8-compile-cache');
  require(file);
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
if (require.main === module) {
  const entry = path.resolve(process.argv[2] ?? 'main.ts');
  runApp(entry, path.dirname(entry));
}
