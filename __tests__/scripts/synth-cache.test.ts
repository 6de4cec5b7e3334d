// The tests' synth cache (scripts/test/synth-cache.js): a key that misses whenever a synth could
// come out differently, and a hit that gives the bytes a fresh synth gives.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EXAMPLE_CONFIG } from '../../modules/config/example';
import { configWith, synthAll } from '../helpers';
import synthCache = require('../../scripts/test/synth-cache');

// This suite tests the cache itself, so it runs with it on even under CENTRAL_AUTH_NO_CACHE=1.
const noCache = process.env.CENTRAL_AUTH_NO_CACHE;
beforeAll(() => delete process.env.CENTRAL_AUTH_NO_CACHE);
afterAll(() => {
  if (noCache !== undefined) process.env.CENTRAL_AUTH_NO_CACHE = noCache;
});

const tempDir = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), prefix));

describe('the key', () => {
  test('is the same for the same config whatever the order of its keys', () => {
    expect(synthCache.entryFile({ config: { a: 1, b: [1, { c: 2, d: 3 }] } })).toBe(
      synthCache.entryFile({ config: { b: [1, { d: 3, c: 2 }], a: 1 } }),
    );
  });

  test('changes with any value and with the synth options', () => {
    const base = synthCache.entryFile({ config: configWith(), applying: false });
    expect(synthCache.entryFile({ config: configWith({ apps: EXAMPLE_CONFIG.apps.slice(0, 2) }), applying: false })).not.toBe(base);
    expect(synthCache.entryFile({ config: configWith(), applying: true })).not.toBe(base);
  });

  test('changes when a file the config names changes, though its path does not', () => {
    // GIVEN a config naming a file
    const dir = tempDir('synth-cache-');
    const file = path.join(dir, 'branding.json');
    fs.writeFileSync(file, '{"a":1}');
    const before = synthCache.entryFile({ config: { branding: file } });
    // WHEN the file changes THEN the key changes
    fs.writeFileSync(file, '{"a":2}');
    expect(synthCache.entryFile({ config: { branding: file } })).not.toBe(before);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('is none for what JSON cannot say exactly, so such a synth is never cached', () => {
    expect(synthCache.entryFile({ config: { m: new Map() } })).toBeUndefined();
    expect(synthCache.entryFile({ config: { f: () => 1 } })).toBeUndefined();
    expect(synthCache.entryFile({ config: { n: Number.NaN } })).toBeUndefined();
  });
});

describe('the sources hash', () => {
  test('changes with a module, a helper or a fixture, and not with a test file or a doc', () => {
    // GIVEN a project tree
    const root = tempDir('synth-cache-root-');
    const put = (rel: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), text);
    };
    put('modules/a.ts', 'export const a = 1;');
    put('__tests__/helpers.ts', 'export {};');
    put('__tests__/fixtures/x.yaml', 'a: 1');
    put('__tests__/a.test.ts', 'test("a", () => {});');
    put('docs/a.md', '# a');
    put('node_modules/x/index.js', '');
    const first = synthCache.sourcesHash(root);
    // WHEN only a test, a doc or node_modules change THEN it stays
    put('__tests__/a.test.ts', 'test("b", () => {});');
    put('docs/a.md', '# b');
    put('node_modules/x/index.js', 'x');
    expect(synthCache.sourcesHash(root)).toBe(first);
    // AND WHEN a module, a helper or a fixture changes, or a module is added, THEN it changes
    const seen = new Set([first]);
    for (const [rel, text] of [
      ['modules/a.ts', 'export const a = 2;'],
      ['__tests__/helpers.ts', 'export const h = 1;'],
      ['__tests__/fixtures/x.yaml', 'a: 2'],
      ['modules/new.ts', ''],
    ]) {
      put(rel!, text!);
      seen.add(synthCache.sourcesHash(root));
    }
    expect(seen.size).toBe(5);
    fs.rmSync(root, { recursive: true, force: true });
  });
});

describe('a hit', () => {
  test('gives the JSON a fresh synth gives, and builds the constructs only when asked', () => {
    // GIVEN a config synthesized once (so its entry exists)
    const config = configWith({ zoneName: 'cache.example.com', apps: [{ name: 'a', host: 'a.cache.example.com', access: 'protected' }] });
    const first = synthAll(config);
    const entry = synthCache.entryFile({ config, applying: false });
    expect(entry && fs.existsSync(entry)).toBe(true);
    // WHEN it is synthesized again
    const again = synthAll(config);
    // THEN the JSON is the fresh synth's, byte for byte
    expect(again.json).toEqual(first.json);
    // AND the constructs are there when a test wants them
    expect(again.stacks.edge.node.id).toBe('edge');
  });
});
