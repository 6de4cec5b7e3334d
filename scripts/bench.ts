/**
 * Synth benchmark: `npm run bench -- [options]` (a measurement, never a test: it exits 0 however
 * slow the results are; it exits 1 only on bad usage or if it cannot run at all).
 *
 * Synthesizes the embedded example and generated configs of 1, 10, 100 and 500 apps, each run in
 * a FRESH child process exactly like production (the `app` command of cdktf.json, e.g.
 * `node -r ./scripts/ts-register.js main.ts`, so module loading is counted), and prints per case the wall time (spawn → exit), the app time (inside the
 * child, start → exit) and the child's peak RSS. It also runs, in the same session, the naive way
 * of doing the default synth (root-barrel provider imports + a type-checking loader) for a
 * naive/fast ratio, and `npx cdktf synth` once.
 *
 * Options:
 *   --runs N        runs per case (default 3; median and min–max are reported)
 *   --quick         1 run per case
 *   --json          machine-readable JSON on stdout instead of Markdown
 *   --sizes LIST    generated config sizes (default 1,10,100,500)
 *   --no-naive      skip the naive baseline
 *   --no-cli        skip `npx cdktf synth`
 *   --breakdown     also time every require() of one default synth and list where load time goes
 *   --merge JSON    object merged into every generated config (top level), e.g. raised quotas:
 *                   --merge '{"quotas":{"listenerRulesPerAlb":200}}'
 *   --timeout S     kill a child after S seconds (default 180)
 *   --keep          keep the temporary folder (configs, outputs, naive copy)
 *
 * Progress goes to stderr, the report to stdout.
 */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { EXAMPLE_CONFIG } from '../modules/config/example';
import type { AppConfig, CentralAuthConfig } from '../modules/config/types';
import { prepareNaiveTree } from './bench-naive/prepare';

const ROOT = path.resolve(__dirname, '..');
const PROBE = path.join(__dirname, 'bench-probe.js');
const TSC_REGISTER = path.join(__dirname, 'bench-naive', 'tsc-register.js');
const TIME_BIN = '/usr/bin/time';

/** Informational targets: PASS/MISS is printed, nothing fails. */
export const TARGETS = {
  defaultAppMs: 1000,
  largeApps: 500,
  largeAppMs: 3000,
  peakRssMb: 300,
  /** "roughly linear": the last ms/app slope is at most this multiple of the one before it */
  slopeGrowth: 2,
} as const;

// ---------------------------------------------------------------------------------------------
// options

export interface BenchOptions {
  runs: number;
  json: boolean;
  sizes: number[];
  naive: boolean;
  cli: boolean;
  breakdown: boolean;
  timeoutMs: number;
  keep: boolean;
  /** merged (top level) into every generated config */
  merge?: Record<string, unknown>;
}

export function parseArgs(argv: readonly string[]): BenchOptions {
  const opts: BenchOptions = {
    runs: 3,
    json: false,
    sizes: [1, 10, 100, 500],
    naive: true,
    cli: true,
    breakdown: false,
    timeoutMs: 180_000,
    keep: false,
  };
  const positive = (flag: string, value: string | undefined): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} needs a whole number ≥ 1, got ${JSON.stringify(value)}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    switch (arg) {
      case '--runs':
        opts.runs = positive(arg, argv[++i]);
        break;
      case '--quick':
        opts.runs = 1;
        break;
      case '--json':
        opts.json = true;
        break;
      case '--sizes':
        opts.sizes = (argv[++i] ?? '').split(',').map((s) => positive(arg, s.trim()));
        break;
      case '--no-naive':
        opts.naive = false;
        break;
      case '--no-cli':
        opts.cli = false;
        break;
      case '--breakdown':
        opts.breakdown = true;
        break;
      case '--timeout':
        opts.timeoutMs = positive(arg, argv[++i]) * 1000;
        break;
      case '--keep':
        opts.keep = true;
        break;
      case '--merge': {
        let value: unknown;
        try {
          value = JSON.parse(argv[++i] ?? '');
        } catch {
          value = undefined;
        }
        if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UsageError('--merge needs a JSON object');
        opts.merge = value as Record<string, unknown>;
        break;
      }
      case '--help':
      case '-h':
        throw new UsageError('');
      default:
        throw new UsageError(`unknown option ${arg}`);
    }
  }
  return opts;
}

