import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { APPLY_ORDER } from '../../modules/stacks/outputs';
import {
  GITHUB_COMMENT_LIMIT,
  MARKER,
  attributeChanges,
  buildComment,
  classifyActions,
  loadStackInputs,
  main,
  summarizePlan,
  PlanJson,
  StackPlanInput,
} from '../../scripts/plan-comment';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'plans');
const readFixture = (name: string) => fs.readFileSync(path.join(FIXTURES, name), 'utf8');
const plan = (stack: string): PlanJson => JSON.parse(readFixture(`${stack}.json`)) as PlanJson;

describe('classifyActions', () => {
  test.each([
    [['create'], 'create'],
    [['update'], 'update'],
    [['delete'], 'delete'],
    [['delete', 'create'], 'replace'],
    [['create', 'delete'], 'replace'],
    [['no-op'], 'no-op'],
    [['read'], 'read'],
    [['forget'], 'forget'],
  ])('maps %j to %s', (actions, kind) => {
    expect(classifyActions(actions)).toBe(kind);
  });

  test('fails when the action list is unknown', () => {
    expect(() => classifyActions(['explode'])).toThrow('unknown terraform plan actions: ["explode"]');
  });
});

describe('summarizePlan on hand-written plan fixtures', () => {
  test('counts creates, updates, reads and output changes (auth)', () => {
    // GIVEN the auth plan (1 create, 1 update, 1 no-op, 1 data read, 2 changed outputs, 1 drift)
    const s = summarizePlan(plan('auth'));
    // THEN
    expect([s.add, s.change, s.destroy, s.replace, s.read, s.outputChanges, s.drift]).toEqual([1, 1, 0, 0, 1, 2, 1]);
    expect(s.changes.map((c) => c.address)).toEqual([
      'aws_cognito_user_pool_client.alb',
      'aws_cognito_user_pool_domain.this',
      'data.aws_region.current',
    ]);
  });

  test('counts replacements (create-before-destroy), deletes, imports and moves (cluster)', () => {
    const s = summarizePlan(plan('cluster'));
    expect([s.add, s.change, s.destroy, s.replace, s.imports, s.moves]).toEqual([0, 1, 1, 1, 1, 1]);
    expect(s.replaced.map((r) => r.address)).toEqual(['aws_lb_target_group.apps["grafana"]']);
  });

  test('reports no changes for an all no-op plan (certs)', () => {
    const s = summarizePlan(plan('certs'));
    expect(s.changes).toEqual([]);
    expect([s.add, s.change, s.destroy, s.replace, s.outputChanges]).toEqual([0, 0, 0, 0, 0]);
  });
});

describe('attributeChanges', () => {
  test('lists changed paths with values, marks forced replacement and unknown values', () => {
    const alb = plan('edge').resource_changes?.find((r) => r.address === 'aws_lb.alb');
    const changes = attributeChanges(alb!.change);
    expect(changes.map((c) => c.path)).toEqual(['arn', 'dns_name', 'id', 'name']);
    expect(changes.find((c) => c.path === 'name')).toEqual({
      path: 'name',
      before: '"central-auth"',
      after: '"central-auth-v2"',
      sensitive: false,
      unknown: false,
      forcesReplacement: true,
    });
    expect(changes.find((c) => c.path === 'dns_name')).toMatchObject({ unknown: true, before: undefined });
  });

  test('withholds values marked by before_sensitive / after_sensitive', () => {
    const listener = plan('edge').resource_changes?.find((r) => r.address === 'aws_lb_listener.https');
    const secret = attributeChanges(listener!.change).find((c) => c.path.endsWith('client_secret'));
    expect(secret).toEqual({
      path: 'default_action[0].authenticate_oidc[0].client_secret',
      before: undefined,
      after: undefined,
      sensitive: true,
      unknown: false,
      forcesReplacement: false,
    });
  });
});

