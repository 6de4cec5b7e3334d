/** The report: informational targets and the Markdown rendering. */
import type { CaseResult } from './cases';
import type { ProbeRecord } from './measure';
import type { BenchOptions } from './options';
import { fmtMb, fmtMs, fmtStats } from './stats';

/** Informational targets: PASS/MISS is printed, nothing fails. */
export const TARGETS = {
  defaultAppMs: 1000,
  /** the default synth's app time at most this multiple of `require("cdktf")`'s, same run */
  cdktfRatio: 2,
  largeApps: 500,
  largeAppMs: 3000,
  peakRssMb: 300,
  /** "roughly linear": the last ms/app slope is at most this multiple of the one before it */
  slopeGrowth: 2,
} as const;

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

export function evaluateTargets(cases: readonly CaseResult[]): Report['targets'] {
  const targets: Report['targets'] = [];
  const example = cases.find((c) => c.id === 'example');
  const app = example?.appMs?.median;
  targets.push({
    target: `default synth app time < ${TARGETS.defaultAppMs / 1000} s`,
    measured: example?.status === 'ok' ? fmtMs(app) : (example?.error ?? 'not run'),
    status: app === undefined ? 'n/a' : app < TARGETS.defaultAppMs ? 'PASS' : 'MISS',
  });
  const floor = cases.find((c) => c.id === 'require-cdktf')?.appMs?.median;
  const ratio = app !== undefined && floor ? app / floor : undefined;
  targets.push({
    target: `default synth app time ≤ ${TARGETS.cdktfRatio}× \`require("cdktf")\``,
    measured: ratio === undefined ? 'not run' : `${fmtMs(app)} / ${fmtMs(floor)} = ×${ratio.toFixed(2)}`,
    status: ratio === undefined ? 'n/a' : ratio <= TARGETS.cdktfRatio ? 'PASS' : 'MISS',
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
