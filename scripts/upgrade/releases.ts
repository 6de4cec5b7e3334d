/** The recorded releases (__tests__/fixtures/releases/): their index, configs and records. */
import * as fs from 'fs';
import * as path from 'path';
import type { ForgottenResource, ReleaseRecord, RetiredStack, UpgradeAllowances } from './types';

export const RELEASES_DIR = path.join(__dirname, '..', '..', '__tests__', 'fixtures', 'releases');

export interface ReleaseIndex {
  /** Oldest first; the last is the version in package.json. */
  readonly releases: readonly { readonly version: string; readonly commit?: string }[];
  readonly retiredStacks: readonly RetiredStack[];
  readonly forgotten: readonly ForgottenResource[];
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

/** What the releases after `version` allow an upgrade from it to do (retire stacks, forget resources). */
export function allowancesSince(version: string, index: ReleaseIndex): UpgradeAllowances {
  const order = index.releases.map((r) => r.version);
  const later = (since: string) => order.indexOf(since) > order.indexOf(version);
  return { retiredStacks: index.retiredStacks.filter((r) => later(r.since)), forgotten: index.forgotten.filter((f) => later(f.since)) };
}
