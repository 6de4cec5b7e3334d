// The commands the docs give: every option they pass to an `npm run` script is one its usage lists
// (help.test.ts runs each script's --help), and docs/smoke.md's option table has the smoke check's
// options and defaults.
import { USAGE as DIFF } from '../../scripts/diff';
import { USAGE as IAM } from '../../scripts/iam';
import { USAGE as PLAN_COMMENT } from '../../scripts/plan-comment';
import { USAGE as REVOKE } from '../../scripts/revoke';
import { USAGE as SCHEMA } from '../../scripts/schema';
import { USAGE as SMOKE } from '../../scripts/smoke';
import { USAGE as SYNTH_HCL } from '../../scripts/synth-hcl';
import { parseArgs as smokeArgs } from '../../scripts/smoke/options';
import { USAGE as BENCH_VERIFIER } from '../../scripts/bench-verifier/run';
import { USAGE as RELEASE_RECORD } from '../../scripts/upgrade/cli';
import { ALL_DOCS, prose, readDoc } from './markdown';

/** Each script's usage text; `bench`'s options are checked against its parser in benchmark.test.ts. */
const USAGES: Readonly<Record<string, string>> = {
  diff: DIFF,
  iam: IAM,
  'plan-comment': PLAN_COMMENT,
  revoke: REVOKE,
  schema: SCHEMA,
  smoke: SMOKE,
  'synth:hcl': SYNTH_HCL,
  'bench:verifier': BENCH_VERIFIER,
  'release:record': RELEASE_RECORD,
};

/** `[script, option]` for every option written after `npm run <script> --` on one line. */
function optionsGiven(text: string): [string, string][] {
  return [...text.matchAll(/npm run (?:--silent )?([a-z][a-z:-]*) -- ([^`\n#]*)/g)].flatMap((m) =>
    [...m[2]!.matchAll(/(?:^|\s)(--[a-z][a-z-]*)/g)].map((o) => [m[1]!, o[1]!] as [string, string]),
  );
}

test.each(ALL_DOCS)('%s passes each script only options it takes', (doc) => {
  const given = optionsGiven(readDoc(doc)).filter(([script]) => USAGES[script] !== undefined);
  expect(given.filter(([script, option]) => !USAGES[script]!.includes(option))).toEqual([]);
});

test('the docs pass options (the check above sees some)', () => {
  const all = ALL_DOCS.flatMap((d) => optionsGiven(readDoc(d)));
  expect(all).toEqual(
    expect.arrayContaining([
      ['smoke', '--only'],
      ['iam', '--account'],
      ['plan-comment', '--plans-dir'],
    ]),
  );
});

describe("docs/smoke.md's option table", () => {
  const rows = prose(readDoc('docs/smoke.md'))
    .split('\n')
    .filter((l) => /^\| `--/.test(l))
    .map((l) => l.split(' | ').map((c) => c.replace(/^\| /, '').replace(/`/g, '').trim()));
  const defaults = smokeArgs([]);

  test('lists every option of the smoke check, and only those', () => {
    const listed = rows.map((r) => r[0]!.split(' ')[0]!);
    const usage = [...new Set([...SMOKE.split('\n')[0]!.matchAll(/(--[a-z][a-z-]*)/g)].map((m) => m[1]!))];
    expect(listed.sort()).toEqual(usage.sort());
  });

  test.each([
    ['--timeout S', defaults.timeoutMs / 1000],
    ['--retries N', defaults.retries],
    ['--concurrency N', defaults.concurrency],
  ])('gives %s the default the parser has', (option, value) => {
    expect(rows.find((r) => r[0] === option)?.[1]).toBe(String(value));
  });
});
