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
  const listIn = (files: string[], order?: string) => {
    const dir = tempDir('envs-');
    writeFiles(dir, Object.fromEntries(files.map((f) => [f, 'environment: x\n'])));
    if (order !== undefined) writeFiles(dir, { 'environments/order': order });
    const r = runStep(list, dir);
    fs.rmSync(dir, { recursive: true, force: true });
    return r;
  };
  const THREE = ['environments/prod.yaml', 'environments/dev.yaml', 'environments/staging.yaml', 'environments/README.md'];

  test('emits the environment names as a JSON list in the order environments/order gives, not file-name order', () => {
    // GIVEN three configs, the README, and an order with comments and blank lines
    const r = listIn(THREE, '# promotion\ndev\n\nstaging   # after dev\nprod');
    // THEN dev, staging, prod (file-name order would put prod before staging)
    expect([r.status, r.githubOutput]).toEqual([0, 'environments=["dev","staging","prod"]\n']);
  });

  test('a single environment needs no order file', () => {
    const r = listIn(['environments/dev.yaml', 'environments/README.md']);
    expect([r.status, r.githubOutput]).toEqual([0, 'environments=["dev"]\n']);
  });

  test.each([
    [
      undefined,
      '::error file=environments/order::missing: write the order environments deploy in, one name per line (e.g. dev, staging, prod)',
    ],
    ['dev\nstaging\ndev\nprod\n', '::error file=environments/order::"dev" is listed twice: each environment deploys once per run'],
    ['dev\nstaging\n', '::error file=environments/prod.yaml::"prod" is missing from environments/order: add it where it deploys'],
    ['dev\nqa\nstaging\nprod\n', '::error file=environments/order::"qa" has no environments/qa.yaml'],
  ])('fails the first job when the order is %j', (order, message) => {
    const r = listIn(THREE, order);
    expect([r.status, r.githubOutput]).toEqual([1, '']);
    expect(r.output).toContain(message);
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

  test("the project's own environments/ lists in its order", () => {
    const r = runStep(list, ROOT);
    expect(r.status).toBe(0);
    expect(r.githubOutput).toMatch(/^environments=\["dev"/);
  });
});

describe('the deploy order check (deploy.yml: the previous environment deployed this commit)', () => {
  const check = stepNamed(deploy.jobs.deploy, 'The previous environment deployed this commit').run as string;
  const SHA = '0123456789abcdef0123456789abcdef01234567';
  /**
   * A stand-in `gh` answering the two REST calls the step makes with GitHub's documented shapes
   * (GET /repos/{owner}/{repo}/deployments and …/deployments/{id}/statuses, newest first), through
   * gh's own --jq (here: the real jq).
   */
  const runCheck = (environment: string, deployments: Record<string, { id: number; states: string[] }>) => {
    const dir = tempDir('order-');
    const db = path.join(dir, 'db.json');
    fs.writeFileSync(db, JSON.stringify(deployments));
    writeFiles(dir, {
      'bin/gh': [
        '#!/usr/bin/env bash',
        'echo "$*" >> "$(dirname "$0")/calls"',
        'url="$2"; jq_expr="$4"',
        `list='deployments[?]environment=([a-z0-9-]+)&sha=${SHA}'; statuses='deployments/([0-9]+)/statuses'`,
        'if [[ "$url" =~ $list ]]; then',
        `  jq -c --arg e "\${BASH_REMATCH[1]}" 'if .[$e] then [{id: .[$e].id, sha: "${SHA}", environment: $e}] else [] end' "${db}" | jq -r "$jq_expr"`,
        'elif [[ "$url" =~ $statuses ]]; then',
        `  jq -c --argjson id "\${BASH_REMATCH[1]}" '[.[] | select(.id == $id) | .states[] | {state: .}]' "${db}" | jq -r "$jq_expr"`,
        'else echo "unexpected call $url" >&2; exit 1; fi',
      ].join('\n'),
    });
    fs.chmodSync(path.join(dir, 'bin', 'gh'), 0o755);
    const r = runStep(check, dir, {
      PATH: `${path.join(dir, 'bin')}:${process.env.PATH}`,
      ORDER: '["dev","staging","prod"]',
      ENVIRONMENT: environment,
      GITHUB_REPOSITORY: 'acme/central-auth',
      GITHUB_SHA: SHA,
    });
    const calls = fs.existsSync(path.join(dir, 'bin', 'calls'))
      ? fs
          .readFileSync(path.join(dir, 'bin', 'calls'), 'utf8')
          .trim()
          .split('\n')
      : [];
    fs.rmSync(dir, { recursive: true, force: true });
    return { ...r, calls };
  };

  test('the first environment goes without asking', () => {
    const r = runCheck('dev', {});
    expect([r.status, r.calls]).toEqual([0, []]);
    expect(r.output).toContain('dev is the first environment in environments/order');
  });

  test('an environment follows once the one before it deployed this commit', () => {
    const r = runCheck('staging', { dev: { id: 41, states: ['success', 'in_progress', 'queued'] } });
    expect(r.status).toBe(0);
    expect(r.output).toContain('dev deployed 0123456: staging may follow');
    expect(r.calls).toEqual([
      `api repos/acme/central-auth/deployments?environment=dev&sha=${SHA}&per_page=1 --jq .[0].id // empty`,
      'api repos/acme/central-auth/deployments/41/statuses?per_page=1 --jq .[0].state // empty',
    ]);
  });

  test.each([
    ['not deployed there at all', {}, 'no deployment'],
    ['still running there', { staging: { id: 7, states: ['in_progress', 'queued'] } }, 'in_progress'],
    ['failed there', { staging: { id: 7, states: ['failure', 'in_progress'] } }, 'failure'],
  ])('an environment refuses to start when the one before it is %s', (_what, deployments, seen) => {
    const r = runCheck('prod', deployments as Record<string, { id: number; states: string[] }>);
    expect(r.status).toBe(1);
    expect(r.output).toContain(
      `::error title=deploy order::prod deploys after staging (environments/order), and staging has not deployed 0123456 (${seen})`,
    );
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
