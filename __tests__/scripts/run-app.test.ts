import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { generateConfig } from '../../scripts/bench';
import { ROOT } from '../run-main';

// The runner is plain CommonJS (it must start before any TypeScript loader).
const { bundleFile, bundleInputs } = require('../../scripts/run-app.js') as {
  bundleFile: (entry: string, root?: string) => string;
  bundleInputs: (entry: string, root?: string) => string[];
};

/** Synthesizes the real app into a fresh folder with cdktf.json's app command, or from the sources. */
function synth(env: Record<string, string>): { status: number | null; stderr: string; outdir: string } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'run-app-'));
  const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'run-app.js')], {
    cwd: ROOT,
    env: { ...process.env, CENTRAL_AUTH_CONFIG: '', ...env, CDKTF_OUTDIR: outdir },
    encoding: 'utf8',
  });
  return { status: r.status, stderr: r.stderr, outdir };
}

/** Every file of a synth output, path → content. */
function tree(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else files.set(path.relative(dir, full), fs.readFileSync(full, 'latin1'));
    }
  };
  walk(dir);
  return files;
}

describe('scripts/run-app.js (the cdktf.json app command)', () => {
  test('is the command cdktf.json runs and npm run synth:fast runs', () => {
    expect(require('../../cdktf.json').app).toBe('node scripts/run-app.js');
    expect(require('../../package.json').scripts['synth:fast']).toBe('node scripts/run-app.js');
  });

  test.each([
    ['the embedded example', () => ({})],
    [
      'a generated 80-app config',
      () => {
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'run-app-config-')), 'large.json');
        fs.writeFileSync(
          file,
          JSON.stringify({
            ...generateConfig(80),
            certificates: 'per-host',
            quotas: { listenerRulesPerAlb: 200, certificatesPerAlb: 200 },
          }),
        );
        return { CENTRAL_AUTH_CONFIG: file };
      },
    ],
  ])('synthesizes %s byte for byte as running the sources does', (_name, envOf) => {
    // GIVEN one config WHEN it is synthesized from the bundle and from the TypeScript sources
    const env = envOf() as Record<string, string>;
    const bundled = synth(env);
    const sources = synth({ ...env, CENTRAL_AUTH_NO_CACHE: '1' });
    // THEN both succeed and write the same files with the same bytes
    expect([bundled.status, sources.status]).toEqual([0, 0]);
    expect(tree(bundled.outdir)).toEqual(tree(sources.outdir));
    expect(fs.existsSync(bundleFile(path.join(ROOT, 'main.ts')))).toBe(true);
  });

  test('fails with the config message and no stack trace, as main.ts does', () => {
    const r = synth({ CENTRAL_AUTH_CONFIG: path.join(os.tmpdir(), 'missing-config.yaml') });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      /^Invalid config \(1 problem\):\n {2}- CENTRAL_AUTH_CONFIG: ".*missing-config\.yaml" cannot be read \(ENOENT\)\n$/,
    );
  });
});

describe('the bundle cache key', () => {
  // GIVEN a small project tree with an entry, two modules and a lock file
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'run-app-key-'));
  const write = (rel: string, text: string): void => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  };
  write('main.ts', "import './modules/a';\n");
  write('modules/a.ts', 'export const a = 1;\n');
  write('modules/deep/b.ts', 'export const b = 2;\n');
  write('modules/notes.md', 'not code\n');
  write('package-lock.json', '{}\n');
  const entry = path.join(root, 'main.ts');

  test('covers the entry, every TypeScript file under modules/, the lock file and the runner', () => {
    const rel = bundleInputs(entry, root).map((f) => path.relative(root, f));
    expect(rel.filter((f) => !f.includes('run-app.js'))).toEqual(['main.ts', 'modules/a.ts', 'modules/deep/b.ts', 'package-lock.json']);
  });

  test.each([
    ['a module', 'modules/deep/b.ts', 'export const b = 3;\n'],
    ['the lock file', 'package-lock.json', '{"lockfileVersion":3}\n'],
  ])('changes when %s changes, so a stale bundle is never run', (_what, rel, text) => {
    const before = bundleFile(entry, root);
    const old = fs.readFileSync(path.join(root, rel), 'utf8');
    write(rel, text);
    expect(bundleFile(entry, root)).not.toBe(before);
    write(rel, old);
    expect(bundleFile(entry, root)).toBe(before);
  });

  describe('remembered by size and modification time (the stamp)', () => {
    const stamps = () => fs.readdirSync(path.join(root, 'node_modules', '.cache', 'central-auth')).filter((f) => f.startsWith('stamp-'));
    const age = (seconds: number) => {
      const t = new Date(Date.now() - seconds * 1000);
      for (const f of bundleInputs(entry, root)) if (f.startsWith(root)) fs.utimesSync(f, t, t);
    };
    const cacheDir = path.join(root, 'node_modules', '.cache', 'central-auth');
    beforeEach(() => fs.rmSync(cacheDir, { recursive: true, force: true }));

    test('is not written while an input changed in the last 2 s: a change in the same clock tick would go unseen', () => {
      // GIVEN inputs just written WHEN the bundle is looked up THEN it is hashed and no stamp is kept
      write('modules/a.ts', 'export const a = 1;\n');
      bundleFile(entry, root);
      expect(fs.existsSync(cacheDir) ? stamps() : []).toEqual([]);
    });

    test('is reused while nothing changed, and a change of the same size is still seen', () => {
      // GIVEN inputs older than 2 s and a stamp for them
      age(60);
      const before = bundleFile(entry, root);
      expect(stamps()).toHaveLength(1);
      expect(bundleFile(entry, root)).toBe(before);
      // WHEN a module changes to text of the same size THEN the bundle changes
      write('modules/a.ts', 'export const a = 9;\n');
      const after = bundleFile(entry, root);
      expect(after).not.toBe(before);
      // AND back to the old text, the old bundle again
      write('modules/a.ts', 'export const a = 1;\n');
      age(60);
      expect(bundleFile(entry, root)).toBe(before);
    });
  });
});
