import { spawnSync } from 'child_process';
import { App, LocalBackend, TerraformOutput, TerraformStack } from 'cdktf';
import { mkdirSync, mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import type { StackName } from '../../modules/stacks/outputs';
import { placeholderStacks, Upstream } from '../../modules/stacks/upstream';
import { available } from '../prerequisites';

// Terraform itself decides what terraform_remote_state's defaults do and whether a conditional
// fails on its unused branch, so these run the real thing: the builtin `terraform` provider needs
// no download. Skipped where terraform is not installed.
const hasTerraform = available('terraform');

const CONTRACT = 'c0ffee';
const PLACEHOLDERS = {
  client_ids: { alb: 'placeholder000000000000000', 'alb-1': 'placeholder000000000000000' },
  issuer_url: 'https://placeholder',
};

/** A Terraform v4 state holding only these outputs. */
function stateWith(outputs: Record<string, unknown>): string {
  const typed = Object.fromEntries(
    Object.entries(outputs).map(([k, value]) => [k, { value, type: typeof value === 'string' ? 'string' : ['map', 'string'] }]),
  );
  return JSON.stringify({
    version: 4,
    terraform_version: '1.11.4',
    serial: 1,
    lineage: 'test',
    outputs: typed,
    resources: [],
    check_results: null,
  });
}

/** Synthesizes a consumer of one upstream per state, applies it, and returns its outputs (or the error). */
function consume(states: Record<string, string>, key: string): { outputs?: Record<string, { value: unknown }>; error?: string } {
  const root = mkdtempSync(join(tmpdir(), 'upstream-'));
  mkdirSync(join(root, '.state', 'test'), { recursive: true });
  for (const [name, state] of Object.entries(states)) writeFileSync(join(root, '.state', 'test', `${name}.tfstate`), state);
  const app = new App({ outdir: join(root, 'cdktf.out'), stackTraces: false });
  const stack = new TerraformStack(app, 'consumer');
  new LocalBackend(stack, { path: join(root, 'consumer.tfstate') });
  const shared = { environment: 'test', region: 'eu-west-1', state: { backend: 'local' as const }, applying: false };
  const upstreams = Object.keys(states).map(
    (name) => new Upstream(stack, { shared, stack: name as StackName, placeholders: PLACEHOLDERS, contract: CONTRACT }),
  );
  upstreams.forEach((u) => {
    new TerraformOutput(stack, `${u.stack}-client`, { value: u.mapValue('client_ids', key) });
    new TerraformOutput(stack, `${u.stack}-issuer`, { value: u.getString('issuer_url') });
  });
  new TerraformOutput(stack, 'waiting', { value: placeholderStacks(upstreams) });
  app.synth();
  const dir = join(root, 'cdktf.out', 'stacks', 'consumer');
  const run = (...args: string[]) =>
    spawnSync('terraform', [`-chdir=${dir}`, ...args, '-no-color'], { encoding: 'utf8', env: { ...process.env, TF_IN_AUTOMATION: '1' } });
  for (const step of [run('init', '-input=false'), run('apply', '-auto-approve', '-input=false')]) {
    if (step.status !== 0) return { error: `${step.stdout}${step.stderr}` };
  }
  return { outputs: JSON.parse(run('output', '-json').stdout) };
}

(hasTerraform ? describe : describe.skip)('Upstream against real Terraform', () => {
  test('an empty, an older and a current upstream state: placeholders only where the state is not current', () => {
    // GIVEN three upstream states: no outputs yet, an older contract, the current contract
    const { outputs, error } = consume(
      {
        empty: stateWith({}),
        older: stateWith({ outputs_contract: 'old', client_ids: { 'alb-1': 'realclient0000000000000001' }, issuer_url: 'https://old' }),
        current: stateWith({
          outputs_contract: CONTRACT,
          client_ids: { alb: 'realclient0000000000000000', 'alb-1': 'x' },
          issuer_url: 'https://real',
        }),
      },
      'alb',
    );
    // THEN the plan runs through; only the current one gives its real client, and the others are reported
    expect(error).toBeUndefined();
    expect(outputs!['empty-client']!.value).toBe('placeholder000000000000000');
    expect(outputs!['empty-issuer']!.value).toBe('https://placeholder');
    expect(outputs!['older-client']!.value).toBe('placeholder000000000000000');
    expect(outputs!['older-issuer']!.value).toBe('https://old');
    expect(outputs!['current-client']!.value).toBe('realclient0000000000000000');
    expect(outputs!.waiting!.value).toEqual(['empty', 'older']);
  }, 60_000);

  test('fails the plan when a current upstream lacks the client key, never falling back to another client', () => {
    const { error } = consume(
      { current: stateWith({ outputs_contract: CONTRACT, client_ids: { alb: 'realclient0000000000000000' }, issuer_url: 'https://real' }) },
      'alb-1',
    );
    expect(error).toContain('Error: Invalid index');
    expect(error).toContain('client_ids is map of string with 1 element');
    expect(error).toContain('The given key does not identify an element in this collection value.');
  }, 60_000);
});
