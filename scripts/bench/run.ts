/** One whole benchmark session: warm-up, the cases in order, the naive baseline, the CLI and the breakdown. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { EXAMPLE_CONFIG } from '../../modules/config/example';
import type { CentralAuthConfig } from '../../modules/config/types';
import { prepareNaiveTree } from '../bench-naive/prepare';
import { appCommand, baseEnv, type CaseResult, type Env, fastSpec, isProbed, naiveLoader, runCase } from './cases';
import { describeMix, generateConfig } from './configs';
import { measure, onInterrupt, timeWorks } from './measure';
import type { BenchOptions } from './options';
import { PROBE, ROOT, TSC_REGISTER } from './paths';
import { evaluateTargets, type Report } from './report';
import type { Stats } from './stats';

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
    // The floor any cdktf app pays: Node.js start-up plus loading cdktf itself, measured the same way.
    cases.push(
      await runCase(
        e,
        {
          id: 'require-cdktf',
          label: 'baseline: `node -e \'require("cdktf")\'`',
          apps: 0,
          kind: 'baseline',
          command: `node -e 'require("cdktf")'`,
        },
        () => ({ command: [process.execPath, '-r', PROBE, '-e', 'require("cdktf")'], cwd: ROOT, env: baseEnv() }),
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
