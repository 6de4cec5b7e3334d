/** The smoke check's output: one line per check and a summary, or one JSON document. Pure. */
import type { CheckResult } from './types';

export interface Report {
  readonly environment: string;
  /** The config file checked. */
  readonly config: string;
  readonly hosts: number;
  readonly results: readonly CheckResult[];
  /** HTTPS probes not run because their host's certificate failed. */
  readonly skipped: number;
  /** Synthesizing the stacks. */
  readonly synthMs: number;
  /** The AWS lookups and every probe. */
  readonly checkMs: number;
}

/** `ok   <check> <target>` or `FAIL <check> <target>: expected X, saw Y — look at Z`. */
export function formatLine(r: CheckResult): string {
  if (r.status === 'ok') return `ok   ${r.check} ${r.target}`;
  return `${r.status} ${r.check} ${r.target}: expected ${r.expected}, saw ${r.saw} — look at ${r.lookAt}`;
}

export function counts(results: readonly CheckResult[]): { ok: number; warn: number; fail: number } {
  return {
    ok: results.filter((r) => r.status === 'ok').length,
    warn: results.filter((r) => r.status === 'WARN').length,
    fail: results.filter((r) => r.status === 'FAIL').length,
  };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export function summaryLine(report: Report): string {
  const c = counts(report.results);
  const skipped = report.skipped > 0 ? `, ${report.skipped} skipped after a certificate failure` : '';
  return `smoke: ${c.ok} ok, ${c.warn} WARN, ${c.fail} FAIL${skipped}: ${report.hosts} hosts of ${report.environment} checked in ${seconds(report.checkMs)} (synth ${seconds(report.synthMs)})`;
}

export function renderText(report: Report): string {
  return `${[...report.results.map(formatLine), summaryLine(report)].join('\n')}\n`;
}

export function renderJson(report: Report): string {
  return `${JSON.stringify({ ...report, summary: counts(report.results), lines: report.results.map(formatLine) }, null, 2)}\n`;
}

/** 1 on any FAIL; WARNs alone pass. */
export function exitCode(results: readonly CheckResult[]): number {
  return results.some((r) => r.status === 'FAIL') ? 1 : 0;
}
