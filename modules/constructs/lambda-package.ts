import { createHash } from 'crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { dirname, join, posix, relative, sep } from 'path';
import { zipSync } from './zip';

/** The repository root: zips keep paths relative to it, so a handler's relative requires resolve alike in both. */
export const REPO_ROOT = join(__dirname, '..', '..');

/** A handler folder's source files, sorted so a zip's bytes never depend on directory order. */
export function handlerFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.js'))
    .sort();
}

// `require('./x')` and `require('../../verifier/x')`: the relative requires a handler makes.
const RELATIVE_REQUIRE = /\brequire\(\s*'(\.{1,2}\/[^']+)'\s*\)/g;

/**
 * Every `.js` file of the handler's folder and, transitively, every file they require by a
 * relative path (the sign-out handler shares the verifier's token checks), as sorted
 * repository-relative paths with `/` separators. A required file outside the repository or
 * missing is an error: the function would fail on its first request.
 */
export function handlerSources(dir: string): string[] {
  const found = new Set<string>();
  const pending = handlerFiles(dir).map((f) => join(dir, f));
  while (pending.length > 0) {
    const file = pending.pop()!;
    const key = relative(REPO_ROOT, file).split(sep).join(posix.sep);
    if (found.has(key)) continue;
    if (key.startsWith('..') || !existsSync(file))
      throw new Error(`lambda package: ${key} is required but is not a file of the repository`);
    found.add(key);
    for (const match of readFileSync(file, 'utf8').matchAll(RELATIVE_REQUIRE)) {
      const target = join(dirname(file), match[1]!);
      pending.push(target.endsWith('.js') ? target : `${target}.js`);
    }
  }
  return [...found].sort();
}

/** Where Lambda finds the handler inside the zip: `lambda/signout/index.handler`. */
export function handlerEntry(dir: string): string {
  return `${relative(REPO_ROOT, dir).split(sep).join(posix.sep)}/index.handler`;
}

/**
 * A zip of the handler's sources (see handlerSources) with the generated config.json beside
 * its index.js, laid out as in the repository, named by the hash of its content: the same
 * config always gives the same bytes and asset hash, and concurrent synths never write each
 * other's file.
 */
export function packageHandler(name: string, dir: string, config: Record<string, unknown>): string {
  const folder = relative(REPO_ROOT, dir).split(sep).join(posix.sep);
  const zip = zipSync([
    ...handlerSources(dir).map((file) => ({ name: file, data: readFileSync(join(REPO_ROOT, file)) })),
    { name: `${folder}/config.json`, data: Buffer.from(`${JSON.stringify(config, null, 2)}\n`) },
  ]);
  const out = join(tmpdir(), `central-auth-${name}-${createHash('sha256').update(zip).digest('hex').slice(0, 16)}`);
  const file = join(out, `${name}.zip`);
  if (!existsSync(file)) {
    mkdirSync(out, { recursive: true });
    const staging = `${file}.${process.pid}`;
    writeFileSync(staging, zip);
    renameSync(staging, file);
  }
  return file;
}
