/**
 * `npm run release:record -- <version> [--force] [--from <cdktf.out> <config>]`: writes the release record of
 * every `<config>.config.yaml` in `__tests__/fixtures/releases/<version>/`, synthesized by today's
 * code. With `--from`, reduces an existing synth output instead (an older release, synthesized from
 * its own commit in a git worktree: `git worktree add ../rel <commit>`, `npm ci`, synth there).
 * A record is the baseline every later upgrade is checked against: an existing one is kept unless
 * `--force` (re-recording a released version after a failing upgrade test would hide the failure).
 * Exit codes: 0 written, 1 synth or file failure or an existing record, 2 bad usage.
 */
import * as fs from 'fs';
import { ConfigError } from '../../modules/config/errors';
import { configFile, configsOf, RELEASES_DIR, recordFile, writeRecord } from './releases';

export const USAGE = 'usage: npm run release:record -- <version> [--force] [--from <cdktf.out folder> <config name>]';

export function main(
  args: readonly string[],
  out: (s: string) => void = (s) => process.stdout.write(s),
  err: (s: string) => void = (s) => process.stderr.write(s),
): number {
  if (args.includes('--help') || args.includes('-h')) {
    out(`${USAGE}\n`);
    return 0;
  }
  const force = args.includes('--force');
  const [version, flag, from, config, ...rest] = args.filter((a) => a !== '--force');
  const usage = (why: string) => (err(`release:record: ${why}\n${USAGE}\n`), 2);
  if (!version || !/^\d+\.\d+\.\d+$/.test(version)) return usage(`the version must be x.y.z, got ${JSON.stringify(version ?? '')}`);
  if (!fs.existsSync(`${RELEASES_DIR}/${version}`)) return usage(`there is no folder __tests__/fixtures/releases/${version}`);
  if (flag !== undefined && (flag !== '--from' || !from || !config || rest.length)) return usage('--from takes a folder and a config name');
  const names = flag ? [config!] : configsOf(version);
  const existing = names.filter((name) => fs.existsSync(recordFile(version, name)));
  if (existing.length && !force) {
    err(
      `release:record: ${version} already has ${existing.map((n) => `${n}.record.json`).join(', ')}: a release's record is its baseline; --force rewrites it\n`,
    );
    return 1;
  }
  try {
    // Loaded only now: it brings cdktf and the providers (about a second), which --help and a bad
    // argument never need.
    const { recordOf, recordOfOutdir, synthesizeStacks } = require('./synth') as typeof import('./synth');
    if (flag) {
      out(`${writeRecord(recordOfOutdir(version, config!, from!))}\n`);
      return 0;
    }
    for (const name of configsOf(version)) out(`${writeRecord(recordOf(version, name, synthesizeStacks(configFile(version, name))))}\n`);
    return 0;
  } catch (e) {
    err(`release:record: ${e instanceof ConfigError ? e.message : (e as Error).message}\n`);
    return 1;
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