class UsageError extends Error {}

// ---------------------------------------------------------------------------------------------
// generated configs

/**
 * EXAMPLE_CONFIG with `n` apps `app<i>.<zone>`: app1 is Grafana (protected, one public path);
 * every 10th app is public (every 20th of those runs the echo workload); every 25th (i % 25 = 3)
 * is protected with two public paths; i % 15 = 7 answers 401 (`deny`); i % 20 = 5 runs echo;
 * the rest are protected. Valid per modules/config/validate.ts (quota checks may still reject
 * large sizes).
 */
export function generateConfig(n: number): CentralAuthConfig {
  const zone = EXAMPLE_CONFIG.zoneName;
  const apps: AppConfig[] = [];
  for (let i = 1; i <= n; i++) {
    const base = { name: `app${i}`, host: `app${i}.${zone}` };
    if (i === 1) apps.push({ ...base, access: 'protected', workload: 'grafana', publicPaths: ['/api/health'] });
    else if (i % 10 === 0) apps.push({ ...base, access: 'public', ...(i % 20 === 0 ? { workload: 'echo' as const } : {}) });
    else if (i % 25 === 3) apps.push({ ...base, access: 'protected', publicPaths: ['/healthz', '/webhooks/*'] });
    else if (i % 15 === 7) apps.push({ ...base, access: 'protected', onUnauthenticated: 'deny' });
    else if (i % 20 === 5) apps.push({ ...base, access: 'protected', workload: 'echo' });
    else apps.push({ ...base, access: 'protected' });
  }
  // Past ~100 apps any realistic mix needs more than the default 100 listener rules (hosts of
  // app clients beyond the first each need one); such a platform has its ALB rule quota raised.
  return { ...EXAMPLE_CONFIG, apps, ...(n > 100 ? { quotas: { listenerRulesPerAlb: 200 } } : {}) };
}

export function describeMix(config: CentralAuthConfig): string {
  const apps = config.apps;
  const count = (f: (a: AppConfig) => boolean): number => apps.filter(f).length;
  return `${count((a) => a.access === 'protected')} protected (${count((a) => (a.publicPaths?.length ?? 0) > 0)} with public paths), ${count((a) => a.access === 'public')} public`;
}

// ---------------------------------------------------------------------------------------------
// one measured child process

export interface ProbeRecord {
  pid: number;
  ppid: number;
  argv: string[];
  bootMs: number;
  appMs: number;
  maxRssKb: number;
  cpuMs: number;
  exitCode: number;
  breakdown?: { mainStartMs?: number; importPhaseMs: number; owners: { owner: string; selfMs: number; loads: number; files: number }[] };
}

export interface RunResult {
  wallMs: number;
  /** time inside the app process, start → exit (probe) */
  appMs?: number;
  /** node start-up before the first preload ran (probe) */
  bootMs?: number;
  /** peak RSS of the child (with the CLI: of its largest process), KiB */
  rssKb?: number;
  /** user + system CPU time of the child and its descendants */
  cpuMs?: number;
  exitCode: number | null;
  timedOut: boolean;
  /** first meaningful line of the error output when the run failed */
  error?: string;
  probes: ProbeRecord[];
}

interface MeasureSpec {
  command: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** picks the app's probe record among the child's processes (default: the only/first one) */
  isApp?: (p: ProbeRecord) => boolean;
}

let sequence = 0;
/** process groups of running children, killed if the bench itself is interrupted */
const running = new Set<number>();

