/** Summary statistics of repeated runs, and how the report prints them. */

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

export const fmtMs = (v: number | undefined): string =>
  v === undefined ? '–' : v >= 10_000 ? `${(v / 1000).toFixed(1)} s` : `${Math.round(v)} ms`;
export const fmtMb = (v: number | undefined): string => (v === undefined ? '–' : `${Math.round(v)} MB`);
export const fmtStats = (s: Stats | undefined, f: (v: number) => string, range: boolean): string =>
  s === undefined ? '–' : range && s.min !== s.max ? `${f(s.median)} (${f(s.min)}–${f(s.max)})` : f(s.median);
