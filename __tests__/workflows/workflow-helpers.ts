/** Parsed workflows and a runner for their inline bash, shared by the workflow tests. */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';

export type Obj = Record<string, any>; // parsed YAML

export const ROOT = path.resolve(__dirname, '..', '..');
const WORKFLOWS = path.join(ROOT, '.github', 'workflows');
export const readRaw = (name: string) => fs.readFileSync(path.join(WORKFLOWS, name), 'utf8');
const load = (name: string): Obj => parse(readRaw(name)) as Obj;

export const plan = load('plan.yml');
export const deploy = load('deploy.yml');
/** The reusable workflow both call to list environments/*.yaml. */
export const environments = load('environments.yml');
export const all: [string, Obj][] = [
  ['plan.yml', plan],
  ['deploy.yml', deploy],
  ['environments.yml', environments],
];

export function steps(job: Obj): Obj[] {
  return (job.steps ?? []) as Obj[];
}
export function indexOfStep(job: Obj, pred: (s: Obj) => boolean, what: string): number {
  const i = steps(job).findIndex(pred);
  if (i < 0) throw new Error(`step not found: ${what}`);
  return i;
}
export function stepNamed(job: Obj, name: string): Obj {
  return steps(job)[indexOfStep(job, (s) => s.name === name, name)];
}
export const usesAction = (name: string) => (s: Obj) => typeof s.uses === 'string' && s.uses.startsWith(`${name}@`);
export const runs = (re: RegExp) => (s: Obj) => typeof s.run === 'string' && re.test(s.run);

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Writes files (relative path → content) below dir; .sh files are made executable. */
export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [rel, content] of Object.entries(files)) {
    const file = path.join(dir, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content, { mode: rel.endsWith('.sh') || !rel.includes('.') ? 0o755 : 0o644 });
  }
}

export interface StepRun {
  status: number | null;
  output: string;
  /** what the step wrote to $GITHUB_OUTPUT */
  githubOutput: string;
}

/** Runs a step's `run:` as GitHub does for `shell: bash` (bash --noprofile --norc -eo pipefail). */
export function runStep(run: string, cwd: string, env: Record<string, string> = {}): StepRun {
  const tmp = tempDir('step-');
  const script = path.join(tmp, 'step.sh');
  const githubOutput = path.join(tmp, 'github-output');
  fs.writeFileSync(script, run);
  fs.writeFileSync(githubOutput, '');
  const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: os.homedir(), RUNNER_TEMP: tmp, GITHUB_OUTPUT: githubOutput, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  const result = { status: r.status, output: `${r.stdout}${r.stderr}`, githubOutput: fs.readFileSync(githubOutput, 'utf8') };
  fs.rmSync(tmp, { recursive: true, force: true });
  return result;
}
