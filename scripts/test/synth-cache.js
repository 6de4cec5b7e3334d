'use strict';
// The tests' synth cache: Testing.synth output of the three stacks, on disk, keyed by the config,
// the synth options and a hash of every file a synth can read. 22 suites synthesize the embedded
// example alone; with the cache a run does it once, and a warm run (only tests edited) not at all.
// A key misses whenever anything but a test file changes, so a stale entry is never read:
// - the project tree, except tests, docs and generated folders (sourcesHash, once per run in
//   jest's globalSetup and handed to the workers in CENTRAL_AUTH_TEST_SOURCES);
// - every file the config names (branding, IdP metadata), wherever it lies, by content.
// CENTRAL_AUTH_NO_CACHE=1 turns it off, as it turns off the app bundle (scripts/run-app.js).
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..', '..');
const CACHE = path.join(ROOT, 'node_modules', '.cache', 'central-auth', 'synth');
const ENV = 'CENTRAL_AUTH_TEST_SOURCES';
// Folders no synth reads. Test files are left out so that editing a test keeps the cache warm;
// the helpers that drive the synth are not test files and stay in.
const SKIP_DIRS = new Set(['node_modules', '.git', '.github', 'docs', 'coverage', '.terraform', '.tmp', 'dist', '.gen']);
const SKIP_FILE = (/** @type {string} */ rel) => rel.endsWith('.test.ts') || rel.endsWith('.md') || rel.startsWith('cdktf.out');

/** @param {string} dir @param {string} rel @param {string[]} out @returns {string[]} */
function walk(dir, rel, out) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const childRel = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name) && !childRel.startsWith('cdktf.out')) walk(path.join(dir, entry.name), childRel, out);
    } else if (entry.isFile() && !SKIP_FILE(childRel)) out.push(childRel);
  }
  return out;
}

/** A hash of every file of the project a synth can read, with the Node.js major (it runs the synth). */
function sourcesHash(root = ROOT) {
  const hash = crypto.createHash('sha256').update(process.versions.node.split('.')[0]);
  for (const rel of walk(root, '', []).sort())
    hash
      .update(rel)
      .update('\0')
      .update(fs.readFileSync(path.join(root, rel)))
      .update('\0');
  return hash.digest('hex').slice(0, 20);
}

// JSON with sorted keys; undefined when the value holds anything JSON cannot say exactly
// (a function, a Map, a class instance): such a synth is never cached.
// A plain object of any realm: jest runs tests in a vm context, but structuredClone (used by the
// helpers) comes from Node's own, so `=== Object.prototype` alone would refuse its copies.
/** @param {object} value */
function isPlain(value) {
  const proto = Object.getPrototypeOf(value);
  return proto === null || Object.getPrototypeOf(proto) === null;
}

/** @param {unknown} value @returns {string | undefined} */
function stableJson(value) {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : undefined;
  if (Array.isArray(value)) {
    /** @type {Array<string | undefined>} */
    const items = value.map((v) => (v === undefined ? 'null' : stableJson(v)));
    return items.includes(undefined) ? undefined : `[${items.join(',')}]`;
  }
  if (typeof value === 'object' && isPlain(value)) {
    const record = /** @type {Record<string, unknown>} */ (value);
    const parts = [];
    for (const k of Object.keys(record).sort()) {
      if (record[k] === undefined) continue;
      const v = stableJson(record[k]);
      if (v === undefined) return undefined;
      parts.push(`${JSON.stringify(k)}:${v}`);
    }
    return `{${parts.join(',')}}`;
  }
  return undefined;
}

// Every string of the config that names an existing file, with that file's content.
/** @param {unknown} value @param {crypto.Hash} hash */
function referencedFiles(value, hash) {
  if (typeof value === 'string') {
    if (value.length > 0 && value.length < 1024 && !value.includes('\n')) {
      const file = path.resolve(ROOT, value);
      try {
        if (fs.statSync(file).isFile()) hash.update(file).update('\0').update(fs.readFileSync(file)).update('\0');
      } catch {
        // not a file: a host name, a URL, a label
      }
    }
  } else if (Array.isArray(value)) value.forEach((v) => referencedFiles(v, hash));
  else if (value !== null && typeof value === 'object') Object.values(value).forEach((v) => referencedFiles(v, hash));
}

/** The entry's file for this synth input, or undefined when it cannot be cached. */
/** @param {unknown} input @returns {string | undefined} */
function entryFile(input) {
  if (process.env.CENTRAL_AUTH_NO_CACHE === '1') return undefined;
  const json = stableJson(input);
  if (json === undefined) return undefined;
  const sources = (process.env[ENV] ??= sourcesHash());
  const hash = crypto.createHash('sha256').update(json);
  referencedFiles(input, hash);
  return path.join(CACHE, sources, `${hash.digest('hex').slice(0, 32)}.json`);
}

/** The cached stacks' JSON strings, or undefined. */
/** @param {string | undefined} file @returns {any} */
function read(file) {
  if (file === undefined) return undefined;
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Writes an entry atomically: two workers may write the same one, a reader sees one whole. */
/** @param {string | undefined} file @param {unknown} value */
function write(file, value) {
  if (file === undefined) return;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(value));
  fs.renameSync(tmp, file);
}

/** jest globalSetup: hashes the sources once for every worker and drops entries of other sources. */
function globalSetup() {
  const sources = sourcesHash();
  process.env[ENV] = sources;
  if (!fs.existsSync(CACHE)) return;
  for (const dir of fs.readdirSync(CACHE)) if (dir !== sources) fs.rmSync(path.join(CACHE, dir), { recursive: true, force: true });
}

module.exports = { entryFile, read, write, globalSetup, sourcesHash, stableJson, CACHE };
