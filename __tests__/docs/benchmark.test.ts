// docs/benchmark.md against the code: the options and defaults of `npm run bench` and
// `npm run bench:verifier`, the targets it judges, and the "resources + data" column of its results,
// which is what the example and the generated configs synthesize to today.
import { prepareConfig } from '../../modules/config/load';
import { generateConfig, parseArgs, TARGETS } from '../../scripts/bench';
import { UsageError } from '../../scripts/bench/options';
import { parseOptions } from '../../scripts/bench-verifier/run';
import { configWith, synthAll, type TerraformJson } from '../helpers';
import { prose, readDoc } from './markdown';

const doc = readDoc('docs/benchmark.md');
const section = (from: string, to: string): string => doc.slice(doc.indexOf(from), doc.indexOf(to, doc.indexOf(from)));

/** Resource and data blocks of the three stacks: what the bench counts (countBlocks in scripts/bench/cases.ts). */
function blocks(tf: Record<string, TerraformJson>): number {
  return Object.values(tf).reduce(
    (n, stack) =>
      n +
      [stack.resource, stack.data].reduce(
        (m, group) => m + Object.values(group ?? {}).reduce((k, byName) => k + Object.keys(byName).length, 0),
        0,
      ),
    0,
  );
}

describe('npm run bench', () => {
  const usage = section('# Synth benchmark', '## What is measured');
  const defaults = parseArgs([]);

  test('takes every option the doc names', () => {
    // GIVEN the options of the usage part, with a value where one is needed
    const options = [...new Set([...usage.matchAll(/(--[a-z][a-z-]*)/g)].map((m) => m[1]!))];
    const values: Record<string, string[]> = { '--runs': ['2'], '--timeout': ['5'], '--sizes': ['1,10'], '--merge': ['{}'] };
    expect(options.sort()).toEqual([
      '--breakdown',
      '--help',
      '--json',
      '--keep',
      '--merge',
      '--no-cli',
      '--no-naive',
      '--quick',
      '--runs',
      '--sizes',
      '--timeout',
    ]);
    // THEN each parses; --help is the one answered with the usage instead of a run
    for (const option of options.filter((o) => o !== '--help')) expect(() => parseArgs([option, ...(values[option] ?? [])])).not.toThrow();
    expect(() => parseArgs(['--help'])).toThrow(UsageError);
  });

  test('its defaults are the ones the doc gives', () => {
    expect(usage).toContain(`generated configs of ${defaults.sizes.slice(0, -1).join(', ')} and ${defaults.sizes.at(-1)} apps`);
    expect(usage).toContain(`# ${defaults.runs} runs per case`);
    expect(usage).toContain(`\`--timeout S\` (per child, default ${defaults.timeoutMs / 1000})`);
  });

  test('the targets table has the targets the report judges, with their thresholds', () => {
    const targets = section('## Targets (informational)', '## Results');
    expect(
      prose(targets)
        .split('\n')
        .filter((l) => l.startsWith('| ') && !l.startsWith('| target')),
    ).toHaveLength(5);
    expect(targets).toContain(`< ${TARGETS.defaultAppMs.toLocaleString('en')} ms`);
    expect(targets).toContain(`≤ ${TARGETS.cdktfRatio} ×`);
    expect(targets).toContain(`${TARGETS.largeApps}-app config < ${TARGETS.largeAppMs.toLocaleString('en')} ms`);
    expect(targets).toContain(`at most ${TARGETS.slopeGrowth}× the one before`);
    expect(targets).toContain(`< ${TARGETS.peakRssMb} MB`);
  });
});

describe('the results table', () => {
  // GIVEN the rows of the latest run, by case
  const rows = prose(section('## Results', '### Before and after'))
    .split('\n')
    .filter((l) => l.startsWith('| ') && !l.startsWith('| case'))
    .map((l) => l.split(' | ').map((c) => c.replace(/^\| /, '').trim()));
  const count = (label: string): string | undefined => rows.find((r) => r[0] === label)?.[2];
  const example = blocks(synthAll(configWith()).tf);

  test('every case of the example counts what the example synthesizes to', () => {
    expect(count('example (default)')).toBe(String(example));
    expect(count('naive: ts-node + root imports (example)')).toBe(String(example));
    expect(count('`npx cdktf synth` (example, 1 run; app time = the app process)')).toBe(String(example));
  });

  test.each([1, 10, 100, 500])('generated, %i app(s): what that config synthesizes to', (n) => {
    const tf = synthAll(prepareConfig(generateConfig(n))).tf;
    expect(count(`generated, ${n} app${n === 1 ? '' : 's'}`)).toBe(String(blocks(tf)));
  });
});

describe('npm run bench:verifier', () => {
  test('takes the options the doc names, with its defaults', () => {
    const text = section('## Identity verifier', '## Test time');
    expect(text).toContain('Options: `--seconds N`, `--rounds N`, `--verifier DIR`');
    expect(parseOptions(['--seconds', '1', '--rounds', '1', '--verifier', 'verifier'])).toMatchObject({ seconds: 1, rounds: 1 });
    expect(parseOptions([])).toMatchObject({ seconds: 5, rounds: 3 });
    expect(text).toContain('three rounds of 5 s');
  });
});
