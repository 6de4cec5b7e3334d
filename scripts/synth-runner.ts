/**
 * Shared helper for scripts that need to synthesize the cdktf app into a
 * directory of their choosing (scripts/diff.ts, scripts/synth-hcl.ts).
 *
 * The app is run as a child process (never in-process: a cdktf App keeps global
 * state and the base tree of a diff has its own copy of the sources).
 * The command defaults to the same runner as `npm run synth:fast`; set
 * SYNTH_COMMAND to override it (it is run through `sh -c` in the tree's root).
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/**
 * This checkout's app runner, by absolute path: it bundles the main.ts of the folder it runs in,
 * so it runs any tree's app, including a base ref that predates it.
 */
export const DEFAULT_SYNTH_COMMAND = `node '${path.join(__dirname, 'run-app.js')}'`;

export interface SynthOptions {
  /** root of the source tree that holds main.ts */
  cwd: string;
  /** output directory (passed as CDKTF_OUTDIR) */
  outdir: string;
  /** write HCL (cdk.tf) instead of JSON (cdk.tf.json) */
  hcl?: boolean;
  /** extra environment variables */
  env?: NodeJS.ProcessEnv;
  /** shell command; defaults to $SYNTH_COMMAND or DEFAULT_SYNTH_COMMAND */
  command?: string;
  /** where the app's own output goes (default: our stderr) */
  log?: (s: string) => void;
}

export class SynthError extends Error {}

export function synthCommand(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.SYNTH_COMMAND;
  return fromEnv !== undefined && fromEnv.trim() !== '' ? fromEnv : DEFAULT_SYNTH_COMMAND;
}

/**
 * Runs the app once. Child stdout goes to our stderr so that a script whose
 * stdout is Markdown (diff.ts) stays clean. Asynchronous, so two trees (or JSON and HCL) can
 * be synthesized at once.
 */
export async function runSynth(opts: SynthOptions): Promise<void> {
  const command = opts.command ?? synthCommand(opts.env ?? process.env);
  fs.mkdirSync(opts.outdir, { recursive: true });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...opts.env,
    CDKTF_OUTDIR: opts.outdir,
    SYNTH_HCL_OUTPUT: opts.hcl ? 'true' : 'false',
  };
  const log = opts.log ?? ((s: string) => process.stderr.write(s));
  const { status, signal, stdout, stderr } = await new Promise<{
    status: number | null;
    signal: string | null;
    stdout: string;
    stderr: string;
  }>((resolve, reject) => {
    const child = spawn('sh', ['-c', command], { cwd: opts.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('error', (e) => reject(new SynthError(`synth command failed to start in ${opts.cwd}: ${e.message}`)));
    child.on('close', (code, sig) => resolve({ status: code, signal: sig, stdout: out, stderr: err }));
  });
  if (stdout) log(stdout);
  if (stderr) log(stderr);
  if (status !== 0) {
    const tail = stderr.trim().split('\n').slice(-15).join('\n');
    throw new SynthError(`synth command \`${command}\` exited with ${status ?? signal} in ${opts.cwd}` + (tail ? `:\n${tail}` : ''));
  }
  if (!fs.existsSync(path.join(opts.outdir, 'stacks'))) {
    throw new SynthError(`synth command \`${command}\` wrote no stacks/ into ${opts.outdir}`);
  }
}

/** Names of the stacks synthesized into `outdir` (directories under stacks/). */
export function listStacks(outdir: string): string[] {
  const dir = path.join(outdir, 'stacks');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}
