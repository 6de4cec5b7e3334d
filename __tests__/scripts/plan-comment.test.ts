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
  markerFor,
  missingRemoteStates,
  placeholdersOf,
  summarizePlan,
  PlanJson,
  StackPlanInput,
  waitsMain,
} from '../../scripts/plan-comment';

// Hand-written `terraform show -json` plans: each holds a case the renderer must handle (sensitive values,
// imports, moves, drift, data reads, forced replacements) under addresses of its own, not today's stacks.
// The examples in docs/review.md are rendered from today's stacks instead (__tests__/docs/review.test.ts).
const FIXTURES = path.join(__dirname, '..', 'fixtures', 'plans');
const readFixture = (name: string) => fs.readFileSync(path.join(FIXTURES, name), 'utf8');
/** `edge` or `no-changes/edge`: a plan JSON fixture */
const plan = (name: string): PlanJson => JSON.parse(readFixture(`${name}.json`)) as PlanJson;
const quiet = { stdout: () => undefined, stderr: () => undefined };

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

  test('reports no changes for an all no-op plan (no-changes/edge)', () => {
    const s = summarizePlan(plan('no-changes/edge'));
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
    // GIVEN the fixture plans of every stack, their text plans and an offline summary
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
        { name: 'cluster', error: 'Error: configuring Terraform AWS Provider: no valid credential sources' },
        { name: 'edge' },
      ],
    });
    expect(c).toContain('| `cluster` | – | – | – | – | ❌ plan failed | |');
    expect(c).toContain('| `edge` | – | – | – | – | ⏭️ not planned | |');
    expect(c).toContain('> Planning failed for `cluster`.');
    expect(c).toContain('no valid credential sources');
    expect(c).toContain('_The offline change summary is not available');
  });

  test('fails when the plan format major version is unsupported', () => {
    const c = buildComment({ stacks: [{ name: 'auth', plan: { ...plan('auth'), format_version: '2.0' } }] });
    expect(c).toContain('| `auth` | – | – | – | – | ❌ plan failed | |');
    expect(c).toContain('unsupported plan format_version 2.0');
  });
});

describe('the destruction block at the top', () => {
  const change = (address: string, type: string, actions: ('create' | 'delete')[], replace?: (string | number)[][]) => ({
    address,
    mode: 'managed' as const,
    type,
    name: address.split('.')[1]!,
    change: { actions, before: {}, after: {}, ...(replace ? { replace_paths: replace } : {}) },
  });
  const stack = (name: string, changes: ReturnType<typeof change>[]): StackPlanInput => ({
    name,
    plan: { format_version: '1.2', resource_changes: changes },
  });

  test('names each stateful destroy or replacement with its cause and what it holds, above everything else', () => {
    // GIVEN a plan that replaces the user pool (case-sensitive user names) and destroys a group,
    // beside harmless changes: a listener rule replaced, a target group replaced create-first
    const c = buildComment({
      stacks: [
        stack('auth', [
          change(
            'aws_cognito_user_pool.pool',
            'aws_cognito_user_pool',
            ['delete', 'create'],
            [['username_configuration', 0, 'case_sensitive']],
          ),
          change('aws_cognito_user_group.admins', 'aws_cognito_user_group', ['delete']),
        ]),
        stack('edge', [
          change('aws_lb_listener_rule.r', 'aws_lb_listener_rule', ['delete', 'create'], [['listener_arn']]),
          change('aws_lb_target_group.t', 'aws_lb_target_group', ['create', 'delete'], [['name_prefix']]),
          change('aws_lb_target_group.u', 'aws_lb_target_group', ['delete', 'create'], [['port']]),
        ]),
      ],
      environment: 'prod',
    });
    // WHEN the comment is rendered THEN the block comes before the summary, one line per resource that matters
    const lines = c.split('\n');
    const start = lines.indexOf('> [!CAUTION]');
    expect(start).toBeGreaterThan(0);
    expect(start).toBeLessThan(lines.indexOf('> [!NOTE]'));
    expect(lines.slice(start, start + 5)).toEqual([
      '> [!CAUTION]',
      '> 🛑 **This change would destroy 3 resource(s) that hold users, data or what others point at.** Do not merge until each line is intended and its upgrade note says what to do:',
      '> - `auth`: **replace** `aws_cognito_user_pool.pool` (forced by `username_configuration[0].case_sensitive`): this change would destroy the user pool: every user, their passwords and their MFA',
      '> - `auth`: **destroy** `aws_cognito_user_group.admins`: this change would destroy a user group: every membership in it',
      '> - `edge`: **replace** `aws_lb_target_group.u` (forced by `port`): destroyed before its replacement exists: the listener forwards to it, and AWS refuses to delete a target group in use',
    ]);
    expect(lines[start + 5]).toBe('');
  });

  test("a host's alias record counts, a certificate's validation record does not", () => {
    const record = (address: string, before: object) => ({
      ...change(address, 'aws_route53_record', ['delete', 'create'], [['name']]),
      change: { actions: ['delete', 'create'] as ('create' | 'delete')[], before, after: {}, replace_paths: [['name']] },
    });
    const c = buildComment({
      stacks: [
        stack('edge', [
          record('aws_route53_record.alias-grafana', { alias: [{ name: 'x' }] }),
          record('aws_route53_record.validation', { records: ['x'] }),
        ]),
      ],
    });
    expect(c).toContain(
      "> - `edge`: **replace** `aws_route53_record.alias-grafana` (forced by `name`): this change would destroy a host's alias record: deleted first, and resolvers cache the gap",
    );
    expect(c).not.toContain('**replace** `aws_route53_record.validation` (forced');
  });

  test('is absent when nothing stateful is destroyed (the fixture plans replace the ALB: it is there)', () => {
    expect(buildComment({ stacks: [stack('edge', [change('aws_lb_listener_rule.r', 'aws_lb_listener_rule', ['delete'])])] })).not.toContain(
      '🛑',
    );
    const fixtures = buildComment({ stacks: loadStackInputs(FIXTURES, APPLY_ORDER) });
    expect(fixtures).toContain(
      '> - `edge`: **replace** `aws_lb.alb` (forced by `name`): this change would destroy the ALB: its DNS name, which every host aliases',
    );
    expect(fixtures).not.toContain('> - `cluster`: **replace**');
  });
});

