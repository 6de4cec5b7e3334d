/**
 * `npm run release:record -- <version> [--from <cdktf.out> <config>]`: writes the release record of
 * every `<config>.config.yaml` in `__tests__/fixtures/releases/<version>/`, synthesized by today's
 * code. With `--from`, reduces an existing synth output instead (an older release, synthesized from
 * its own commit in a git worktree: `git worktree add ../rel <commit>`, `npm ci`, synth there).
 * Exit codes: 0 written, 1 synth or file failure, 2 bad usage.
 */
import * as fs from 'fs';
import { ConfigError } from '../../modules/config/errors';
import { configFile, configsOf, RELEASES_DIR, writeRecord } from './releases';
import { recordOf, recordOfOutdir, synthesizeStacks } from './synth';

export const USAGE = 'usage: npm run release:record -- <version> [--from <cdktf.out folder> <config name>]';

export function main(
  args: readonly string[],
  out = (s: string) => process.stdout.write(s),
  err = (s: string) => process.stderr.write(s),
): number {
  if (args.includes('--help') || args.includes('-h')) {
    out(`${USAGE}\n`);
    return 0;
  }
  const [version, flag, from, config, ...rest] = args;
  const usage = (why: string) => (err(`release:record: ${why}\n${USAGE}\n`), 2);
  if (!version || !/^\d+\.\d+\.\d+$/.test(version)) return usage(`the version must be x.y.z, got ${JSON.stringify(version ?? '')}`);
  if (!fs.existsSync(`${RELEASES_DIR}/${version}`)) return usage(`there is no folder __tests__/fixtures/releases/${version}`);
  if (flag !== undefined && (flag !== '--from' || !from || !config || rest.length)) return usage('--from takes a folder and a config name');
  try {
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
