/** One measured child process: wall time, the probe's app time, peak RSS and CPU time. */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { TIME_BIN } from './paths';

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

export interface MeasureSpec {
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
export function onInterrupt(tmp: string, keep: boolean): () => void {
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

export async function measure(spec: MeasureSpec, tmp: string, useTime: boolean, timeoutMs: number): Promise<RunResult> {
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

export function timeWorks(tmp: string): boolean {
  if (!fs.existsSync(TIME_BIN)) return false;
  const out = path.join(tmp, 'time-check.txt');
  const res = spawnSync(TIME_BIN, ['-o', out, '-f', '%M %U %S', process.execPath, '-e', '0'], { stdio: 'ignore' });
  return res.status === 0 && fs.existsSync(out) && /^\d+ [\d.]+ [\d.]+$/.test(fs.readFileSync(out, 'utf8').trim());
}
