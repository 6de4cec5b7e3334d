import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { RULE_IDS, RULES } from '../../../modules/policy';

/** The index just past the `]` that closes the `[` before `from`, skipping string and template literals. */
function closingBracket(source: string, from: number): number {
  let depth = 1;
  for (let i = from; i < source.length; i++) {
    const ch = source[i]!;
    if (ch === "'" || ch === '"' || ch === '`') {
      for (i++; i < source.length && source[i] !== ch; i++) if (source[i] === '\\') i++;
    } else if (ch === '[') depth++;
    else if (ch === ']' && --depth === 0) return i;
  }
  return source.length;
}

/** The rule ids of the rows of every `…: FailCase[] = [...]` (or PassCase) table, and of literal `RULE fails when` titles. */
function ruleIdsIn(source: string, table: 'FailCase' | 'PassCase', title: 'fails when' | 'passes when'): string[] {
  const ids: string[] = [];
  for (const m of source.matchAll(new RegExp(`: ${table}\\[\\] = \\[`, 'g'))) {
    const start = m.index + m[0].length;
    const rows = source.slice(start, closingBracket(source, start));
    for (const row of rows.matchAll(/\[\s*'([A-Z][A-Z0-9_]*)',/g)) ids.push(row[1]!);
  }
  for (const m of source.matchAll(new RegExp(`\\(\\s*['"\`]([A-Z][A-Z0-9_]*) ${title} `, 'g'))) ids.push(m[1]!);
  return ids;
}

describe('the rule set', () => {
  test('every rule has an id, a description, a fix and a severity; ids are unique', () => {
    expect(new Set(RULE_IDS).size).toBe(RULES.length);
    for (const r of RULES) {
      expect(r.id).toMatch(/^[A-Z][A-Z0-9_]{2,63}$/);
      expect(r.description.length).toBeGreaterThan(20);
      expect(r.fix.length).toBeGreaterThan(10);
      expect(['error', 'warning']).toContain(r.severity);
      expect(Boolean(r.check) || Boolean(r.checkAll)).toBe(true);
    }
  });
});

describe('rule tests', () => {
  // GIVEN the rule test files next to this one, as text: Jest cannot list another file's tests
  const sources = readdirSync(__dirname)
    .filter((f) => f.endsWith('.test.ts') && f !== 'index.test.ts')
    .map((f) => readFileSync(join(__dirname, f), 'utf8'));
  const failing = new Set(sources.flatMap((s) => ruleIdsIn(s, 'FailCase', 'fails when')));
  const passing = new Set(sources.flatMap((s) => ruleIdsIn(s, 'PassCase', 'passes when')));

  test.each(RULE_IDS)('%s has a `fails when` case and a passing case', (id) => {
    // THEN a new rule without both fails here, whichever family file it belongs to
    expect({ id, fails: failing.has(id), passes: passing.has(id) }).toEqual({ id, fails: true, passes: true });
  });

  test('the tables name only rules that exist', () => {
    expect([...failing, ...passing].filter((id) => !RULE_IDS.includes(id))).toEqual([]);
  });
});

describe('docs/policy.md', () => {
  const doc = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'policy.md'), 'utf8');
  const rows = new Map(
    doc
      .split('\n')
      // the rule table's rows: a rule id first (the family table below it starts with a file name)
      .filter((l) => /^\| `[A-Z][A-Z0-9_]*` \|/.test(l))
      .map((l) => [/^\| `([A-Z0-9_]+)`/.exec(l)![1]!, l]),
  );

  test.each(RULES.map((r) => [r.id, r] as const))('documents %s with its mirrors, severity and suppressibility', (id, rule) => {
    const row = rows.get(id);
    expect(row).toBeDefined();
    for (const m of rule.mirrors) expect(row).toContain(`\`${m}\``);
    expect(row).toContain(`| ${rule.severity} | ${rule.suppressible ? 'yes' : 'no'} |`);
  });

  test('documents no rule that does not exist', () => {
    expect([...rows.keys()].sort()).toEqual([...RULE_IDS].sort());
  });

  test('lists the rules in RULES order, the order of findings and messages', () => {
    // THEN splitting or regrouping the rule files cannot silently reorder what users read
    expect([...rows.keys()]).toEqual([...RULE_IDS]);
  });
});
