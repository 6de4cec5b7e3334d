import { execFileSync, type ExecFileSyncOptions } from 'child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { EXAMPLE_CONFIG } from '../modules/config/example';

const ROOT = resolve(__dirname, '..');

/** Runs main.ts the way `cdktf synth` does, in its own folder; returns exit status and stderr. */
function runMain(cwd: string, env: Record<string, string> = {}): { status: number; stderr: string } {
  const options: ExecFileSyncOptions = { cwd, env: { ...process.env, CENTRAL_AUTH_CONFIG: '', ...env, CDKTF_OUTDIR: join(cwd, 'cdktf.out') }, stdio: 'pipe' };
  try {
    execFileSync(process.execPath, ['-r', join(ROOT, 'scripts', 'ts-register.js'), join(ROOT, 'main.ts')], options);
    return { status: 0, stderr: '' };
  } catch (err) {
    const e = err as { status: number; stderr: Buffer };
    return { status: e.status, stderr: e.stderr.toString() };
  }
}

describe('main.ts synth', () => {
  const dir = mkdtempSync(join(tmpdir(), 'central-auth-synth-'));

  test('synthesizes the four stacks from the embedded example with no arguments', () => {
    // WHEN main runs with no config
    const { status, stderr } = runMain(dir);
    // THEN it succeeds and writes every stack plus the manifest
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(readdirSync(join(dir, 'cdktf.out', 'stacks')).sort()).toEqual(['auth', 'certs', 'cluster', 'edge']);
    const manifest = JSON.parse(readFileSync(join(dir, 'cdktf.out', 'manifest.json'), 'utf8'));
    expect(manifest.stacks.edge.dependencies).toEqual(['cluster']);
    expect(readdirSync(dir).filter((f) => f.includes('staging'))).toEqual([]);
  });

  test('fails when the config is invalid, naming the problem and leaving the previous output untouched', () => {
    // GIVEN a previous good output and a config with a host outside the zone
    const before = readFileSync(join(dir, 'cdktf.out', 'stacks', 'edge', 'cdk.tf.json'), 'utf8');
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ ...EXAMPLE_CONFIG, apps: [{ name: 'x', host: 'x.other.org', access: 'protected' }] }));
    // WHEN main runs on it
    const { status, stderr } = runMain(dir, { CENTRAL_AUTH_CONFIG: bad });
    // THEN it exits non-zero with the field, value and rule, and nothing was written
    expect(status).not.toBe(0);
    expect(stderr).toContain('apps[0].host: "x.other.org" is outside the zone "dev.example.com"');
    expect(readFileSync(join(dir, 'cdktf.out', 'stacks', 'edge', 'cdk.tf.json'), 'utf8')).toBe(before);
    expect(readdirSync(dir).filter((f) => f.includes('staging'))).toEqual([]);
  });

  test('fails without creating cdktf.out when there was none', () => {
    const fresh = mkdtempSync(join(tmpdir(), 'central-auth-fresh-'));
    mkdirSync(join(fresh, 'sub'));
    const { status } = runMain(join(fresh, 'sub'), { CENTRAL_AUTH_CONFIG: join(fresh, 'missing.yaml') });
    expect(status).not.toBe(0);
    expect(existsSync(join(fresh, 'sub', 'cdktf.out'))).toBe(false);
    expect(readdirSync(join(fresh, 'sub'))).toEqual([]);
  });
});
