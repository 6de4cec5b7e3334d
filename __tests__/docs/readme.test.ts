// What the README states that a test can check: the config sample is the template itself, the
// example error is what the app prints, the stack table and the contents match the code.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { loadDeploymentFile } from '../../modules/deployment';
import { RULES } from '../../modules/policy';
import { APPLY_ORDER } from '../../modules/stacks/outputs';
import { ROOT } from '../run-main';
import { fencedBlocks, headingAnchors } from './markdown';

const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const DEV = readFileSync(join(ROOT, 'environments', 'dev.yaml'), 'utf8');
const section = (title: string) => {
  const start = README.indexOf(`\n## ${title}\n`);
  if (start < 0) throw new Error(`README has no section "${title}"`);
  const end = README.indexOf('\n## ', start + 5);
  return README.slice(start, end < 0 ? undefined : end);
};
/** The fenced code blocks of `text` in language `lang` ('' for none). */
const fenced = (text: string, lang: string): string[] =>
  fencedBlocks(text)
    .filter((b) => b.lang === lang)
    .map((b) => b.body);

test('the config sample is environments/dev.yaml, the template, byte for byte', () => {
  expect(fenced(section('Configure for a real account'), 'yaml')[0]).toBe(DEV);
  // AND the template runs the maintained router and points editors at the schema
  expect(DEV.split('\n')[0]).toBe('# yaml-language-server: $schema=../schema/config.schema.json');
  expect(DEV).toMatch(/^router: traefik$/m);
});

test('the example of a bad config is what the app prints for it', () => {
  // GIVEN dev.yaml with zoneName mistyped and the status app given echo's host
  const file = join(mkdtempSync(join(tmpdir(), 'readme-')), 'dev.yaml');
  writeFileSync(
    file,
    DEV.replace('zoneName: dev.example.com', 'zoneNme: dev.example.com').replace(
      'host: status.dev.example.com',
      'host: echo.dev.example.com',
    ),
  );
  let message = '';
  try {
    loadDeploymentFile(file);
  } catch (err) {
    message = (err as Error).message.split(file).join('environments/dev.yaml');
  }
  // THEN the README shows exactly that message
  const shown = fenced(section('Set-up on a fresh machine'), '').find((b) => b.startsWith('Invalid config'));
  expect(shown).toBe(`${message}\n`);
});

test('the stack table names the stacks the app builds, in apply order', () => {
  const rows = [...README.matchAll(/^\| `(\w+)` \| /gm)].map((m) => m[1]);
  expect(rows.slice(0, APPLY_ORDER.length)).toEqual([...APPLY_ORDER]);
  // AND the diagram shows each of them
  const diagram = fenced(README, 'mermaid')[0] ?? '';
  for (const stack of APPLY_ORDER) expect(diagram).toContain(`subgraph ${stack} [${stack} stack`);
});

test('every entry of the contents links to a section of the README', () => {
  const anchors = headingAnchors(README);
  const links = [...section('Contents').matchAll(/\]\(#([^)]+)\)/g)].map((m) => m[1]!);
  expect(links.length).toBeGreaterThan(10);
  expect(links.filter((l) => !anchors.has(l))).toEqual([]);
});

test('the LICENSE is the Apache License 2.0 package.json declares', () => {
  const license = readFileSync(join(ROOT, 'LICENSE'), 'utf8');
  expect(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).license).toBe('Apache-2.0');
  expect(license).toMatch(/^\s+Apache License\n\s+Version 2\.0, January 2004\n/);
  expect(license).toContain('END OF TERMS AND CONDITIONS');
});

test('the policy pack has as many rules as the README says', () => {
  expect(section('Policy checks at synth')).toContain(`with ${RULES.length} rules`);
});

test("the maintainers' guide counts the bad-config corpus right", () => {
  const corpus = readdirSync(join(ROOT, '__tests__', 'fixtures', 'bad-configs')).filter((f) => f.endsWith('.expected.txt')).length;
  expect(readFileSync(join(ROOT, 'docs', 'maintainers.md'), 'utf8')).toContain(`holds ${corpus} broken configs`);
});
