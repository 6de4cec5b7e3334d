/**
 * `npm run synth:hcl [-- --hcl-out DIR]`
 *
 * Synthesizes the app as usual (cdk.tf.json in <outdir>/stacks/<stack>/, outdir =
 * $CDKTF_OUTDIR or cdktf.out) and a second time with HCL output into a temporary
 * directory (cdktf's SYNTH_HCL_OUTPUT, the same switch `cdktf synth --hcl` uses), then
 * writes each stack's cdk.tf to <outdir>/hcl/stacks/<stack>/cdk.tf, beside the JSON output:
 * repaired (heredoc closers, scripts/hcl/heredoc.ts; terraform block settings,
 * scripts/hcl/terraform-block.ts), formatted with hclwrite (the formatter
 * behind `terraform fmt`, as @cdktf/hcl-tools) and parsed back with HashiCorp's HCL parser,
 * which must find exactly the blocks of the JSON, then `terraform fmt` where terraform is on PATH.
 * So a file it writes always parses.
 *
 * Not into the stack directories themselves: Terraform loads every *.tf and *.tf.json
 * file of a directory, so a stack directory holding both would define every block twice
 * and `terraform plan` / `cdktf deploy` would fail there. `--hcl-out DIR` writes to
 * DIR/stacks/<stack>/cdk.tf instead.
 *
 * Exit codes: 0 ok, 1 synth failed or produced HCL that does not parse, 2 bad usage.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { repairHeredocClosers } from './hcl/heredoc';
import { repairObjectAttributes } from './hcl/object-attributes';
import { appendRemovedBlocks } from './hcl/removed';
import { repairTerraformSettings } from './hcl/terraform-block';
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

function terraformAvailable(env: NodeJS.ProcessEnv): boolean {
  return spawnSync('terraform', ['version'], { env, encoding: 'utf8' }).status === 0;
}

export interface SynthHclResult {
  stacks: string[];
  hclFiles: string[];
}

export async function synthHcl(opts: SynthHclOptions): Promise<SynthHclResult> {
  const env = opts.env ?? process.env;
  const log = opts.log ?? ((s: string) => process.stderr.write(s));
  const hclOut = opts.hclOut ?? path.join(opts.outdir, 'hcl');

  // Loaded here: both are WebAssembly builds of HashiCorp's HCL tools (about a second), which --help
  // and a bad argument never need.
  const { format } = require('@cdktf/hcl-tools') as typeof import('@cdktf/hcl-tools');
  const { checkHcl } = require('./hcl/check') as typeof import('./hcl/check');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cdktf-hcl-'));
  try {
    await Promise.all([
      runSynth({ cwd: opts.cwd, outdir: opts.outdir, env, log }),
      runSynth({ cwd: opts.cwd, outdir: tmp, hcl: true, env, log }),
    ]);
    const stacks = listStacks(tmp);
    const hclFiles: string[] = [];
    for (const stack of stacks) {
      const src = path.join(tmp, 'stacks', stack, 'cdk.tf');
      if (!fs.existsSync(src)) throw new Error(`HCL synth wrote no ${path.join('stacks', stack, 'cdk.tf')}`);
      const name = path.join('stacks', stack, 'cdk.tf');
      const json = JSON.parse(fs.readFileSync(path.join(opts.outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8'));
      const repaired = repairTerraformSettings(repairHeredocClosers(fs.readFileSync(src, 'utf8')), json.terraform);
      const hcl = await format(repairObjectAttributes(appendRemovedBlocks(repaired, json.removed, json.moved)));
      await checkHcl(name, hcl, json);
      const dest = path.join(hclOut, name);
      fs.mkdirSync(path.dirname(dest), { recursive: true });
      fs.writeFileSync(dest, hcl);
      hclFiles.push(dest);
    }
    // terraform fmt also unwraps interpolation-only strings ("${x}" → x); hclwrite alone does not.
    if (hclFiles.length && terraformAvailable(env)) {
      const r = spawnSync('terraform', ['fmt', '-no-color', ...hclFiles], { env, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`terraform fmt failed:\n${r.stderr}`);
    }
    return { stacks, hclFiles };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

export const USAGE = 'usage: npm run synth:hcl [-- --hcl-out DIR]';

export async function main(
  argv: string[],
  io: { cwd: string; env: NodeJS.ProcessEnv; stdout: (s: string) => void; stderr: (s: string) => void },
): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout(
      `${USAGE}\n\nSynthesizes the config CENTRAL_AUTH_CONFIG selects, as JSON into $CDKTF_OUTDIR (default cdktf.out)\nand as HCL into <outdir>/hcl/stacks/<stack>/cdk.tf (or --hcl-out DIR), for plain Terraform.\n`,
    );
    return 0;
  }
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
    const r = await synthHcl({ cwd: io.cwd, outdir, hclOut, env: io.env, log: io.stderr });
    for (const f of r.hclFiles) io.stdout(`${path.relative(io.cwd, f)}\n`);
    return 0;
  } catch (e) {
    io.stderr(`synth:hcl: ${(e as Error).message}\n`);
    return 1;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2), {
    cwd: process.cwd(),
    env: process.env,
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
  }).then((code) => {
    process.exitCode = code;
  });
}
