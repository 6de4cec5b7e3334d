import * as fs from 'fs';
import * as path from 'path';
import { APPLY_ORDER } from '../../modules/stacks/outputs';
import { buildComment, loadStackInputs, MARKER, markerFor } from '../../scripts/plan-comment';
import { deploy, environments, type Obj, plan, ROOT, runStep, stepNamed, steps, tempDir, usesAction, writeFiles } from './workflow-helpers';

// The inline scripts of the workflows, run for real with bash as GitHub runs them.

const FIXTURES = path.join(ROOT, '__tests__', 'fixtures', 'plans');
const STACKS = APPLY_ORDER.join(' ');

describe('listing environments/*.yaml (environments.yml)', () => {
  const list = stepNamed(environments.jobs.list, 'List environments/*.yaml').run as string;
  const listIn = (files: string[]) => {
    const dir = tempDir('envs-');
    writeFiles(dir, Object.fromEntries(files.map((f) => [f, 'environment: x\n'])));
    const r = runStep(list, dir);
    fs.rmSync(dir, { recursive: true, force: true });
    return r;
  };

  test('emits the environment names as a JSON list for the matrix, sorted, without the README', () => {
    // GIVEN two configs and the README
    const r = listIn(['environments/prod.yaml', 'environments/dev.yaml', 'environments/README.md']);
    // THEN
    expect(r.status).toBe(0);
    expect(r.githubOutput).toBe('environments=["dev","prod"]\n');
    expect(JSON.parse(r.githubOutput.split('=')[1])).toEqual(['dev', 'prod']);
  });

  test('fails when there is no environment', () => {
    const r = listIn(['environments/README.md']);
    expect([r.status, r.githubOutput]).toEqual([1, '']);
    expect(r.output).toContain('::error::no environments/*.yaml: add one config per environment (environments/README.md)');
  });

  test('fails when a file name is not a plain environment name', () => {
    const r = listIn(['environments/dev.yaml', 'environments/Prod EU.yaml']);
    expect([r.status, r.githubOutput]).toEqual([1, '']);
    expect(r.output).toContain(
      '::error file=environments/Prod EU.yaml::environment names are 1-32 lower-case letters, digits and dashes: "Prod EU"',
    );
  });

  test('fails when a config is named .yml (it would be silently left out)', () => {
    const r = listIn(['environments/dev.yaml', 'environments/prod.yml']);
    expect(r.status).toBe(1);
    expect(r.output).toContain('::error file=environments/prod.yml::rename it to .yaml: only environments/*.yaml are environments');
  });
});

describe('the stacks step', () => {
  test('prints APPLY_ORDER, space-separated', () => {
    const r = runStep(stepNamed(plan.jobs.plan, 'Stacks in apply order').run, ROOT);
    expect([r.status, r.githubOutput]).toEqual([0, `list=${STACKS}\n`]);
  });
});

describe('the plan step', () => {
  const run = stepNamed(plan.jobs.plan, 'terraform plan').run as string;

  // A stand-in plan-stack.sh that records its calls and exits with the code given per stack.
  function planWith(codes: Record<string, number>): { status: number | null; output: string; calls: string[] } {
    const dir = tempDir('plan-step-');
    const calls = path.join(dir, 'calls');
    writeFiles(dir, {
      'scripts/plan-stack.sh': 'echo "$1" >>"$CALLS"\nfor kv in $CODES; do [ "${kv%%=*}" = "$1" ] && exit "${kv#*=}"; done\nexit 0\n',
    });
    const codesEnv = Object.entries(codes)
      .map(([s, c]) => `${s}=${c}`)
      .join(' ');
    const r = runStep(run, dir, { STACKS, CALLS: calls, CODES: codesEnv });
    const result = { ...r, calls: fs.readFileSync(calls, 'utf8').trim().split('\n') };
    fs.rmSync(dir, { recursive: true, force: true });
    return result;
  }

  test('plans every stack in apply order', () => {
    const r = planWith({});
    expect([r.status, r.calls]).toEqual([0, [...APPLY_ORDER]]);
  });

  test('does not fail on stacks that wait for upstream apply (exit 3)', () => {
    // GIVEN every stack but the first waits for the first one's apply
    const r = planWith(Object.fromEntries(APPLY_ORDER.slice(1).map((s) => [s, 3])));
    // THEN
    expect([r.status, r.calls]).toEqual([0, [...APPLY_ORDER]]);
    expect(r.output).not.toContain('::error');
  });

  test('fails when a stack failed, after planning the others', () => {
    // GIVEN the first stack fails and the others wait for it
    const [first, ...rest] = APPLY_ORDER;
    const r = planWith({ [first]: 1, ...Object.fromEntries(rest.map((s) => [s, 3])) });
    // THEN only the failed stack is named, and every stack was planned
    expect([r.status, r.calls]).toEqual([1, [...APPLY_ORDER]]);
    expect(r.output).toContain(`::error::terraform plan did not succeed for: ${first}\n`);
  });
});

