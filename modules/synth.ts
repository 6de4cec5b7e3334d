import { App } from 'cdktf';
import { existsSync, readdirSync, renameSync, rmSync } from 'fs';
import { basename, dirname, join, relative, resolve } from 'path';
import { ConfigError } from './config/errors';

/**
 * Synthesizes into a sibling staging folder and swaps it in only when every stack synthesized,
 * so a failed synth leaves the previous output (or none) rather than half of a new one.
 */
export function synthAtomically(build: (app: App) => void, outdir = process.env.CDKTF_OUTDIR ?? 'cdktf.out'): string[] {
  const target = resolve(outdir);
  const staging = join(dirname(target), `.${basename(target)}.staging-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  try {
    // Construct stack traces cost more than the rest of the synth and are only read by cdktf's own error output.
    const app = new App({ outdir: staging, stackTraces: false });
    build(app);
    app.synth();
  } catch (err) {
    rmSync(staging, { recursive: true, force: true });
    throw err;
  }
  const previous = `${staging}.old`;
  if (existsSync(target)) renameSync(target, previous);
  renameSync(staging, target);
  rmSync(previous, { recursive: true, force: true });
  const stacks = join(target, 'stacks');
  return existsSync(stacks) ? readdirSync(stacks).sort() : [];
}

/** Entry point for main.ts: a config mistake prints its message alone and exits 1. */
export function runSynth(build: (app: App) => void): void {
  try {
    const outdir = process.env.CDKTF_OUTDIR ?? 'cdktf.out';
    const stacks = synthAtomically(build, outdir);
    // What was written, and where, as the last line (stdout: the cdktf CLI labels stderr "[ERROR]").
    const shown = relative(process.cwd(), resolve(outdir)) || '.';
    console.log(`synth: wrote ${shown.startsWith('..') ? resolve(outdir) : shown}/stacks/{${stacks.join(',')}}/cdk.tf.json`);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
}