describe('waits for upstream apply', () => {
  const newEnv = path.join(FIXTURES, 'new-environment');
  const missingState = (stack: string) =>
    `Error: Unable to find remote state\n\n  with data.terraform_remote_state.remote-state-${stack},\n  on cdk.tf.json line 19, in data.terraform_remote_state.remote-state-${stack}:\n`;

  test('reads the upstream stacks from the upstream_placeholders output', () => {
    expect(placeholdersOf(plan('placeholders/cluster'))).toEqual(['auth']);
    expect(placeholdersOf(plan('cluster'))).toEqual([]);
  });

  test('names the upstream stacks whose state was not found, in apply order', () => {
    expect(missingRemoteStates(readFixture('new-environment/edge.error.txt'))).toEqual(['auth', 'cluster']);
    expect(missingRemoteStates(readFixture('new-environment/cluster.error.txt'))).toEqual(['auth']);
    // terraform frames diagnostics with box-drawing characters on some terminals
    expect(missingRemoteStates(`╷\n│ ${missingState('cluster').split('\n').join('\n│ ')}\n╵\n╷\n│ Warning: x\n╵\n`)).toEqual(['cluster']);
  });

  test('still waits when the output does not name the upstream stack', () => {
    const c = buildComment({ stacks: [{ name: 'edge', error: 'Error: Unable to find remote state\n' }] });
    expect(c).toContain('| `edge` | – | – | – | – | ⏳ waits for upstream apply | no upstream state yet |');
    expect(c).toContain('> - `edge`: not planned, there is no applied state of an upstream stack yet');
  });

  test('fails when another error accompanies the missing state (a real failure is never hidden)', () => {
    expect(missingRemoteStates(`${missingState('auth')}\nError: No valid credential sources found\n`)).toBeUndefined();
    expect(missingRemoteStates('Error: Invalid expression\n')).toBeUndefined();
    expect(missingRemoteStates('terraform init failed\n')).toBeUndefined();
  });

  test('shows a new environment: auth planned, the others wait for it, nothing failed', () => {
    // GIVEN the plans of a new environment: auth creates everything, its downstream stacks find no state
    const c = buildComment({ stacks: loadStackInputs(newEnv, APPLY_ORDER), environment: 'staging' });
    // THEN
    expect(c).toContain('| `auth` | 2 | 0 | 0 | 0 | 🟡 changes | 2 output change(s) |');
    expect(c).toContain('| `cluster` | – | – | – | – | ⏳ waits for upstream apply: auth | no upstream state yet |');
    expect(c).toContain('| `edge` | – | – | – | – | ⏳ waits for upstream apply: auth, cluster | no upstream state yet |');
    expect(c).toContain('> ⏳ **Waits for upstream apply** (not a failure): `cluster`, `edge` could not be planned');
    expect(c).toContain('> - `edge`: not planned, there is no applied state of `auth`, `cluster` yet');
    expect(c).not.toContain('Planning failed');
    expect(c).not.toContain('Unable to find remote state');
  });

  test('shows a plan against placeholders with its changes, marked as such', () => {
    // GIVEN cluster planned against placeholders for auth, whose PR adds an output
    const c = buildComment({ stacks: [{ name: 'cluster', plan: plan('placeholders/cluster') }] });
    // THEN the counts stay, the result says what it waits for, the bookkeeping output is not a change
    expect(c).toContain('| `cluster` | 0 | 1 | 0 | 0 | ⏳ waits for upstream apply: auth | planned against placeholders |');
    expect(c).toContain('> - `cluster`: planned against placeholders, the applied state of `auth` is older than this code');
    expect(c).toContain('<details><summary><b>cluster</b> ⏳ (planned against placeholders): 0 to add, 1 to change');
    expect(c).not.toContain('output `upstream_placeholders`');
    expect(summarizePlan(plan('placeholders/cluster')).outputChanges).toBe(0);
  });

  test('marks replacements of a stack planned against placeholders', () => {
    const edge = plan('edge');
    const placeholders = { outputs: { upstream_placeholders: { value: ['cluster'] } } };
    const c = buildComment({ stacks: [{ name: 'edge', plan: { ...edge, planned_values: placeholders } }] });
    expect(c).toContain('> - `edge`: `aws_lb.alb` — forced by `name` *(planned against placeholders)*');
  });

  test('still fits the GitHub comment limit', () => {
    const huge = Array.from({ length: 6000 }, (_, i) => `  # aws_route53_record.r${i} will be created`).join('\n');
    const stacks = loadStackInputs(newEnv, APPLY_ORDER).map((s) => (s.name === 'auth' ? { ...s, planText: huge } : s));
    const c = buildComment({ stacks, environment: 'staging' });
    expect(c.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(c).toContain('⏳ waits for upstream apply: auth, cluster');
    expect(c).toContain("shortened to fit GitHub's 65,536-character limit");
  });

  test('waits.ts (plan-stack.sh exit code) agrees with the comment: 3 and the names, else 0', () => {
    const out: string[] = [];
    const io = { stdout: (s: string) => out.push(s), stderr: (s: string) => out.push(s) };
    expect(waitsMain([newEnv, 'edge'], io)).toBe(3);
    expect(waitsMain([path.join(FIXTURES, 'placeholders'), 'cluster'], io)).toBe(3);
    expect(waitsMain([FIXTURES, 'cluster'], io)).toBe(0);
    expect(out).toEqual(['auth, cluster\n', 'auth\n']);
  });

  test('fails when waits.ts gets the wrong arguments (exit 2)', () => {
    expect(waitsMain([FIXTURES], quiet)).toBe(2);
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

  test('gives each environment its own marker and title; --stacks takes commas or spaces', () => {
    const out: string[] = [];
    const args = ['--plans-dir', FIXTURES, '--environment', 'dev', '--stacks', `${APPLY_ORDER.join(' ')}`];
    expect(main(args, { stdout: (s) => out.push(s), stderr: (s) => out.push(s) })).toBe(0);
    expect(out.join('').startsWith(`${markerFor('dev')}\n## Terraform plan: \`dev\`\n`)).toBe(true);
    expect(markerFor('dev')).toBe('<!-- cdktf-central-auth:terraform-plan:dev -->');
    for (const s of APPLY_ORDER) expect(out.join('')).toContain(`| \`${s}\` |`);
  });

  test('fails when --plans-dir is missing (exit 2)', () => {
    const err: string[] = [];
    expect(main(['--out', 'x.md'], { stdout: () => undefined, stderr: (s) => err.push(s) })).toBe(2);
    expect(err.join('')).toContain('--plans-dir is required');
  });
});
