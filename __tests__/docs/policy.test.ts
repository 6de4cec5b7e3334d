// docs/policy.md against the policy pack: the rule count, each rule's description, the family files
// and the rules each holds, what the example and dev suppress, and the output it shows, which is the
// engine's own for the example and the corpus's expected text for the failures.
import * as fs from 'fs';
import * as path from 'path';
import { parse as parseYaml } from 'yaml';
import { addCentralAuthStacks } from '../../modules/app';
import { EXAMPLE_CONFIG } from '../../modules/config/example';
import { deploymentOf } from '../../modules/deployment';
import { evaluatePolicy, reportLines, RULES } from '../../modules/policy';
import type { PolicyRule } from '../../modules/policy/rules/types';
import { configWith } from '../helpers';
import { fencedBlocks, prose, ROOT, readDoc } from './markdown';

const doc = readDoc('docs/policy.md');
const RULES_DIR = path.join(ROOT, 'modules', 'policy', 'rules');

/** The rows of the Markdown table whose header row is `header`, as cells. */
function tableRows(text: string, header: string): string[][] {
  const lines = prose(text).split('\n');
  const start = lines.indexOf(header);
  if (start < 0) throw new Error(`no table with the header ${header}`);
  const rows: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(
      line
        .slice(1, -1)
        .split(' | ')
        .map((c) => c.trim()),
    );
  }
  return rows;
}

/** The rule ids of a cell (the names of exported arrays, `…_RULES`, are not rules). */
const ids = (cell: string): string[] => [...cell.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1]!).filter((id) => !id.endsWith('_RULES'));

describe('the rule table', () => {
  const rows = tableRows(doc, '| id | checks | mirrors | severity | suppressible |');

  test('says how many rules there are', () => {
    expect(doc).toContain(`The ${RULES.length} rules, in the order of \`RULES\``);
    expect(rows).toHaveLength(RULES.length);
  });

  test.each(RULES.map((r) => [r.id, r] as const))("describes %s with the rule's own description", (id, rule) => {
    const row = rows.find((r) => r[0] === `\`${id}\``);
    expect(row?.[1]).toBe(rule.description);
  });
});

describe('the family files (Adding a rule)', () => {
  const rows = tableRows(doc, '| file | holds |');
  const files = fs
    .readdirSync(RULES_DIR)
    .filter((f) => f.endsWith('.ts') && !['helpers.ts', 'index.ts', 'types.ts'].includes(f))
    .sort();

  test('name every family file of modules/policy/rules/, and nothing else', () => {
    expect(rows.map((r) => r[0]!.replace(/`/g, '')).sort()).toEqual(files);
  });

  test.each(files)('%s holds exactly the rules the table says, in its order', (file) => {
    // GIVEN the rule arrays the file exports
    const exported = Object.values(require(path.join(RULES_DIR, file)) as Record<string, unknown>)
      .filter((v): v is PolicyRule[] => Array.isArray(v) && v.every((r) => typeof r?.id === 'string' && typeof r?.severity === 'string'))
      .flat();
    // THEN the table lists their ids
    expect(ids(rows.find((r) => r[0] === `\`${file}\``)![1]!)).toEqual(exported.map((r) => r.id));
  });

  test('together they are every rule', () => {
    expect(rows.flatMap((r) => ids(r[1]!)).sort()).toEqual(RULES.map((r) => r.id).sort());
  });
});

describe('what the example and dev suppress', () => {
  const sentence =
    /The embedded example \(`modules\/config\/example.ts`\) and `environments\/dev.yaml` suppress\n?\s*`([A-Z_]+)` and `([A-Z_]+)`/.exec(
      doc,
    );
  const dev = parseYaml(fs.readFileSync(path.join(ROOT, 'environments', 'dev.yaml'), 'utf8')) as { suppressions?: { rule: string }[] };

  test('the doc names the rules both suppress', () => {
    expect(sentence).not.toBeNull();
    const named = [sentence![1], sentence![2]].sort();
    expect((EXAMPLE_CONFIG.suppressions ?? []).map((s) => s.rule).sort()).toEqual(named);
    expect((dev.suppressions ?? []).map((s) => s.rule).sort()).toEqual(named);
  });
});

describe('What the output looks like', () => {
  const blocks = fencedBlocks(doc).filter((b) => b.lang === '');

  test("the example's lines are the ones its synth prints", () => {
    // GIVEN the embedded example's stacks WHEN the policy runs over them
    const { Testing } = require('cdktf') as typeof import('cdktf');
    const app = Testing.app({ stackTraces: false });
    addCentralAuthStacks(app, deploymentOf(configWith(), 'config'), { policyLog: () => {} });
    const lines = reportLines(evaluatePolicy(app));
    // THEN the doc shows exactly its suppressions and warnings
    expect(blocks.map((b) => b.body)).toContain(`${lines.join('\n')}\n`);
  });

  test.each([
    'policy-missing-waf-and-logs',
    'policy-unknown-suppression',
  ])('the failure of the corpus case %s is its expected text', (name) => {
    // GIVEN the case the doc names, and the message the corpus pins for it (bad-configs.test.ts)
    expect(doc).toContain(`\`__tests__/fixtures/bad-configs/${name}.yaml\``);
    const expected = fs.readFileSync(path.join(ROOT, '__tests__', 'fixtures', 'bad-configs', `${name}.expected.txt`), 'utf8');
    // THEN the doc shows it byte for byte
    expect(blocks.map((b) => b.body.trimEnd())).toContain(expected.trimEnd());
  });
});
