import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { EXAMPLE_CONFIG } from '../modules/config/example';
import { APPLY_ORDER } from '../modules/stacks/outputs';
import { runMain } from './run-main';

describe('main.ts synth', () => {
  const dir = mkdtempSync(join(tmpdir(), 'central-auth-synth-'));

  test('synthesizes the three stacks from the embedded example with no arguments', () => {
    // WHEN main runs with no config
    const { status, stdout, stderr } = runMain(dir);
    // THEN it succeeds, echoes the example's policy suppressions with their reasons as information
    // (stdout: the cdktf CLI labels every stderr line "[ERROR]"), and writes every stack
    expect(status).toBe(0);
    expect(stderr).toBe('');
    expect(stdout.trim().split('\n')).toEqual([
      'config: the embedded example (placeholder ids, development only), because CENTRAL_AUTH_CONFIG is not set: set CENTRAL_AUTH_CONFIG=environments/<env>.yaml (a real environment) or CENTRAL_AUTH_CONFIG=example (the embedded example, for development)',
      'policy: ALB_ACCESS_LOGS suppressed for edge/alb — Example environment: no log bucket exists in the placeholder account.',
      'policy: OPERATIONS_ALARMS suppressed for edge — Example environment: nobody to notify; set alarms.email for a real one.',
      'policy: warning ROUTER_RETIRED at cluster/ingress-nginx: ingress-nginx 4.14.5 is retired upstream (March 2026): no releases, no security fixes',
      '  fix: Switch without downtime: set router: { use: traefik, keep: ingress-nginx } and apply cluster then edge; then set router: traefik and apply both again (README, "Router").',
      // AND the last line says what it wrote, and where
      'synth: wrote cdktf.out/stacks/{auth,cluster,edge}/cdk.tf.json',
    ]);
    expect(readdirSync(join(dir, 'cdktf.out', 'stacks')).sort()).toEqual(['auth', 'cluster', 'edge']);
    const manifest = JSON.parse(readFileSync(join(dir, 'cdktf.out', 'manifest.json'), 'utf8'));
    // AND cdktf deploy '*' applies them in APPLY_ORDER
    expect(APPLY_ORDER.map((s) => [s, manifest.stacks[s].dependencies])).toEqual([
      ['auth', []],
      ['cluster', ['auth']],
      ['edge', ['cluster']],
    ]);
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
    expect(stderr).toMatch(/apps\[0\] \(x\)\.host \(line 1, column \d+\): "x\.other\.org" is outside the zone "dev\.example\.com"/);
    expect(readFileSync(join(dir, 'cdktf.out', 'stacks', 'edge', 'cdk.tf.json'), 'utf8')).toBe(before);
    expect(readdirSync(dir).filter((f) => f.includes('staging'))).toEqual([]);
  });

  test.each([
    ['a deploy', { CENTRAL_AUTH_APPLYING: '1' }, '(not set)'],
    ['a CI plan', { CENTRAL_AUTH_REQUIRE_REMOTE_STATE: '1', CENTRAL_AUTH_CONFIG: 'example' }, 'example'],
  ])('refuses the example for %s: exit 1, the message alone, nothing written', (_what, env, shown) => {
    const fresh = mkdtempSync(join(tmpdir(), 'central-auth-real-'));
    const { status, stdout, stderr } = runMain(fresh, env);
    expect([status, stdout, stderr]).toEqual([
      1,
      '',
      `Invalid config (1 problem):\n  - CENTRAL_AUTH_CONFIG: "${shown}" must name a real environment's config for a deploy or a CI plan: the embedded example has placeholder ids; set CENTRAL_AUTH_CONFIG=environments/<env>.yaml\n`,
    ]);
    expect(readdirSync(fresh)).toEqual([]);
  });

  test('refuses the retired cdktf.json key in the folder it runs in, naming the way that works everywhere', () => {
    const project = mkdtempSync(join(tmpdir(), 'central-auth-retired-'));
    writeFileSync(
      join(project, 'cdktf.json'),
      JSON.stringify({ app: 'node scripts/run-app.js', context: { centralAuthConfig: 'environments/dev.yaml' } }),
    );
    const { status, stderr } = runMain(project, { CENTRAL_AUTH_CONFIG: 'example' });
    expect([status, stderr]).toEqual([
      1,
      'Invalid config (1 problem):\n  - cdktf.json context.centralAuthConfig: "environments/dev.yaml" is no longer read (0.3.0): every command selects its config the same way; remove the key and set CENTRAL_AUTH_CONFIG=environments/<env>.yaml (a real environment) or CENTRAL_AUTH_CONFIG=example (the embedded example, for development)\n',
    ]);
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
