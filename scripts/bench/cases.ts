/** The measured cases: how each is spawned, run repeatedly and summarized. */
import * as fs from 'fs';
import * as path from 'path';
import { type MeasureSpec, measure, type ProbeRecord, type RunResult } from './measure';
import type { BenchOptions } from './options';
import { PROBE, ROOT, TSC_REGISTER } from './paths';
import { fmtMb, fmtMs, type Stats, stats } from './stats';

export interface CaseResult {
  id: string;
  label: string;
  apps: number;
  kind: 'fast' | 'naive' | 'cli' | 'baseline';
  command: string;
  /** resource + data blocks in the synthesized stacks (from the first successful run) */
  blocks?: number;
  runs: RunResult[];
  status: 'ok' | 'rejected' | 'failed';
  error?: string;
  wallMs?: Stats;
  appMs?: Stats;
  rssMb?: Stats;
  cpuMs?: Stats;
}

/** Resource and data blocks across the stacks of a cdktf output folder. */
export function countBlocks(outdir: string): number | undefined {
  const stacks = path.join(outdir, 'stacks');
  if (!fs.existsSync(stacks)) return undefined;
  let n = 0;
  for (const stack of fs.readdirSync(stacks)) {
    const file = path.join(stacks, stack, 'cdk.tf.json');
    if (!fs.existsSync(file)) continue;
    const json = JSON.parse(fs.readFileSync(file, 'utf8')) as { resource?: Record<string, object>; data?: Record<string, object> };
    for (const group of [json.resource, json.data]) for (const byName of Object.values(group ?? {})) n += Object.keys(byName).length;
  }
  return n;
}

export function baseEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, SYNTH_HCL_OUTPUT: 'false' };
  // nothing from the caller's shell may change what is measured
  for (const key of Object.keys(env))
    if (key === 'CENTRAL_AUTH_CONFIG' || key === 'NODE_OPTIONS' || key.startsWith('TS_NODE_') || key.startsWith('SWC_')) delete env[key];
  return env;
}

function summarize(c: CaseResult): CaseResult {
  const ok = c.runs.filter((r) => r.exitCode === 0 && !r.timedOut);
  const failed = c.runs.find((r) => r.exitCode !== 0 || r.timedOut);
  if (ok.length === 0 && failed) {
    // a config the app refuses (validation or quota) is "rejected"; anything else "failed"
    c.status = !failed.timedOut && c.kind === 'fast' && /^Invalid |quota/i.test(failed.error ?? '') ? 'rejected' : 'failed';
    c.error = failed.error;
  } else {
    c.status = 'ok';
    c.wallMs = stats(ok.map((r) => r.wallMs));
    c.appMs = stats(ok.flatMap((r) => (r.appMs === undefined ? [] : [r.appMs])));
    c.rssMb = stats(ok.flatMap((r) => (r.rssKb === undefined ? [] : [(r.rssKb * 1024) / 1e6])));
    c.cpuMs = stats(ok.flatMap((r) => (r.cpuMs === undefined ? [] : [r.cpuMs])));
  }
  return c;
}

export interface Env {
  tmp: string;
  useTime: boolean;
  opts: BenchOptions;
  log: (s: string) => void;
}

export async function runCase(
  e: Env,
  c: Omit<CaseResult, 'runs' | 'status'>,
  spec: (outdir: string) => MeasureSpec,
  runs: number,
): Promise<CaseResult> {
  const result: CaseResult = { ...c, runs: [], status: 'ok' };
  for (let r = 0; r < runs; r++) {
    const outdir = path.join(e.tmp, 'out', `${c.id}-${r}`);
    const run = await measure(spec(outdir), e.tmp, e.useTime, e.opts.timeoutMs);
    result.runs.push(run);
    if (run.exitCode === 0 && result.blocks === undefined) result.blocks = countBlocks(outdir);
    if (!e.opts.keep) fs.rmSync(outdir, { recursive: true, force: true });
    e.log(
      `  ${c.label} run ${r + 1}/${runs}: ${run.exitCode === 0 ? `wall ${fmtMs(run.wallMs)}, app ${fmtMs(run.appMs)}, RSS ${fmtMb(run.rssKb && (run.rssKb * 1024) / 1e6)}` : run.error}`,
    );
    if (run.exitCode !== 0 && c.kind === 'fast') break; // a rejected config is rejected every time
  }
  return summarize(result);
}

/** The production command: cdktf.json's `app`, which `cdktf synth` runs. */
export function appCommand(root = ROOT): string {
  const fallback = 'node main.ts';
  try {
    const app = (JSON.parse(fs.readFileSync(path.join(root, 'cdktf.json'), 'utf8')) as { app?: unknown }).app;
    return typeof app === 'string' && app.trim() ? app.trim() : fallback;
  } catch {
    return fallback;
  }
}

export const isProbed = (p: ProbeRecord): boolean => p.argv.some((a) => /(^|[/\\])main\.ts$/.test(a));

/**
 * Runs the app command as production does. A plain `node …` command is spawned directly with the
 * probe as the first preload; anything else goes through `sh -c` with the probe in NODE_OPTIONS.
 */
export function fastSpec(outdir: string, configFile?: string): MeasureSpec {
  const env: NodeJS.ProcessEnv = { ...baseEnv(), CDKTF_OUTDIR: outdir };
  if (configFile) env.CENTRAL_AUTH_CONFIG = configFile;
  const app = appCommand();
  const tokens = app.split(/\s+/);
  if (tokens[0] === 'node' && !/[;&|<>$`'"\\()*?~]/.test(app)) {
    return { command: [process.execPath, '-r', PROBE, ...tokens.slice(1)], cwd: ROOT, env };
  }
  return { command: ['sh', '-c', app], cwd: ROOT, env: { ...env, NODE_OPTIONS: `--require "${PROBE}"` }, isApp: isProbed };
}

/** ts-node if the project has it, else the compiler-API fallback. */
export function naiveLoader(): { label: string; register: string } {
  try {
    require.resolve('ts-node/register', { paths: [ROOT] });
    return { label: 'ts-node + root imports', register: 'ts-node/register' };
  } catch {
    return { label: 'tsc + root imports', register: TSC_REGISTER };
  }
}