/** On Ctrl-C or SIGTERM: end the running children's trees, remove the temp folder, exit 130. */
function onInterrupt(tmp: string, keep: boolean): () => void {
  const handler = (): void => {
    for (const pid of running) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
    if (!keep) fs.rmSync(tmp, { recursive: true, force: true });
    process.exit(130);
  };
  process.once('SIGINT', handler);
  process.once('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}

async function measure(spec: MeasureSpec, tmp: string, useTime: boolean, timeoutMs: number): Promise<RunResult> {
  const id = ++sequence;
  const probeFile = path.join(tmp, `probe-${id}.jsonl`);
  const timeFile = path.join(tmp, `time-${id}.txt`);
  const [cmd, ...args] = useTime ? [TIME_BIN, '-o', timeFile, '-f', '%M %U %S', ...spec.command] : spec.command;
  const env = { ...spec.env, BENCH_PROBE_FILE: probeFile, BENCH_PROJECT_ROOT: spec.cwd };
  let stderr = '';
  const start = process.hrtime.bigint();
  const { code, timedOut } = await new Promise<{ code: number | null; timedOut: boolean }>((resolve) => {
    // own process group, so a timeout or Ctrl-C can end the whole tree (time → node → zip …)
    const child = spawn(cmd, args, { cwd: spec.cwd, env, stdio: ['ignore', 'ignore', 'pipe'], detached: true });
    if (child.pid !== undefined) running.add(child.pid);
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, timeoutMs);
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-65536);
    });
    child.on('error', (err) => {
      stderr += `\n${err.message}`;
    });
    child.on('close', (c) => {
      clearTimeout(timer);
      if (child.pid !== undefined) running.delete(child.pid);
      resolve({ code: c, timedOut: killed });
    });
  });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;

  const probes: ProbeRecord[] = fs.existsSync(probeFile)
    ? fs
        .readFileSync(probeFile, 'utf8')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as ProbeRecord)
    : [];
  const app = probes.find(spec.isApp ?? (() => true));
  let rssKb: number | undefined;
  let cpuMs: number | undefined;
  if (useTime && fs.existsSync(timeFile)) {
    // "Command exited with non-zero status N" may come first
    const last = fs.readFileSync(timeFile, 'utf8').trim().split('\n').pop() ?? '';
    const m = /^(\d+) ([\d.]+) ([\d.]+)$/.exec(last);
    if (m) {
      rssKb = Number(m[1]);
      cpuMs = (Number(m[2]) + Number(m[3])) * 1000;
    }
  }
  rssKb ??= probes.length > 0 ? Math.max(...probes.map((p) => p.maxRssKb)) : undefined;
  cpuMs ??= probes.length > 0 ? probes.reduce((sum, p) => sum + p.cpuMs, 0) : undefined;
  const result: RunResult = { wallMs, appMs: app?.appMs, bootMs: app?.bootMs, rssKb, cpuMs, exitCode: code, timedOut, probes };
  if (timedOut) result.error = `timed out after ${timeoutMs / 1000} s`;
  else if (code !== 0) result.error = firstErrorLine(stderr.split(`${tmp}${path.sep}`).join('')) || `exit code ${code}`;
  return result;
}

/**
 * The line that says what went wrong: a config error's heading plus its first problem, or an
 * uncaught error's `Error: …` line, else the first non-empty line.
 */
export function firstErrorLine(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('Command exited with non-zero status'));
  const cut = (text: string): string => (text.length > 300 ? `${text.slice(0, 299)}…` : text);
  const invalid = lines.findIndex((l) => /^Invalid /.test(l));
  if (invalid >= 0) return cut([lines[invalid], lines[invalid + 1]?.replace(/^- /, '')].filter(Boolean).join(' '));
  const error = lines.find((l) => /^([A-Z]\w*)?Error\b/.test(l));
  return cut(error ?? lines[0] ?? '');
}

function timeWorks(tmp: string): boolean {
  if (!fs.existsSync(TIME_BIN)) return false;
  const out = path.join(tmp, 'time-check.txt');
  const res = spawnSync(TIME_BIN, ['-o', out, '-f', '%M %U %S', process.execPath, '-e', '0'], { stdio: 'ignore' });
  return res.status === 0 && fs.existsSync(out) && /^\d+ [\d.]+ [\d.]+$/.test(fs.readFileSync(out, 'utf8').trim());
}

