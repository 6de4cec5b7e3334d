/** `npm run diff`: argument handling and the temporary git worktree that holds the base ref. */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runSynth } from '../synth-runner';
import { diffSynthOutputs } from './compare';
import { renderMarkdown } from './render';

export interface CliIo {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

export const USAGE = 'usage: npm run diff -- <base-ref> [--out FILE]';

function git(cwd: string, args: string[]): { ok: boolean; out: string; err: string } {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8' });
  return { ok: r.status === 0, out: (r.stdout ?? '').trim(), err: (r.stderr ?? '').trim() };
}

function readIfExists(file: string): string | undefined {
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
}

/** Prepares node_modules in the base worktree: a symlink when the lockfiles match, else `npm ci`. */
function prepareNodeModules(headRoot: string, baseRoot: string, io: CliIo): void {
  const headLock = readIfExists(path.join(headRoot, 'package-lock.json'));
  const baseLock = readIfExists(path.join(baseRoot, 'package-lock.json'));
  const headModules = path.join(headRoot, 'node_modules');
  if (headLock !== undefined && headLock === baseLock && fs.existsSync(headModules)) {
    fs.symlinkSync(fs.realpathSync(headModules), path.join(baseRoot, 'node_modules'), 'dir');
    io.stderr('diff: package-lock.json unchanged, reusing node_modules\n');
    return;
  }
  io.stderr('diff: package-lock.json differs from the base, running npm ci in the base worktree\n');
  const r = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], {
    cwd: baseRoot,
    env: io.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
  });
  io.stderr(r.stdout ?? '');
  io.stderr(r.stderr ?? '');
  if (r.status !== 0) throw new Error(`npm ci failed in the base worktree (exit ${r.status})`);
}

function removeWorktree(headRoot: string, worktree: string): void {
  // unlink the node_modules symlink first so nothing can ever follow it
  const nm = path.join(worktree, 'node_modules');
  try {
    if (fs.lstatSync(nm).isSymbolicLink()) fs.unlinkSync(nm);
  } catch {
    /* not there */
  }
  git(headRoot, ['worktree', 'remove', '--force', worktree]);
  if (fs.existsSync(worktree)) fs.rmSync(worktree, { recursive: true, force: true });
  git(headRoot, ['worktree', 'prune']);
}

/** What one side of the diff synthesizes: a config (undefined: the selection as given), or nothing. */
interface Side {
  /** CENTRAL_AUTH_CONFIG for this side's synth; `absent`: the environment does not exist on this side. */
  readonly config: string | undefined | 'absent';
  readonly note?: string;
}

/**
 * Each side synthesizes its own config: a config file inside the repository is read as it is in that
 * side's tree (so a config-only change, an added or removed environment and the files a config names
 * all show), a file outside it is the same for both, and `example`/unset selects each tree's example.
 */
function configSides(headRoot: string, io: CliIo): { head: Side; base: (worktree: string) => Side } {
  const selected = (io.env.CENTRAL_AUTH_CONFIG ?? '').trim();
  if (selected === '' || selected === 'example') return { head: { config: undefined }, base: () => ({ config: undefined }) };
  const absolute = path.resolve(io.cwd, selected);
  const relative = path.relative(headRoot, absolute);
  if (relative.startsWith('..') || path.isAbsolute(relative)) {
    return {
      head: { config: absolute },
      base: () => ({ config: absolute, note: `${selected} is outside the repository: both sides use it as it is now` }),
    };
  }
  const head: Side = fs.existsSync(absolute)
    ? { config: absolute }
    : { config: 'absent', note: `${relative} does not exist in the working tree: the environment is removed` };
  return {
    head,
    base: (worktree) => {
      const file = path.join(worktree, relative);
      return fs.existsSync(file)
        ? { config: file }
        : { config: 'absent', note: `${relative} does not exist at the base: the environment is new` };
    },
  };
}

/** Synthesizes one side into `outdir`; an absent environment is an output without stacks. */
async function synthSide(side: Side, cwd: string, outdir: string, env: NodeJS.ProcessEnv, io: CliIo): Promise<void> {
  if (side.config === 'absent') {
    fs.mkdirSync(path.join(outdir, 'stacks'), { recursive: true });
    return;
  }
  const sideEnv = side.config === undefined ? env : { ...env, CENTRAL_AUTH_CONFIG: side.config };
  await runSynth({ cwd, outdir, env: sideEnv, log: io.stderr });
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  let ref: string | undefined;
  let outFile: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--out') {
      outFile = argv[++i];
      if (!outFile) {
        io.stderr(`diff: --out needs a file name\n${USAGE}\n`);
        return 2;
      }
    } else if (a === '-h' || a === '--help') {
      io.stdout(`${USAGE}\n`);
      return 0;
    } else if (a.startsWith('-')) {
      io.stderr(`diff: unknown option ${a}\n${USAGE}\n`);
      return 2;
    } else if (ref === undefined) {
      ref = a;
    } else {
      io.stderr(`diff: unexpected argument ${a}\n${USAGE}\n`);
      return 2;
    }
  }
  if (!ref) {
    io.stderr(`diff: missing base ref\n${USAGE}\n`);
    return 2;
  }
  const top = git(io.cwd, ['rev-parse', '--show-toplevel']);
  if (!top.ok) {
    io.stderr(`diff: ${io.cwd} is not inside a git repository\n`);
    return 2;
  }
  const headRoot = fs.realpathSync(top.out);
  const sha = git(headRoot, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  if (!sha.ok || !sha.out) {
    io.stderr(`diff: unknown git ref "${ref}" (fetch it first, e.g. git fetch origin ${ref})\n`);
    return 2;
  }

  const env: NodeJS.ProcessEnv = { ...io.env };
  const sides = configSides(headRoot, io);

  const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cdktf-diff-')));
  const worktree = path.join(tmp, 'base');
  let worktreeAdded = false;
  try {
    const add = git(headRoot, ['worktree', 'add', '--detach', worktree, sha.out]);
    if (!add.ok) throw new Error(`git worktree add failed: ${add.err}`);
    worktreeAdded = true;
    prepareNodeModules(headRoot, worktree, { ...io, env });
    io.stderr(`diff: synthesizing the working tree and ${ref} (${sha.out.slice(0, 12)})\n`);
    const base = sides.base(worktree);
    for (const note of [sides.head.note, base.note]) if (note) io.stderr(`diff: ${note}\n`);
    await Promise.all([
      synthSide(sides.head, headRoot, path.join(tmp, 'head-out'), env, io),
      synthSide(base, worktree, path.join(tmp, 'base-out'), env, io),
    ]);

    const result = diffSynthOutputs(path.join(tmp, 'base-out'), path.join(tmp, 'head-out'), {
      baseRoot: worktree,
      headRoot,
    });
    const md = renderMarkdown(result, { baseLabel: `${ref} (${sha.out.slice(0, 7)})`, headLabel: 'working tree' });
    if (outFile) fs.writeFileSync(path.resolve(io.cwd, outFile), md);
    else io.stdout(md);
    return 0;
  } catch (e) {
    io.stderr(`diff: ${(e as Error).message}\n`);
    return 1;
  } finally {
    if (worktreeAdded || fs.existsSync(worktree)) removeWorktree(headRoot, worktree);
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
