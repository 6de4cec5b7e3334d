/** The recorded releases (__tests__/fixtures/releases/): their index, configs and records. */
import * as fs from 'fs';
import * as path from 'path';
import type { ReleaseRecord, RetiredStack } from './types';

export const RELEASES_DIR = path.join(__dirname, '..', '..', '__tests__', 'fixtures', 'releases');

export interface ReleaseIndex {
  /** Oldest first; the last is the version in package.json. */
  readonly releases: readonly { readonly version: string; readonly commit?: string }[];
  readonly retiredStacks: readonly RetiredStack[];
}

export function readIndex(dir = RELEASES_DIR): ReleaseIndex {
  return JSON.parse(fs.readFileSync(path.join(dir, 'releases.json'), 'utf8'));
}

/** The configs recorded for a release: `<name>.config.yaml` files. */
export function configsOf(version: string, dir = RELEASES_DIR): string[] {
  return fs
    .readdirSync(path.join(dir, version))
    .filter((f) => f.endsWith('.config.yaml'))
    .map((f) => f.slice(0, -'.config.yaml'.length))
    .sort();
}

/** The config as the release took it. */
export const configFile = (version: string, config: string, dir = RELEASES_DIR): string => path.join(dir, version, `${config}.config.yaml`);

/**
 * The same environment written for today's version: `<name>.upgraded.yaml` (the config after the
 * upgrade notes of every later release), or the release's own file when nothing had to change.
 */
export function upgradedConfigFile(version: string, config: string, dir = RELEASES_DIR): string {
  const upgraded = path.join(dir, version, `${config}.upgraded.yaml`);
  return fs.existsSync(upgraded) ? upgraded : configFile(version, config, dir);
}

export const recordFile = (version: string, config: string, dir = RELEASES_DIR): string => path.join(dir, version, `${config}.record.json`);

export function readRecord(version: string, config: string, dir = RELEASES_DIR): ReleaseRecord {
  return JSON.parse(fs.readFileSync(recordFile(version, config, dir), 'utf8'));
}

export function writeRecord(record: ReleaseRecord, dir = RELEASES_DIR): string {
  const file = recordFile(record.version, record.config, dir);
  fs.writeFileSync(file, `${JSON.stringify(record, null, 1)}\n`);
  return file;
}

/** Retired stacks that an upgrade from `version` to today passes (retired after it). */
export function retiredSince(version: string, index: ReleaseIndex): RetiredStack[] {
  const order = index.releases.map((r) => r.version);
  return index.retiredStacks.filter((r) => order.indexOf(r.since) > order.indexOf(version));
}
