import { createHash } from 'crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { zipSync } from './zip';

/** A handler folder's source files, sorted so a zip's bytes never depend on directory order. */
export function handlerFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.js'))
    .sort();
}

/**
 * A zip of a handler folder's `.js` files and the generated config.json, named by the hash of its
 * content: the same config always gives the same bytes and asset hash, and concurrent synths
 * never write each other's file.
 */
export function packageHandler(name: string, dir: string, config: Record<string, unknown>): string {
  const zip = zipSync([
    ...handlerFiles(dir).map((file) => ({ name: file, data: readFileSync(join(dir, file)) })),
    { name: 'config.json', data: Buffer.from(`${JSON.stringify(config, null, 2)}\n`) },
  ]);
  const folder = join(tmpdir(), `central-auth-${name}-${createHash('sha256').update(zip).digest('hex').slice(0, 16)}`);
  const file = join(folder, `${name}.zip`);
  if (!existsSync(file)) {
    mkdirSync(folder, { recursive: true });
    const staging = `${file}.${process.pid}`;
    writeFileSync(staging, zip);
    renameSync(staging, file);
  }
  return file;
}
