/** Pairing and the report of `npm run bench:verifier`. Pure: results in, numbers and Markdown out. */
import type { WrkResult } from './wrk';

/** One timed run of one side. */
export interface Run extends WrkResult {
  /** CPU time the server process spent, per request, in microseconds. */
  readonly cpuUsPerRequest: number;
}

/** Every run of one scenario: floor and verifier alternate, round after round, on the same core. */
export interface ScenarioRuns {
  readonly name: string;
  readonly floor: readonly Run[];
  readonly verifier: readonly Run[];
}

export interface ScenarioSummary {
  readonly name: string;
  readonly rounds: number;
  readonly floor: { readonly rps: number; readonly p50Ms: number; readonly p99Ms: number; readonly cpuUs: number };
  readonly verifier: { readonly rps: number; readonly p50Ms: number; readonly p99Ms: number; readonly cpuUs: number };
  /** Median of the per-round ratios verifier / floor (each round's pair ran back to back). */
  readonly rpsRatio: number;
  readonly p99Ratio: number;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of nothing');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Medians of each side, and the median of the paired ratios (a round's noise hits both of its runs). */
export function summarize(s: ScenarioRuns): ScenarioSummary {
  if (s.floor.length !== s.verifier.length || s.floor.length === 0)
    throw new Error(`${s.name}: ${s.floor.length} floor runs and ${s.verifier.length} verifier runs cannot be paired`);
  const side = (runs: readonly Run[]) => ({
    rps: median(runs.map((r) => r.requestsPerSecond)),
    p50Ms: median(runs.map((r) => r.p50Ms)),
    p99Ms: median(runs.map((r) => r.p99Ms)),
    cpuUs: median(runs.map((r) => r.cpuUsPerRequest)),
  });
  return {
    name: s.name,
    rounds: s.floor.length,
    floor: side(s.floor),
    verifier: side(s.verifier),
    rpsRatio: median(s.floor.map((f, i) => s.verifier[i]!.requestsPerSecond / f.requestsPerSecond)),
    p99Ratio: median(s.floor.map((f, i) => s.verifier[i]!.p99Ms / f.p99Ms)),
  };
}

const n = (v: number, digits = 0) => v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** The Markdown table docs/benchmark.md records. */
export function markdownTable(rows: readonly ScenarioSummary[]): string {
  return [
    '| scenario | floor req/s | verifier req/s | ratio | floor p50 / p99 ms | verifier p50 / p99 ms | p99 ratio | CPU µs/req floor / verifier |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.name} | ${n(r.floor.rps)} | ${n(r.verifier.rps)} | ${n(r.rpsRatio, 2)}× | ${n(r.floor.p50Ms, 2)} / ${n(r.floor.p99Ms, 2)} | ${n(r.verifier.p50Ms, 2)} / ${n(r.verifier.p99Ms, 2)} | ${n(r.p99Ratio, 2)}× | ${n(r.floor.cpuUs)} / ${n(r.verifier.cpuUs)} |`,
    ),
  ].join('\n');
}
