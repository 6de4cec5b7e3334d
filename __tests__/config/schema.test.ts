// schema/config.schema.json: generated from modules/config/types*.ts, never edited by hand, and
// true to what the app accepts: every valid config passes it, unknown keys fail it, and every
// environment file points editors at it.
import Ajv from 'ajv';
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { EXAMPLE_CONFIG } from '../../modules/config/example';
import { prepareConfig } from '../../modules/config/load';
import { generateConfig } from '../../scripts/bench';
import { generateSchema, MODELINE, render, SCHEMA_FILE } from '../../scripts/schema';
import { ROOT } from '../run-main';

const committed = JSON.parse(fs.readFileSync(SCHEMA_FILE, 'utf8'));
const validate = new Ajv({ allErrors: true, strict: false }).compile(committed);
const readConfig = (file: string) =>
  file.endsWith('.json') ? JSON.parse(fs.readFileSync(file, 'utf8')) : parse(fs.readFileSync(file, 'utf8'));
const errorsOf = (config: unknown) => (validate(config) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));

const ENVIRONMENTS = fs
  .readdirSync(path.join(ROOT, 'environments'))
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => path.join('environments', f));
const RELEASES = path.join('__tests__', 'fixtures', 'releases');
const RELEASE_CONFIGS = fs
  .readdirSync(path.join(ROOT, RELEASES))
  .filter((v) => fs.statSync(path.join(ROOT, RELEASES, v)).isDirectory())
  // each release's configs as they are after its upgrade notes (upgraded.yaml), else as they were
  .flatMap((v) => {
    const files = fs.readdirSync(path.join(ROOT, RELEASES, v));
    return files
      .filter((f) => f.endsWith('.config.yaml'))
      .map((f) => (files.includes(f.replace('.config.', '.upgraded.')) ? f.replace('.config.', '.upgraded.') : f))
      .map((f) => path.join(RELEASES, v, f));
  });

test('is what the generator makes from the types today (npm run schema rewrites it)', () => {
  // GIVEN the types WHEN the schema is generated THEN it is byte for byte the committed file
  expect(render(generateSchema())).toBe(fs.readFileSync(SCHEMA_FILE, 'utf8'));
}, 30_000);

test('describes every setting in one line and refuses unknown keys in every object', () => {
  const undocumented: string[] = [];
  const open: string[] = [];
  const walk = (node: any, at: string): void => {
    if (node === null || typeof node !== 'object') return;
    if (node.type === 'object' && node.properties && node.additionalProperties !== false) open.push(at);
    for (const [key, child] of Object.entries<any>(node.properties ?? {})) {
      const target = child.$ref ? committed.definitions[child.$ref.split('/').pop()] : undefined;
      if (!child.description && !target?.description) undocumented.push(`${at}.${key}`);
      walk(child, `${at}.${key}`);
    }
    for (const k of ['items', 'anyOf', 'oneOf', 'allOf']) [node[k]].flat().forEach((c) => walk(c, at));
  };
  walk(committed, '$');
  for (const [name, def] of Object.entries(committed.definitions)) walk(def, name);
  expect({ undocumented, open }).toEqual({ undocumented: [], open: [] });
});

test.each([...ENVIRONMENTS, ...RELEASE_CONFIGS])('%s passes the schema and the app', (file) => {
  const config = readConfig(path.join(ROOT, file));
  expect(errorsOf(config)).toEqual([]);
  expect(() => prepareConfig(config)).not.toThrow();
});

test('the embedded example and generated configs of 1 to 200 apps pass it', () => {
  for (const config of [EXAMPLE_CONFIG, generateConfig(1), generateConfig(40), generateConfig(200)]) {
    expect(errorsOf(JSON.parse(JSON.stringify(config)))).toEqual([]);
  }
});

test('refuses what the app refuses for shape: an unknown key, a key at the wrong level, a wrong type, a value off its list', () => {
  const base = structuredClone(EXAMPLE_CONFIG) as any;
  expect(errorsOf({ ...base, zoneNme: 'x' })).toEqual([' must NOT have additional properties']);
  expect(errorsOf({ ...base, identityProviders: [] })).toEqual([' must NOT have additional properties']);
  expect(errorsOf({ ...base, cognito: { ...base.cognito, mfa: 'SOMETIMES' } })).toEqual([
    '/cognito/mfa must be equal to one of the allowed values',
  ]);
  expect(errorsOf({ ...base, apps: 'grafana' })).toEqual(['/apps must be array']);
});

test.each(ENVIRONMENTS)('%s starts with the modeline that points editors at the schema', (file) => {
  const first = fs.readFileSync(path.join(ROOT, file), 'utf8').split('\n')[0];
  expect(first).toBe(MODELINE);
  // AND the path it names is the schema, relative to the file
  expect(path.resolve(ROOT, path.dirname(file), first!.split('$schema=')[1]!)).toBe(SCHEMA_FILE);
});
