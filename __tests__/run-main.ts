import { spawnSync } from 'child_process';
import { join, resolve } from 'path';

/** The project root: where main.ts and node_modules are. */
export const ROOT = resolve(__dirname, '..');

export interface MainRun {
  /** Exit status (null when killed by a signal). */
  readonly status: number | null;
  readonly stdout: string;
  /** Captured on success too: the policy echoes suppressions there. */
  readonly stderr: string;
}

/**
 * Runs main.ts the way `cdktf synth` (and `npm run synth:fast`) does, through cdktf.json's app
 * command (scripts/run-app.js, the cached bundle), as a child process in
 * `cwd`, writing to `<cwd>/cdktf.out`. CENTRAL_AUTH_CONFIG is cleared unless `env` sets it,
 * so the embedded example is used by default.
 */
export function runMain(cwd: string, env: Record<string, string> = {}): MainRun {
  const result = spawnSync(process.execPath, [join(ROOT, 'scripts', 'run-app.js'), join(ROOT, 'main.ts')], {
    cwd,
    env: { ...process.env, CENTRAL_AUTH_CONFIG: '', ...env, CDKTF_OUTDIR: join(cwd, 'cdktf.out') },
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
