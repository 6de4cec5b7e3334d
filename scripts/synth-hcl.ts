/**
 * `npm run synth:hcl [-- --hcl-out DIR]`
 *
 * Synthesizes the app as usual (cdk.tf.json in <outdir>/stacks/<stack>/, outdir =
 * $CDKTF_OUTDIR or cdktf.out) and a second time with HCL output into a temporary
 * directory (cdktf's SYNTH_HCL_OUTPUT, the same switch `cdktf synth --hcl` uses),
 * then copies each stack's cdk.tf to <outdir>/hcl/stacks/<stack>/cdk.tf, beside the JSON
 * output, and runs `terraform fmt` on it when terraform is on PATH.
 *
 * Not into the stack directories themselves: Terraform loads every *.tf and *.tf.json
 * file of a directory, so a stack directory holding both would define every block twice
 * and `terraform plan` / `cdktf deploy` would fail there. `--hcl-out DIR` writes to
 * DIR/stacks/<stack>/cdk.tf instead.
 *
 * Exit codes: 0 ok, 1 synth failed, 2 bad usage.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { listStacks, runSynth } from './synth-runner';

export interface SynthHclOptions {
  /** project root (where main.ts is) */
  cwd: string;
  /** JSON output directory */
  outdir: string;
  /** where stacks/<stack>/cdk.tf go; defaults to <outdir>/hcl */
  hclOut?: string;
  env?: NodeJS.ProcessEnv;
  log?: (s: string) => void;
}

export interface SynthHclResult {
  stacks: string[];
  hclFiles: string[];
  formatted: boolean;
}

function terraformAvailable(env: NodeJS.ProcessEnv): boolean {
  const r = spawnSync('terraform', ['version'], { env, encoding: 'utf8' });
  return r.status === 0;
}

export function synthHcl(opts: SynthHclOptions): SynthHclResult {
  const env = opts.env ?? process.env;
  const log = opts.log ?? ((s: string) => process.stderr.write(s));
  const hclOut = opts.hclOut ?? path.join(opts.outdir, 'hcl');

  runSynth({ cwd: opts.cwd, outdir: opts.outdir, env, log });

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cdktf-hcl-'));
  try {
    runSynth({ cwd: opts.cwd, outdir: tmp, hcl: true, env, log });
    const stacks = listStacks(tmp);
    const hclFiles: string[] = [];
    for (const stack of stacks) {
      const src = path.join(tmp, 'stacks', stack, 'cdk.tf');
      if (!fs.existsSync(src)) throw new Error(`HCL synth wrote no ${path.join('stacks', stack, 'cdk.tf')}`);
      const destDir = path.join(hclOut, 'stacks', stack);
      fs.mkdirSync(destDir, { recursive: true });
      const dest = path.join(destDir, 'cdk.tf');
      fs.copyFileSync(src, dest);
      hclFiles.push(dest);
    }
    let formatted = false;
    if (hclFiles.length && terraformAvailable(env)) {
      const r = spawnSync('terraform', ['fmt', '-no-color', ...hclFiles], { env, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`terraform fmt failed:\n${r.stderr}`);
      formatted = true;
    } else if (hclFiles.length) {
      log('synth:hcl: terraform is not on PATH, cdk.tf files left unformatted\n');
    }
    return { stacks, hclFiles, formatted };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

export const USAGE = 'usage: npm run synth:hcl [-- --hcl-out DIR]';

export function main(
  argv: string[],
  io: { cwd: string; env: NodeJS.ProcessEnv; stdout: (s: string) => void; stderr: (s: string) => void },
): number {
  let hclOut: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--hcl-out' && argv[i + 1]) hclOut = path.resolve(io.cwd, argv[++i]);
    else {
      io.stderr(`synth:hcl: bad argument ${argv[i]}\n${USAGE}\n`);
      return 2;
    }
  }
  const outdir = path.resolve(io.cwd, io.env.CDKTF_OUTDIR || 'cdktf.out');
  try {
    const r = synthHcl({ cwd: io.cwd, outdir, hclOut, env: io.env, log: io.stderr });
    for (const f of r.hclFiles) io.stdout(`${path.relative(io.cwd, f)}\n`);
    return 0;
  } catch (e) {
    io.stderr(`synth:hcl: ${(e as Error).message}\n`);
    return 1;
  }
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2), {
    cwd: process.cwd(),
    env: process.env,
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
  });
}
