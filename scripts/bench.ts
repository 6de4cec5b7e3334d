/**
 * Synth benchmark: `npm run bench -- [options]` (a measurement, never a test: it exits 0 however
 * slow the results are; it exits 2 on bad usage and 1 if it cannot run at all).
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
import { type BenchOptions, parseArgs, UsageError } from './bench/options';
import { renderMarkdown } from './bench/report';
import { runBench } from './bench/run';

export { appCommand, type CaseResult, countBlocks } from './bench/cases';
export { describeMix, generateConfig } from './bench/configs';
export { firstErrorLine, type ProbeRecord, type RunResult } from './bench/measure';
export { type BenchOptions, parseArgs } from './bench/options';
export { evaluateTargets, type Report, renderMarkdown, TARGETS } from './bench/report';
export { runBench } from './bench/run';
export { type Stats, stats } from './bench/stats';

async function main(): Promise<void> {
  let opts: BenchOptions;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    const usage =
      'usage: npm run bench -- [--runs N | --quick] [--json] [--sizes 1,10,100,500] [--merge JSON] [--no-naive] [--no-cli] [--breakdown] [--timeout S] [--keep]\n';
    // --help (no message) is an answer on stdout; a mistake goes to stderr with exit 2, as every script's.
    if (err.message) process.stderr.write(`bench: ${err.message}\n${usage}`);
    else process.stdout.write(usage);
    process.exit(err.message ? 2 : 0);
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
