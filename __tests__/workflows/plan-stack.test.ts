import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { buildComment, loadStackInputs } from '../../scripts/plan-comment';
import { ROOT, tempDir, writeFiles } from './workflow-helpers';
import { available } from '../prerequisites';

// scripts/plan-stack.sh, the plan workflow's per-stack step: exit 0 planned, 1 failed, 3 waits
// for upstream apply. First with a stand-in terraform (runs everywhere), then with a real one.

const SCRIPT = path.join(ROOT, 'scripts', 'plan-stack.sh');
const FIXTURES = path.join(ROOT, '__tests__', 'fixtures', 'plans');

interface Run {
  status: number | null;
  output: string;
  files: string[];
  /** <stack>.error.txt, when written */
  error?: string;
  /** the PR comment built from what was written */
  comment: string;
}

/** Runs plan-stack.sh in a fresh root holding cdktf.out/stacks/<stack>/cdk.tf.json; setup may return env. */
function planStack(stack: string, setup: (root: string) => Record<string, string> | void): Run {
  const root = tempDir('plan-stack-');
  writeFiles(root, { [`cdktf.out/stacks/${stack}/cdk.tf.json`]: '{}' });
  const env = setup(root) ?? {};
  const r = spawnSync('bash', [SCRIPT, stack, 'plans'], {
    cwd: root,
    env: { ...process.env, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  const plans = path.join(root, 'plans');
  const errorFile = path.join(plans, `${stack}.error.txt`);
  const run: Run = {
    status: r.status,
    output: `${r.stdout}${r.stderr}`,
    files: fs.existsSync(plans) ? fs.readdirSync(plans).sort() : [],
    error: fs.existsSync(errorFile) ? fs.readFileSync(errorFile, 'utf8') : undefined,
    comment: buildComment({ stacks: loadStackInputs(plans, [stack]) }),
  };
  fs.rmSync(root, { recursive: true, force: true });
  return run;
}

/**
 * A stand-in `terraform` on PATH: init succeeds; plan prints PLAN_OUTPUT and exits PLAN_STATUS;
 * show prints one line, show -json prints the file SHOW_JSON.
 */
function fakeTerraform(plan: { output?: string; status?: number; json?: string }): (root: string) => Record<string, string> {
  return (root) => {
    writeFiles(root, {
      'bin/terraform': [
        '#!/usr/bin/env bash',
        'case "$2" in',
        '  plan) printf "%s" "$PLAN_OUTPUT"; exit "$PLAN_STATUS" ;;',
        '  show) if [ "$3" = -json ]; then cat "$SHOW_JSON"; else echo "Plan: text"; fi ;;',
        'esac',
        '',
      ].join('\n'),
    });
    return {
      PATH: `${path.join(root, 'bin')}:${process.env.PATH}`,
      PLAN_OUTPUT: plan.output ?? 'Plan: 0 to add\n',
      PLAN_STATUS: String(plan.status ?? 0),
      SHOW_JSON: plan.json ?? path.join(FIXTURES, 'cluster.json'),
    };
  };
}

const withFake = (stack: string, plan: Parameters<typeof fakeTerraform>[0]): Run => planStack(stack, fakeTerraform(plan));

describe('scripts/plan-stack.sh with a stand-in terraform', () => {
  test('exits 0 for a plan against real upstream values', () => {
    const r = withFake('cluster', {});
    expect([r.status, r.files]).toEqual([0, ['cluster.json', 'cluster.txt']]);
    expect(r.output).toContain('planned cluster\n');
  });

  test('exits 3 (waits for upstream apply) for a plan against placeholders, keeping the plan', () => {
    const r = withFake('cluster', { json: path.join(FIXTURES, 'placeholders', 'cluster.json') });
    expect([r.status, r.files]).toEqual([3, ['cluster.json', 'cluster.txt']]);
    expect(r.output).toContain('::notice title=terraform plan (cluster)::waits for upstream apply: auth\n');
    expect(r.output).not.toContain('::error');
  });

  test('exits 3 when the upstream stacks have no state yet, keeping the output for the comment', () => {
    const output = fs.readFileSync(path.join(FIXTURES, 'new-environment', 'edge.error.txt'), 'utf8');
    const r = withFake('edge', { output, status: 1 });
    expect([r.status, r.files]).toEqual([3, ['edge.error.txt']]);
    expect(r.output).toContain('::notice title=terraform plan (edge)::waits for upstream apply: auth, cluster\n');
    expect(r.error).toContain('Unable to find remote state');
  });

  test('fails when the plan fails for another reason (exit 1)', () => {
    const r = withFake('edge', { output: 'Error: No valid credential sources found\n', status: 1 });
    expect([r.status, r.files]).toEqual([1, ['edge.error.txt']]);
    expect(r.output).toContain('::error title=terraform plan (edge)::terraform plan failed\n');
  });

  test('fails when the stack was not synthesized (exit 1)', () => {
    const r = planStack('edge', (root) => fs.rmSync(path.join(root, 'cdktf.out'), { recursive: true }));
    expect(r.status).toBe(1);
    expect(r.error).toBe('no synthesized stack at cdktf.out/stacks/edge/cdk.tf.json\nstack edge was not synthesized\n');
  });
});

const hasTerraform = available('terraform');

(hasTerraform ? describe : describe.skip)('scripts/plan-stack.sh with a real terraform (builtin provider, offline)', () => {
  const tf = (dir: string, args: string[]) =>
    spawnSync('terraform', [`-chdir=${dir}`, ...args], { env: { ...process.env, CHECKPOINT_DISABLE: '1' }, encoding: 'utf8' });
  const write = (dir: string, config: unknown) => fs.writeFileSync(path.join(dir, 'cdk.tf.json'), JSON.stringify(config, null, 2));
  const stackDir = (root: string, stack: string) => path.join(root, 'cdktf.out', 'stacks', stack);

  test('writes show -json / -no-color output that buildComment understands', () => {
    // GIVEN a synthesized-looking stack dir with only builtin terraform_data resources, already applied once
    const config = (input: string, trigger: string) => ({
      variable: { pw: { default: 'real-plan-secret', sensitive: true } },
      resource: { terraform_data: { upd: { input }, rep: { input: 'x', triggers_replace: { password: '${var.pw}', n: trigger } } } },
    });
    // WHEN the plan script runs
    const r = planStack('edge', (root) => {
      const dir = stackDir(root, 'edge');
      write(dir, config('one', '1'));
      expect(tf(dir, ['init', '-input=false']).status).toBe(0);
      expect(tf(dir, ['apply', '-auto-approve', '-input=false']).status).toBe(0);
      write(dir, config('two', '2'));
    });
    // THEN it succeeds and the comment shows 1 update and 1 replacement without the secret
    expect([r.status, r.files]).toEqual([0, ['edge.json', 'edge.txt']]);
    const c = r.comment;
    expect(c).toContain('| `edge` | 0 | 1 | 0 | **⚠️ 1** | ⚠️ replaces resources |');
    expect(c).toContain('`terraform_data.rep` — destroy before create');
    expect(c).toContain('  - `input`: `"one"` → `"two"`');
    expect(c).toContain('Plan: 1 to add, 1 to change, 1 to destroy.');
    expect(c).not.toContain('real-plan-secret');
  }, 60_000);

  test('fails when terraform cannot plan, writing <stack>.error.txt', () => {
    const r = planStack('auth', (root) => write(stackDir(root, 'auth'), { resource: { terraform_data: { x: { no_such_argument: 1 } } } }));
    expect(r.status).toBe(1);
    expect(r.error).toContain('no_such_argument');
    expect(r.comment).toContain('❌ plan failed');
  }, 60_000);

  // What a consumer stack synthesizes: remote state with defaults, and the upstream_placeholders output.
  const consumer = (upstream: string, contract: string) => ({
    data: {
      terraform_remote_state: {
        [`remote-state-${upstream}`]: {
          backend: 'local',
          config: { path: `../../../.state/${upstream}.tfstate` },
          defaults: { outputs_contract: 'none' },
        },
      },
    },
    output: {
      upstream_placeholders: {
        value: `\${compact([data.terraform_remote_state.remote-state-${upstream}.outputs.outputs_contract == "${contract}" ? "" : "${upstream}"])}`,
      },
    },
  });

  test('exits 3 when the upstream stack has no state yet (a new environment)', () => {
    const r = planStack('cluster', (root) => write(stackDir(root, 'cluster'), consumer('auth', 'v2')));
    expect(r.status).toBe(3);
    expect(r.output).toContain('::notice title=terraform plan (cluster)::waits for upstream apply: auth');
    expect(r.error).toContain('Error: Unable to find remote state');
    expect(r.comment).toContain('| `cluster` | – | – | – | – | ⏳ waits for upstream apply: auth | no upstream state yet |');
  }, 60_000);

  test('exits 3 against an older upstream state, 0 against a current one', () => {
    const withUpstream = (applied: string) =>
      planStack('cluster', (root) => {
        const state = {
          version: 4,
          serial: 1,
          lineage: 'x',
          outputs: { outputs_contract: { value: applied, type: 'string' } },
          resources: [],
        };
        writeFiles(root, { '.state/auth.tfstate': JSON.stringify(state) });
        write(stackDir(root, 'cluster'), consumer('auth', 'v2'));
      });
    const older = withUpstream('v1');
    expect([older.status, older.files]).toEqual([3, ['cluster.json', 'cluster.txt']]);
    expect(older.output).toContain('waits for upstream apply: auth');
    expect(older.comment).toContain('| `cluster` | 0 | 0 | 0 | 0 | ⏳ waits for upstream apply: auth | planned against placeholders |');
    const current = withUpstream('v2');
    expect([current.status, current.files]).toEqual([0, ['cluster.json', 'cluster.txt']]);
    expect(current.comment).toContain('| `cluster` | 0 | 0 | 0 | 0 | ✅ no changes |');
  }, 60_000);
});
