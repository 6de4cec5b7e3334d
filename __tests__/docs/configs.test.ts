// Every YAML block of docs/*.md that is a whole config (it has `environment:` and `apps:`) is one the
// app accepts: read from a file as CENTRAL_AUTH_CONFIG would name it, validated, defaults applied.
// Fragments (a `suppressions:` list, chart values) are not configs and are left to their own tests.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse as parseYaml } from 'yaml';
import { loadConfigFile } from '../../modules/config/load';
import { DOCS, fencedBlocks, readDoc } from './markdown';

const CONFIGS = DOCS.flatMap((doc) =>
  fencedBlocks(readDoc(doc))
    .filter((b) => b.lang === 'yaml' || b.lang === 'yml')
    .filter((b) => {
      const parsed: unknown = parseYaml(b.body);
      return typeof parsed === 'object' && parsed !== null && 'environment' in parsed && 'apps' in parsed;
    })
    .map((b) => [`${doc}:${b.line}`, b.body] as const),
);

test('the docs show at least one whole config', () => {
  // GIVEN the docs WHEN their whole configs are collected THEN the test below checks something
  expect(CONFIGS.map(([where]) => where.split(':')[0])).toContain('docs/review.md');
});

test.each(CONFIGS)('the config at %s is one the app accepts', (where, body) => {
  // GIVEN the block written to a file, as a user would copy it
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'docs-config-'));
  const file = path.join(dir, `${path.basename(where.split(':')[0]!, '.md')}.yaml`);
  fs.writeFileSync(file, body);
  try {
    // WHEN the app loads it THEN it is valid, and names the environment it says
    const config = loadConfigFile(file);
    expect(config.environment).toBe((parseYaml(body) as { environment: string }).environment);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
