import { spawnSync } from 'child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { ROOT } from '../run-main';
import { available } from '../prerequisites';

const hasTerraform = available('terraform');
const SCRIPT = join(ROOT, 'scripts', 'bootstrap-state.sh');

/** Two stacks with local state, as cdktf lays them out: an upstream with no resources, and a consumer reading it with defaults. */
function project(): string {
  const root = mkdtempSync(join(tmpdir(), 'bootstrap-'));
  const stack = (name: string, body: object) => {
    mkdirSync(join(root, 'cdktf.out', 'stacks', name), { recursive: true });
    writeFileSync(
      join(root, 'cdktf.out', 'stacks', name, 'cdk.tf.json'),
      JSON.stringify({ terraform: { backend: { local: { path: `../../../.state/${name}.tfstate` } } }, ...body }),
    );
  };
  stack('auth', { output: { issuer: { value: 'https://real' } } });
  stack('edge', {
    data: {
      terraform_remote_state: {
        auth: { backend: 'local', config: { path: '../../../.state/auth.tfstate' }, defaults: { issuer: 'https://placeholder' } },
      },
    },
    output: { issuer: { value: '${data.terraform_remote_state.auth.outputs.issuer}' } },
  });
  return root;
}

// SYNTH_COMMAND=true keeps the hand-made local-state stacks above instead of synthesizing the app.
const run = (cwd: string, command: string, args: string[], env: NodeJS.ProcessEnv = { SYNTH_COMMAND: 'true' }) =>
  spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, TF_IN_AUTOMATION: '1', CENTRAL_AUTH_CONFIG: '', ...env } });
const planEdge = (root: string) => {
  run(join(root, 'cdktf.out', 'stacks', 'edge'), 'terraform', ['init', '-input=false', '-no-color']);
  return run(join(root, 'cdktf.out', 'stacks', 'edge'), 'terraform', ['plan', '-input=false', '-no-color']);
};

(hasTerraform ? describe : describe.skip)('scripts/bootstrap-state.sh (real Terraform, local state)', () => {
  test('before it, a consumer of a never-applied stack cannot plan; after it, the consumer plans against placeholders', () => {
    // GIVEN a new environment: no state anywhere
    const root = project();
    expect(`${planEdge(root).stdout}${planEdge(root).stderr}`).toContain('Unable to find remote state');
    // WHEN the upstream stack is bootstrapped
    const boot = run(root, 'bash', [SCRIPT, 'auth']);
    expect([boot.status, boot.stdout.trim()]).toEqual([0, 'bootstrap-state: auth now has an empty state']);
    // THEN the consumer plans, with the placeholder
    const plan = planEdge(root);
    expect([plan.status, plan.stdout]).toEqual([0, expect.stringContaining('+ issuer = "https://placeholder"')]);
  }, 60_000);

  test('leaves a stack that already has a state alone', () => {
    const root = project();
    run(root, 'bash', [SCRIPT, 'auth']);
    const again = run(root, 'bash', [SCRIPT, 'auth']);
    expect([again.status, again.stdout.trim()]).toEqual([0, 'bootstrap-state: auth already has a state, left alone']);
  }, 60_000);

  test('fails when a stack was not synthesized', () => {
    const r = run(project(), 'bash', [SCRIPT, 'cluster']);
    expect([r.status, r.stderr.trim()]).toEqual([1, 'bootstrap-state: no synthesized stack at cdktf.out/stacks/cluster']);
  });
});

describe('scripts/bootstrap-state.sh arguments and config', () => {
  test('--help prints the usage and exits 0, doing nothing else', () => {
    const r = run(project(), 'bash', [SCRIPT, '--help'], {});
    expect([r.status, r.stdout.split('\n')[0], r.stderr]).toEqual([
      0,
      'usage: CENTRAL_AUTH_CONFIG=environments/<env>.yaml npm run bootstrap-state [-- stack ...]',
      '',
    ]);
  });

  test.each([
    [['--force'], 'bootstrap-state: unknown option --force'],
    [['certs'], 'bootstrap-state: unknown stack "certs" (stacks: auth, cluster, edge)'],
  ])('refuses %j before synthesizing anything (exit 2)', (args, message) => {
    const root = project();
    const r = run(root, 'bash', [SCRIPT, ...args], { SYNTH_COMMAND: 'touch synthesized' });
    expect([r.status, r.stderr.split('\n')[0]]).toEqual([2, message]);
    expect(existsSync(join(root, 'synthesized'))).toBe(false);
  });

  test('refuses the embedded example through the real synth, touching no state (exit 1)', () => {
    const root = mkdtempSync(join(tmpdir(), 'bootstrap-example-'));
    const r = run(root, 'bash', [SCRIPT], { PATH: `/nonexistent-terraform:${process.env.PATH}` });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      'Invalid config (1 problem):\n  - CENTRAL_AUTH_CONFIG: "(not set)" must name a real environment\'s config for a deploy or a CI plan: the embedded example has placeholder ids; set CENTRAL_AUTH_CONFIG=environments/<env>.yaml\n' +
        'bootstrap-state: the synth failed (above); nothing was bootstrapped\n',
    );
    expect(existsSync(join(root, 'cdktf.out'))).toBe(false);
  });
});