// ---------------------------------------------------------------------------------------------
// cases

export interface CaseResult {
  id: string;
  label: string;
  apps: number;
  kind: 'fast' | 'naive' | 'cli';
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

export interface Stats {
  median: number;
  min: number;
  max: number;
}

export function stats(values: readonly number[]): Stats | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1] };
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

function baseEnv(): NodeJS.ProcessEnv {
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

interface Env {
  tmp: string;
  useTime: boolean;
  opts: BenchOptions;
  log: (s: string) => void;
}

async function runCase(
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

const isProbed = (p: ProbeRecord): boolean => p.argv.some((a) => /(^|[/\\])main\.ts$/.test(a));

/**
 * Runs the app command as production does. A plain `node …` command is spawned directly with the
 * probe as the first preload; anything else goes through `sh -c` with the probe in NODE_OPTIONS.
 */
function fastSpec(outdir: string, configFile?: string): MeasureSpec {
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
function naiveLoader(): { label: string; register: string } {
  try {
    require.resolve('ts-node/register', { paths: [ROOT] });
    return { label: 'ts-node + root imports', register: 'ts-node/register' };
  } catch {
    return { label: 'tsc + root imports', register: TSC_REGISTER };
  }
}

// ---------------------------------------------------------------------------------------------
// report

export interface Report {
  machine: {
    node: string;
    platform: string;
    cpus: number;
    cpuModel: string;
    memoryGb: number;
    rssSource: string;
    loadAverage: { start: number; end: number };
  };
  options: BenchOptions;
  cases: CaseResult[];
  ratios?: { wall?: number; app?: number; rss?: number; naive: string };
  targets: { target: string; measured: string; status: 'PASS' | 'MISS' | 'n/a' }[];
  breakdown?: NonNullable<ProbeRecord['breakdown']> & { appMs: number; bootMs: number };
  totalSeconds: number;
}

const fmtMs = (v: number | undefined): string =>
  v === undefined ? '–' : v >= 10_000 ? `${(v / 1000).toFixed(1)} s` : `${Math.round(v)} ms`;
const fmtMb = (v: number | undefined): string => (v === undefined ? '–' : `${Math.round(v)} MB`);
const fmtStats = (s: Stats | undefined, f: (v: number) => string, range: boolean): string =>
  s === undefined ? '–' : range && s.min !== s.max ? `${f(s.median)} (${f(s.min)}–${f(s.max)})` : f(s.median);

export function evaluateTargets(cases: readonly CaseResult[]): Report['targets'] {
  const targets: Report['targets'] = [];
  const example = cases.find((c) => c.id === 'example');
  const app = example?.appMs?.median;
  targets.push({
    target: `default synth app time < ${TARGETS.defaultAppMs / 1000} s`,
    measured: example?.status === 'ok' ? fmtMs(app) : (example?.error ?? 'not run'),
    status: app === undefined ? 'n/a' : app < TARGETS.defaultAppMs ? 'PASS' : 'MISS',
  });
  const large = cases.find((c) => c.kind === 'fast' && c.id === `apps-${TARGETS.largeApps}`);
  const largeMs = large?.appMs?.median;
  targets.push({
    target: `${TARGETS.largeApps} apps app time < ${TARGETS.largeAppMs / 1000} s`,
    measured:
      large === undefined
        ? 'not run'
        : large.status === 'ok'
          ? fmtMs(largeMs)
          : `${large.status} (see above; raise quotas with --merge to measure it)`,
    status: largeMs === undefined ? 'n/a' : largeMs < TARGETS.largeAppMs ? 'PASS' : 'MISS',
  });
  // slopes between consecutive generated sizes that synthesized
  const points = cases
    .filter((c) => c.kind === 'fast' && c.id.startsWith('apps-') && c.appMs)
    .map((c) => ({ n: c.apps, ms: c.appMs!.median }));
  const slopes = points.slice(1).map((p, i) => ({ from: points[i].n, to: p.n, perApp: (p.ms - points[i].ms) / (p.n - points[i].n) }));
  const last = slopes[slopes.length - 1];
  const before = slopes[slopes.length - 2];
  targets.push({
    target: `growth roughly linear (last ms/app ≤ ${TARGETS.slopeGrowth}× the previous)`,
    measured: slopes.length === 0 ? 'needs two sizes' : slopes.map((s) => `${s.from}→${s.to}: ${s.perApp.toFixed(2)} ms/app`).join('; '),
    // below 1 ms/app differences are noise
    status: !last || !before ? 'n/a' : last.perApp <= TARGETS.slopeGrowth * Math.max(before.perApp, 1) ? 'PASS' : 'MISS',
  });
  const fast = cases.filter((c) => c.kind === 'fast' && c.rssMb);
  const worst = fast.reduce<CaseResult | undefined>((w, c) => (!w || c.rssMb!.median > w.rssMb!.median ? c : w), undefined);
  targets.push({
    target: `peak RSS < ${TARGETS.peakRssMb} MB (every synthesized case)`,
    measured: worst ? `worst ${fmtMb(worst.rssMb!.median)} (${worst.label})` : 'no data',
    status: !worst ? 'n/a' : worst.rssMb!.median < TARGETS.peakRssMb ? 'PASS' : 'MISS',
  });
  return targets;
}

export function renderMarkdown(r: Report): string {
  const m = r.machine;
  const out: string[] = [];
  const cell = (text: string): string => text.replace(/\|/g, '\\|');
  out.push('## Synth benchmark', '');
  out.push(
    `Node ${m.node} on ${m.platform}, ${m.cpus} × ${m.cpuModel}, ${m.memoryGb} GB RAM; ` +
      `1-min load average ${m.loadAverage.start.toFixed(2)} at start, ${m.loadAverage.end.toFixed(2)} at end. ` +
      `${r.options.runs} run${r.options.runs === 1 ? '' : 's'} per case, each a fresh process, median (min–max). ` +
      `Wall = spawn → exit; app = inside the app process, start → exit; CPU = user + system of the child; ` +
      `peak RSS from ${m.rssSource}, MB = 10⁶ bytes.`,
    '',
  );
  if (Math.max(m.loadAverage.start, m.loadAverage.end) > m.cpus) {
    out.push(
      `> Load average above the CPU count: other processes shared the CPUs, so wall and app times are inflated; CPU time is the steadier figure.`,
      '',
    );
  }
  const fast = r.cases.find((c) => c.id === 'example');
  if (fast)
    out.push(
      `Fast path = the cdktf.json app command \`${fast.command}\`; generated configs are selected with \`CENTRAL_AUTH_CONFIG\`.`,
      '',
    );
  if (r.options.merge) out.push(`Generated configs merged with \`${JSON.stringify(r.options.merge)}\`.`, '');
  out.push('| case | apps | resources + data | wall | app time | CPU | peak RSS | result |', '|---|---:|---:|---|---|---|---|---|');
  for (const c of r.cases) {
    const result = c.status === 'ok' ? 'ok' : `${c.status}: ${c.error ?? ''}`;
    out.push(
      `| ${cell(c.label)} | ${c.apps} | ${c.blocks ?? '–'} | ${fmtStats(c.wallMs, fmtMs, true)} | ${fmtStats(c.appMs, fmtMs, true)} | ` +
        `${fmtStats(c.cpuMs, fmtMs, false)} | ${fmtStats(c.rssMb, fmtMb, true)} | ${cell(result)} |`,
    );
  }
  out.push('');
  if (r.ratios) {
    const x = (v: number | undefined): string => (v === undefined ? '–' : `×${v.toFixed(1)}`);
    out.push(
      `**Naive (${r.ratios.naive}) / fast**, default config, same session: wall ${x(r.ratios.wall)}, app time ${x(r.ratios.app)}, peak RSS ${x(r.ratios.rss)}.`,
      '',
    );
  }
  out.push('| target (informational) | measured | |', '|---|---|---|');
  for (const t of r.targets) out.push(`| ${t.target} | ${cell(t.measured)} | ${t.status} |`);
  out.push('');
  if (r.breakdown) {
    const b = r.breakdown;
    const preloads = b.mainStartMs === undefined ? undefined : b.mainStartMs - b.bootMs;
    const rest = b.appMs - (b.mainStartMs ?? b.bootMs) - b.importPhaseMs;
    out.push(
      '### Where one default synth spends its time (with require() timing on, which adds a little)',
      '',
      `App time ${fmtMs(b.appMs)} = node start-up ${fmtMs(b.bootMs)} + preloads (TS loader) ${fmtMs(preloads)} + ` +
        `main.ts imports ${fmtMs(b.importPhaseMs)} + build, synth and write ${fmtMs(rest)}.`,
      '',
      '| loaded from | self time of require() (incl. swc compile) | files |',
      '|---|---:|---:|',
    );
    const owners = [...b.owners].sort((a, z) => z.selfMs - a.selfMs);
    for (const o of owners.slice(0, 12)) out.push(`| ${cell(o.owner)} | ${fmtMs(o.selfMs)} | ${o.files} |`);
    const others = owners.slice(12);
    if (others.length)
      out.push(
        `| ${others.length} others | ${fmtMs(others.reduce((s, o) => s + o.selfMs, 0))} | ${others.reduce((s, o) => s + o.files, 0)} |`,
      );
    out.push('');
  }
  out.push(`Total benchmark time ${r.totalSeconds.toFixed(0)} s.`);
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------

export async function runBench(opts: BenchOptions, log: (s: string) => void): Promise<Report> {
  const started = Date.now();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'central-auth-bench-'));
  const removeInterruptHandler = onInterrupt(tmp, opts.keep);
  const useTime = timeWorks(tmp);
  const e: Env = { tmp, useTime, opts, log };
  const cpus = os.cpus();
  const machine: Report['machine'] = {
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    memoryGb: Math.round(os.totalmem() / 1e9),
    rssSource: useTime ? '`/usr/bin/time -f %M`' : 'process.resourceUsage().maxRSS',
    loadAverage: { start: os.loadavg()[0], end: 0 },
  };
  log(`bench: temp folder ${tmp}; peak RSS from ${machine.rssSource}`);
  const cases: CaseResult[] = [];
  fs.mkdirSync(path.join(tmp, 'out'));
  try {
    log('warm-up: one untimed default synth (file cache, swc native binary)');
    await measure(fastSpec(path.join(tmp, 'out', 'warm-up')), tmp, useTime, opts.timeoutMs);
    fs.rmSync(path.join(tmp, 'out', 'warm-up'), { recursive: true, force: true });

    const fastCommand = appCommand();
    log(`app command (cdktf.json): ${fastCommand}`);
    cases.push(
      await runCase(
        e,
        { id: 'example', label: 'example (default)', apps: EXAMPLE_CONFIG.apps.length, kind: 'fast', command: fastCommand },
        (o) => fastSpec(o),
        opts.runs,
      ),
    );
    for (const n of opts.sizes) {
      const config = { ...generateConfig(n), ...opts.merge } as CentralAuthConfig;
      const file = path.join(tmp, `config-${n}.json`);
      fs.writeFileSync(file, JSON.stringify(config, null, 2));
      log(`generated ${n} apps: ${describeMix(config)}`);
      cases.push(
        await runCase(
          e,
          {
            id: `apps-${n}`,
            label: `generated, ${n} app${n === 1 ? '' : 's'}`,
            apps: n,
            kind: 'fast',
            command: `CENTRAL_AUTH_CONFIG=${path.basename(file)} ${fastCommand}`,
          },
          (o) => fastSpec(o, file),
          opts.runs,
        ),
      );
    }

    let ratios: Report['ratios'];
    if (opts.naive) {
      const loader = naiveLoader();
      const label = `naive: ${loader.label} (example)`;
      let naive: CaseResult;
      try {
        const tree = prepareNaiveTree(ROOT, path.join(tmp, 'naive'));
        log(
          `naive copy: ${tree.files} .ts files, ${tree.rewrittenImports} provider imports rewritten to the root barrels, loader ${loader.register}`,
        );
        naive = await runCase(
          e,
          {
            id: 'naive',
            label,
            apps: EXAMPLE_CONFIG.apps.length,
            kind: 'naive',
            command: `node -r ${loader.register === TSC_REGISTER ? 'scripts/bench-naive/tsc-register.js' : loader.register} main.ts (copy with root-barrel imports)`,
          },
          (outdir) => ({
            command: [process.execPath, '-r', PROBE, '-r', loader.register, 'main.ts'],
            cwd: tree.dir,
            env: { ...baseEnv(), CDKTF_OUTDIR: outdir },
          }),
          opts.runs,
        );
      } catch (err) {
        naive = {
          id: 'naive',
          label,
          apps: EXAMPLE_CONFIG.apps.length,
          kind: 'naive',
          command: '',
          runs: [],
          status: 'failed',
          error: (err as Error).message.split('\n')[0],
        };
        log(`naive baseline failed: ${naive.error}`);
      }
      cases.push(naive);
      const fast = cases[0];
      const ratio = (a?: Stats, b?: Stats): number | undefined => (a && b ? a.median / b.median : undefined);
      ratios = {
        naive: loader.label,
        wall: ratio(naive.wallMs, fast.wallMs),
        app: ratio(naive.appMs, fast.appMs),
        rss: ratio(naive.rssMb, fast.rssMb),
      };
    }

    if (opts.cli) {
      cases.push(
        await runCase(
          e,
          {
            id: 'cli',
            label: '`npx cdktf synth` (example, 1 run; app time = the app process)',
            apps: EXAMPLE_CONFIG.apps.length,
            kind: 'cli',
            command: 'npx cdktf synth --output <tmp>',
          },
          (outdir) => ({
            command: ['npx', 'cdktf', 'synth', '--output', outdir],
            cwd: ROOT,
            env: { ...baseEnv(), NODE_OPTIONS: `--require "${PROBE}"` },
            isApp: isProbed,
          }),
          1,
        ),
      );
    }

    let breakdown: Report['breakdown'];
    if (opts.breakdown) {
      log('breakdown: one default synth with require() timing');
      const outdir = path.join(tmp, 'out', 'breakdown');
      const spec = fastSpec(outdir);
      spec.env.BENCH_BREAKDOWN = '1';
      const run = await measure(spec, tmp, useTime, opts.timeoutMs);
      const b = run.probes[0]?.breakdown;
      if (b) breakdown = { ...b, appMs: run.appMs ?? 0, bootMs: run.bootMs ?? 0 };
      fs.rmSync(outdir, { recursive: true, force: true });
    }

    machine.loadAverage.end = os.loadavg()[0];
    return {
      machine,
      options: opts,
      cases,
      ratios,
      targets: evaluateTargets(cases),
      breakdown,
      totalSeconds: (Date.now() - started) / 1000,
    };
  } finally {
    removeInterruptHandler();
    if (opts.keep) log(`kept ${tmp}`);
    else fs.rmSync(tmp, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  let opts: BenchOptions;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    if (err.message) process.stderr.write(`bench: ${err.message}\n`);
    process.stderr.write(
      'usage: npm run bench -- [--runs N | --quick] [--json] [--sizes 1,10,100,500] [--merge JSON] [--no-naive] [--no-cli] [--breakdown] [--timeout S] [--keep]\n',
    );
    process.exit(err.message ? 1 : 0);
  }
  const report = await runBench(opts, (s) => process.stderr.write(`${s}\n`));
  if (opts.json) {
    // drop per-run probe details except what the summary needs
    const slim = { ...report, cases: report.cases.map((c) => ({ ...c, runs: c.runs.map(({ probes: _p, ...run }) => run) })) };
    process.stdout.write(`${JSON.stringify(slim, null, 2)}\n`);
  } else {
    process.stdout.write(`${renderMarkdown(report)}\n`);
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`bench: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  });
}
