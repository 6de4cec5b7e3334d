/** `npm run plan-comment`: reading the per-stack plan files and the command line. */
import * as fs from 'fs';
import * as path from 'path';
import { APPLY_ORDER } from '../../modules/stacks/outputs';
import { buildComment } from './comment';
import type { PlanJson } from './plan';
import type { StackPlanInput } from './render';

function readOptional(file: string): string | undefined {
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
}

/** Reads <dir>/<stack>.json, .txt and .error.txt for each stack. */
export function loadStackInputs(dir: string, stacks: readonly string[]): StackPlanInput[] {
  return stacks.map((name) => {
    const input: StackPlanInput = { name };
    const error = readOptional(path.join(dir, `${name}.error.txt`));
    const json = readOptional(path.join(dir, `${name}.json`));
    const text = readOptional(path.join(dir, `${name}.txt`));
    if (error !== undefined) input.error = error;
    if (text !== undefined) input.planText = text;
    if (json !== undefined && json.trim() !== '') {
      try {
        input.plan = JSON.parse(json) as PlanJson;
      } catch (e) {
        input.error = `${input.error ?? ''}could not parse ${name}.json: ${(e as Error).message}`;
      }
    }
    return input;
  });
}

export const USAGE =
  'usage: plan-comment --plans-dir DIR [--out FILE] [--diff FILE] [--stacks "a,b c"] [--environment ENV] [--sha SHA] [--run-url URL] [--max-length N]';

export function main(argv: string[], io: { stdout: (s: string) => void; stderr: (s: string) => void }): number {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  const opts: Record<string, string> = {};
  const known = ['--plans-dir', '--out', '--diff', '--stacks', '--environment', '--sha', '--run-url', '--max-length'];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!known.includes(a) || argv[i + 1] === undefined) {
      io.stderr(`plan-comment: bad argument ${a}\n${USAGE}\n`);
      return 2;
    }
    opts[a] = argv[++i];
  }
  const dir = opts['--plans-dir'];
  if (!dir) {
    io.stderr(`plan-comment: --plans-dir is required\n${USAGE}\n`);
    return 2;
  }
  // commas or spaces: the workflow passes the space-separated APPLY_ORDER it planned
  const stacks = opts['--stacks']
    ? opts['--stacks']
        .split(/[,\s]+/)
        .map((s) => s.trim())
        .filter(Boolean)
    : [...APPLY_ORDER];
  const maxLength = opts['--max-length'] ? Number(opts['--max-length']) : undefined;
  if (maxLength !== undefined && !(maxLength > 0)) {
    io.stderr(`plan-comment: --max-length must be a positive number\n`);
    return 2;
  }
  const comment = buildComment({
    stacks: loadStackInputs(dir, stacks),
    environment: opts['--environment'] || undefined,
    offlineDiff: opts['--diff'] ? (readOptional(opts['--diff']) ?? null) : null,
    headSha: opts['--sha'],
    runUrl: opts['--run-url'],
    maxLength,
  });
  if (opts['--out']) {
    fs.mkdirSync(path.dirname(path.resolve(opts['--out'])), { recursive: true });
    fs.writeFileSync(opts['--out'], comment);
  } else io.stdout(comment);
  return 0;
}