describe('the comment: built per environment, posted by the comment job', () => {
  const build = steps(plan.jobs.plan).find((s) => s.name === 'Build the PR comment') as Obj;
  const script = steps(plan.jobs.comment).find(usesAction('actions/github-script'))?.with.script as string;

  /** Runs the build step as the workflow does, from a copy of a fixture plans dir. */
  function buildFor(environment: string, fixtures: string, runnerTemp: string): string {
    fs.cpSync(fixtures, path.join(runnerTemp, 'plans'), { recursive: true });
    const r = runStep(build.run, ROOT, {
      RUNNER_TEMP: runnerTemp,
      STACKS,
      ENVIRONMENT: environment,
      HEAD_SHA: 'a'.repeat(40),
      RUN_URL: 'u',
    });
    expect({ status: r.status, output: r.output }).toMatchObject({ status: 0 });
    return fs.readFileSync(path.join(runnerTemp, 'comment', `${environment}.md`), 'utf8');
  }

  // Runs the inline github-script against a fake GitHub client.
  async function post(dir: string, existing: Obj[]): Promise<Obj[]> {
    const calls: Obj[] = [];
    const github = {
      paginate: async (_fn: unknown, args: Obj) => {
        calls.push({ list: args });
        return existing;
      },
      rest: {
        issues: {
          listComments: () => undefined,
          updateComment: async (args: Obj) => calls.push({ update: { ...args, body: args.body.split('\n', 1)[0] } }),
          createComment: async (args: Obj) => {
            calls.push({ create: { ...args, body: args.body.split('\n', 1)[0] } });
            return { data: { id: 99 } };
          },
        },
      },
    };
    const context = { repo: { owner: 'acme', repo: 'central-auth' }, payload: { pull_request: { number: 7 } } };
    const core = { info: () => undefined };
    const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor;
    const fn = new AsyncFunction('github', 'context', 'core', 'require', 'process', script);
    await fn(github, context, core, require, { env: { COMMENTS_DIR: dir } });
    return calls;
  }

  test('builds one comment per environment with its own marker and the APPLY_ORDER stacks', () => {
    const tmp = tempDir('build-');
    const body = buildFor('staging', path.join(FIXTURES, 'new-environment'), tmp);
    fs.rmSync(tmp, { recursive: true, force: true });
    expect(body.startsWith(`${markerFor('staging')}\n## Terraform plan: \`staging\`\n`)).toBe(true);
    expect(body).toContain(`Stacks are planned in apply order (${APPLY_ORDER.map((s) => `\`${s}\``).join(' → ')})`);
    for (const s of APPLY_ORDER) expect(body).toContain(`| \`${s}\` |`);
  });

  test('creates the comment of a new environment and updates the one it posted before', async () => {
    // GIVEN comments built for dev and prod; a bot comment of prod exists, and a user quotes dev's marker
    const dir = tempDir('comments-');
    for (const env of ['prod', 'dev']) {
      fs.writeFileSync(path.join(dir, `${env}.md`), buildComment({ stacks: loadStackInputs(FIXTURES, APPLY_ORDER), environment: env }));
    }
    // WHEN they are posted
    const calls = await post(dir, [
      { id: 1, user: { type: 'User' }, body: `quoting ${markerFor('dev')}` },
      { id: 5, user: { type: 'Bot' }, body: `${markerFor('prod')}\nold` },
      { id: 6, user: { type: 'Bot' }, body: `${markerFor('prod-eu')}\nother environment` },
    ]);
    fs.rmSync(dir, { recursive: true, force: true });
    // THEN dev gets a new comment and prod's is updated, in file-name order
    const repo = { owner: 'acme', repo: 'central-auth' };
    expect(calls.slice(1)).toEqual([
      { create: { ...repo, issue_number: 7, body: markerFor('dev') } },
      { update: { ...repo, comment_id: 5, body: markerFor('prod') } },
    ]);
  });

  test('fails when a comment file has no environment marker', async () => {
    const dir = tempDir('comments-');
    fs.writeFileSync(path.join(dir, 'dev.md'), `${MARKER}\n## Terraform plan\n`);
    await expect(post(dir, [])).rejects.toThrow("dev.md does not start with an environment's plan marker");
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('fails when no environment uploaded a comment', async () => {
    const dir = tempDir('comments-');
    await expect(post(dir, [])).rejects.toThrow(`no plan comments in ${dir}`);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('the deploy step', () => {
  test('deploys exactly the stacks of APPLY_ORDER, in that order, with --auto-approve', () => {
    // GIVEN an npx that records its arguments
    const dir = tempDir('deploy-');
    writeFiles(dir, { 'bin/npx': '#!/usr/bin/env bash\necho "$@" >"$ARGS"\n' });
    const args = path.join(dir, 'args');
    // WHEN the deploy step runs with the stacks step's output
    const step = steps(deploy.jobs.deploy).find((s) => typeof s.run === 'string' && s.run.includes('cdktf deploy')) as Obj;
    const r = runStep(step.run, dir, { STACKS, ARGS: args, PATH: `${path.join(dir, 'bin')}:${process.env.PATH}` });
    // THEN
    expect(r.status).toBe(0);
    expect(fs.readFileSync(args, 'utf8')).toBe(`cdktf deploy ${STACKS} --auto-approve --parallelism 1 --no-color\n`);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