describe('buildComment', () => {
  let inputs: StackPlanInput[];
  let comment: string;

  beforeAll(() => {
    // GIVEN the four fixture plans, their text plans and an offline summary
    inputs = loadStackInputs(FIXTURES, APPLY_ORDER);
    // WHEN the comment is built
    comment = buildComment({
      stacks: inputs,
      offlineDiff: readFixture('offline-diff.md'),
      headSha: '0123456789abcdef0123456789abcdef01234567',
      runUrl: 'https://github.com/example/central-auth/actions/runs/42',
    });
  });

  test('starts with the hidden marker used to find and update the comment', () => {
    expect(comment.startsWith(`${MARKER}\n`)).toBe(true);
  });

  test('has a per-stack summary table in apply order with replacements highlighted', () => {
    expect(comment).toContain('| `auth` | 1 | 1 | 0 | 0 | 🟡 changes |');
    expect(comment).toContain('| `certs` | 0 | 0 | 0 | 0 | ✅ no changes |');
    expect(comment).toContain('| `cluster` | 0 | 1 | **1** | **⚠️ 1** | ⚠️ replaces resources | 1 import, 1 moved |');
    expect(comment).toContain('| `edge` | 0 | 1 | 0 | **⚠️ 1** | ⚠️ replaces resources |');
    const rows = APPLY_ORDER.map((s) => comment.indexOf(`| \`${s}\` |`));
    expect(rows).toEqual([...rows].sort((a, b) => a - b));
    expect(comment).toContain('> **2 resource(s) will be replaced**');
    expect(comment).toContain('> - `edge`: `aws_lb.alb` — forced by `name`');
  });

  test('explains that later stacks are planned against the currently applied state', () => {
    expect(comment).toContain('**currently applied** remote state');
  });

  test('never prints sensitive values', () => {
    expect(comment).not.toContain('FIXTURE-CLIENT-SECRET');
    expect(comment).not.toContain('FIXTURE-HELM-TOKEN');
    expect(comment).toContain('`default_action[0].authenticate_oidc[0].client_secret`: *(sensitive value changed)*');
    expect(comment).toContain('output `cross-stack-output-aws_cognito_user_pool_clientalbclient_secret` update *(sensitive)*');
  });

  test('includes resource details, the offline summary and the full plans collapsed', () => {
    expect(comment).toContain('  - `port`: `3000` → `8080` **(forces replacement)**');
    expect(comment).toContain('  - `refresh_token_validity`: `30` → `7`');
    expect(comment).toContain('### Offline change summary');
    expect(comment).toContain('| `edge` | changed | +0 −0 ~2 |');
    for (const s of APPLY_ORDER) expect(comment).toContain(`<details><summary>Full plan: <b>${s}</b></summary>`);
    expect(comment).toContain('Plan: 1 to import, 1 to add, 1 to change, 2 to destroy.');
    expect(comment).not.toContain('shortened to fit');
    // balanced HTML blocks
    expect(comment.match(/<details>/g)?.length).toBe(comment.match(/<\/details>/g)?.length);
  });

  test('truncates gracefully to the GitHub comment limit', () => {
    // GIVEN a plan text far larger than GitHub allows
    const huge = Array.from({ length: 6000 }, (_, i) => `  # aws_route53_record.r${i} will be created`).join('\n');
    const big = inputs.map((s) => (s.name === 'cluster' ? { ...s, planText: huge } : s));
    // WHEN the comment is built
    const c = buildComment({ stacks: big, offlineDiff: readFixture('offline-diff.md') });
    // THEN it fits, keeps the summary and the small plans, and says it was shortened
    expect(c.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(c.length).toBeGreaterThan(GITHUB_COMMENT_LIMIT - 2000);
    expect(c).toContain('| `edge` | 0 | 1 | 0 | **⚠️ 1** |');
    expect(c).toContain('Plan: 1 to add, 1 to change, 1 to destroy.');
    expect(c).toMatch(/… truncated: \d+ more chars not shown/);
    expect(c).toContain("shortened to fit GitHub's 65,536-character limit");
    expect(c.match(/<details>/g)?.length).toBe(c.match(/<\/details>/g)?.length);
    expect((c.match(/^```/gm) ?? []).length % 2).toBe(0);
  });

  test('truncates to a small custom limit without breaking the markup', () => {
    const c = buildComment({ stacks: inputs, offlineDiff: readFixture('offline-diff.md'), maxLength: 6000 });
    expect(c.length).toBeLessThanOrEqual(6000);
    expect(c).toContain('| `cluster` |');
    expect(c.match(/<details>/g)?.length ?? 0).toBe(c.match(/<\/details>/g)?.length ?? 0);
  });

  test('shows failed and not-run stacks and the error output', () => {
    const c = buildComment({
      stacks: [
        { name: 'auth', plan: plan('auth') },
        { name: 'certs', error: 'Error: configuring Terraform AWS Provider: no valid credential sources' },
        { name: 'cluster' },
      ],
    });
    expect(c).toContain('| `certs` | – | – | – | – | ❌ plan failed | |');
    expect(c).toContain('| `cluster` | – | – | – | – | ⏭️ not planned | |');
    expect(c).toContain('> Planning failed for `certs`.');
    expect(c).toContain('no valid credential sources');
    expect(c).toContain('_The offline change summary is not available');
  });

  test('fails when the plan format major version is unsupported', () => {
    const c = buildComment({ stacks: [{ name: 'auth', plan: { ...plan('auth'), format_version: '2.0' } }] });
    expect(c).toContain('| `auth` | – | – | – | – | ❌ plan failed | |');
    expect(c).toContain('unsupported plan format_version 2.0');
  });
});

describe('plan-comment CLI', () => {
  test('writes the comment file from a plans directory', () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'plan-comment-')), 'c', 'comment.md');
    const err: string[] = [];
    const code = main(['--plans-dir', FIXTURES, '--out', out, '--diff', path.join(FIXTURES, 'offline-diff.md')], {
      stdout: () => undefined,
      stderr: (s) => err.push(s),
    });
    expect(code).toBe(0);
    expect(fs.readFileSync(out, 'utf8')).toContain(MARKER);
  });

  test('fails when --plans-dir is missing (exit 2)', () => {
    const err: string[] = [];
    expect(main(['--out', 'x.md'], { stdout: () => undefined, stderr: (s) => err.push(s) })).toBe(2);
    expect(err.join('')).toContain('--plans-dir is required');
  });
});

const hasTerraform = spawnSync('terraform', ['version'], { encoding: 'utf8' }).status === 0;

(hasTerraform ? describe : describe.skip)('scripts/plan-stack.sh with a real terraform (builtin provider, offline)', () => {
  test('writes show -json / -no-color output that buildComment understands', () => {
    // GIVEN a synthesized-looking stack dir with only builtin terraform_data resources, already applied once
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'plan-stack-'));
    const dir = path.join(root, 'cdktf.out', 'stacks', 'edge');
    fs.mkdirSync(dir, { recursive: true });
    const write = (input: string, trigger: string) =>
      fs.writeFileSync(
        path.join(dir, 'cdk.tf.json'),
        JSON.stringify({
          variable: { pw: { default: 'real-plan-secret', sensitive: true } },
          resource: {
            terraform_data: {
              upd: { input },
              rep: { input: 'x', triggers_replace: { password: '${var.pw}', n: trigger } },
            },
          },
        }),
      );
    write('one', '1');
    const env = { ...process.env, TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1' };
    const tf = (args: string[]) => spawnSync('terraform', [`-chdir=${dir}`, ...args], { env, encoding: 'utf8' });
    expect(tf(['init', '-input=false']).status).toBe(0);
    expect(tf(['apply', '-auto-approve', '-input=false']).status).toBe(0);
    write('two', '2');
    // WHEN the plan script runs
    const plans = path.join(root, 'plans');
    const script = path.resolve(__dirname, '..', '..', 'scripts', 'plan-stack.sh');
    const r = spawnSync('bash', [script, 'edge', plans], { cwd: root, env, encoding: 'utf8' });
    // THEN it succeeds and the comment shows 1 update and 1 replacement without the secret
    expect(r.status).toBe(0);
    expect(fs.existsSync(path.join(plans, 'edge.error.txt'))).toBe(false);
    const c = buildComment({ stacks: loadStackInputs(plans, ['edge']) });
    expect(c).toContain('| `edge` | 0 | 1 | 0 | **⚠️ 1** | ⚠️ replaces resources |');
    expect(c).toContain('`terraform_data.rep` — destroy before create');
    expect(c).toContain('  - `input`: `"one"` → `"two"`');
    expect(c).toContain('Plan: 1 to add, 1 to change, 1 to destroy.');
    expect(c).not.toContain('real-plan-secret');
    fs.rmSync(root, { recursive: true, force: true });
  }, 60_000);

  test('fails when terraform cannot plan, writing <stack>.error.txt', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'plan-stack-bad-'));
    const dir = path.join(root, 'cdktf.out', 'stacks', 'auth');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'cdk.tf.json'), '{"resource": {"terraform_data": {"x": {"no_such_argument": 1}}}}');
    const plans = path.join(root, 'plans');
    const script = path.resolve(__dirname, '..', '..', 'scripts', 'plan-stack.sh');
    const r = spawnSync('bash', [script, 'auth', plans], {
      cwd: root,
      env: { ...process.env, CHECKPOINT_DISABLE: '1' },
      encoding: 'utf8',
    });
    expect(r.status).not.toBe(0);
    expect(fs.readFileSync(path.join(plans, 'auth.error.txt'), 'utf8')).toContain('no_such_argument');
    const c = buildComment({ stacks: loadStackInputs(plans, ['auth']) });
    expect(c).toContain('❌ plan failed');
    fs.rmSync(root, { recursive: true, force: true });
  }, 60_000);
});

describe('docs/review.md', () => {
  test('its example comment is what plan-comment renders from the fixtures', () => {
    // GIVEN the example embedded in the docs
    const doc = fs.readFileSync(path.resolve(__dirname, '..', '..', 'docs', 'review.md'), 'utf8');
    const m = doc.match(/<!-- example:start -->\n([\s\S]*)<!-- example:end -->/);
    // WHEN the fixtures are rendered with the same arguments as in the docs
    const expected = buildComment({
      stacks: loadStackInputs(FIXTURES, APPLY_ORDER),
      offlineDiff: readFixture('offline-diff.md'),
      headSha: '0123456789abcdef0123456789abcdef01234567',
      runUrl: 'https://github.com/OWNER/REPO/actions/runs/123',
    });
    // THEN they are identical (regenerate the docs when the format changes)
    expect(m?.[1]).toBe(expected);
  });
});
