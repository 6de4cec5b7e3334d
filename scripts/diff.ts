/**
 * Offline change summary: `npm run diff -- <base-ref> [--out FILE]`
 *
 * Synthesizes the current working tree and <base-ref> (in a temporary git
 * worktree) and prints, as Markdown, what changed in the synthesized Terraform
 * JSON per stack: resources, data sources, outputs and other blocks added /
 * removed / changed, with the attribute paths that changed. No cloud access.
 *
 * Exit codes: 0 success (with or without changes), 1 synth/diff failure,
 * 2 bad usage (missing or unknown ref, unknown flag).
 *
 * The comparison itself (diffSynthOutputs / renderMarkdown) is pure: it reads
 * two cdktf output directories and returns data / text.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { listStacks, runSynth } from './synth-runner';
import { code } from './markdown';

/** Order in which the stacks are applied; other stacks follow alphabetically. */
export const APPLY_ORDER: readonly string[] = ['auth', 'certs', 'cluster', 'edge'];
/** Attribute keys whose values are never printed. */
export const SECRET_KEY_PATTERN = /secret|password|token|private_key/i;
export const MASK = '***';
/** Longest rendering of one value in the Markdown. */
const MAX_VALUE_CHARS = 120;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };
type Segment = string | number;

export type ChangeKind = 'added' | 'removed' | 'changed';

export interface AttributeChange {
  /** e.g. `default_action[0].authenticate_oidc.scope` */
  path: string;
  kind: ChangeKind;
  /** rendered (JSON, truncated, masked) value before; absent when added */
  before?: string;
  /** rendered (JSON, truncated, masked) value after; absent when removed */
  after?: string;
  /** true when the values were withheld (secret key / sensitive output) */
  masked: boolean;
}

export interface BlockDiff {
  address: string;
  attributes: AttributeChange[];
}

export interface SectionDiff {
  added: string[];
  removed: string[];
  changed: BlockDiff[];
}

export const SECTION_NAMES = [
  'resources',
  'dataSources',
  'outputs',
  'variables',
  'locals',
  'providers',
  'modules',
  'terraform',
  'other',
] as const;
export type SectionName = (typeof SECTION_NAMES)[number];

export const SECTION_TITLES: Record<SectionName, string> = {
  resources: 'Resources',
  dataSources: 'Data sources',
  outputs: 'Outputs',
  variables: 'Variables',
  locals: 'Locals',
  providers: 'Providers',
  modules: 'Modules',
  terraform: 'Terraform settings (backend, required providers)',
  other: 'Other blocks',
};

export type StackStatus = 'added' | 'removed' | 'changed' | 'unchanged';

export interface StackDiff {
  stack: string;
  status: StackStatus;
  sections: Record<SectionName, SectionDiff>;
}

export interface DiffResult {
  stacks: StackDiff[];
  /** true when any stack is added, removed or changed */
  changed: boolean;
}

export interface DiffOptions {
  /**
   * Absolute paths of the two source trees. Occurrences in string values (e.g.
   * a local backend's state path) are replaced by `<repo>` so that the
   * location of the checkout is not reported as a change.
   */
  baseRoot?: string;
  headRoot?: string;
}

interface Block {
  section: SectionName;
  address: string;
  value: Json;
  /** attribute path prefixes whose values are sensitive (e.g. ['value'] of a sensitive output) */
  sensitivePrefixes: Segment[][];
  /** the block name itself looks like a secret (output / variable / local names) */
  secretName: boolean;
}

// ---------------------------------------------------------------------------
// reading a synthesized stack

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function readStackJson(outdir: string, stack: string): JsonObject {
  const file = path.join(outdir, 'stacks', stack, 'cdk.tf.json');
  if (!fs.existsSync(file)) return {};
  const parsed: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (!isObject(parsed)) throw new Error(`${file} is not a JSON object`);
  return parsed;
}

/** Deep copy without cdktf metadata (`//` keys) and with root paths normalized. */
function clean(value: Json, roots: string[]): Json {
  if (Array.isArray(value)) return value.map((v) => clean(v, roots));
  if (isObject(value)) {
    const out: JsonObject = {};
    for (const key of Object.keys(value)) {
      if (key === '//') continue;
      out[key] = clean(value[key], roots);
    }
    return out;
  }
  if (typeof value === 'string') {
    let s = value;
    for (const root of roots) if (root) s = s.split(root).join('<repo>');
    return s;
  }
  return value;
}

/** Splits one stack's Terraform JSON into addressable blocks. */
function extractBlocks(tf: JsonObject): Map<string, Block> {
  const blocks = new Map<string, Block>();
  const add = (b: Omit<Block, 'sensitivePrefixes' | 'secretName'> & Partial<Block>) =>
    blocks.set(`${b.section}:${b.address}`, {
      sensitivePrefixes: [],
      secretName: false,
      ...b,
    });

  for (const [key, value] of Object.entries(tf)) {
    if (key === '//') continue;
    switch (key) {
      case 'resource':
      case 'data': {
        if (!isObject(value)) break;
        for (const [type, byName] of Object.entries(value)) {
          if (!isObject(byName)) continue;
          for (const [name, body] of Object.entries(byName)) {
            add({
              section: key === 'resource' ? 'resources' : 'dataSources',
              address: key === 'resource' ? `${type}.${name}` : `data.${type}.${name}`,
              value: body,
            });
          }
        }
        break;
      }
      case 'output':
      case 'variable':
      case 'module': {
        if (!isObject(value)) break;
        for (const [name, body] of Object.entries(value)) {
          const sensitive = isObject(body) && body.sensitive === true;
          const section: SectionName = key === 'output' ? 'outputs' : key === 'variable' ? 'variables' : 'modules';
          add({
            section,
            address: key === 'output' ? name : key === 'variable' ? `var.${name}` : `module.${name}`,
            value: body,
            sensitivePrefixes: sensitive ? [[key === 'output' ? 'value' : 'default']] : [],
            secretName: key !== 'module' && SECRET_KEY_PATTERN.test(name),
          });
        }
        break;
      }
      case 'locals': {
        if (!isObject(value)) break;
        for (const [name, body] of Object.entries(value)) {
          add({
            section: 'locals',
            address: `local.${name}`,
            value: body,
            secretName: SECRET_KEY_PATTERN.test(name),
          });
        }
        break;
      }
      case 'provider': {
        if (!isObject(value)) break;
        for (const [name, configs] of Object.entries(value)) {
          const list = Array.isArray(configs) ? configs : [configs];
          list.forEach((cfg, i) => {
            const alias = isObject(cfg) && typeof cfg.alias === 'string' ? cfg.alias : undefined;
            add({
              section: 'providers',
              address: alias ? `provider.${name}.${alias}` : i === 0 ? `provider.${name}` : `provider.${name}[${i}]`,
              value: cfg,
            });
          });
        }
        break;
      }
      case 'terraform':
        add({ section: 'terraform', address: 'terraform', value });
        break;
      default:
        add({ section: 'other', address: key, value });
    }
  }
  return blocks;
}

// ---------------------------------------------------------------------------
// masking

function startsWith(pathSegs: Segment[], prefix: Segment[]): boolean {
  return prefix.every((seg, i) => pathSegs[i] === seg);
}

function isMaskedPath(block: Block, segs: Segment[]): boolean {
  if (block.secretName) return true;
  if (block.sensitivePrefixes.some((p) => startsWith(segs, p))) return true;
  return segs.some((s) => typeof s === 'string' && SECRET_KEY_PATTERN.test(s));
}

/** Replaces every value below a secret-looking key by MASK. */
function maskDeep(value: Json): Json {
  if (Array.isArray(value)) return value.map(maskDeep);
  if (isObject(value)) {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEY_PATTERN.test(k) ? MASK : maskDeep(v);
    return out;
  }
  return value;
}

/** Literal strings found in masked places; they are redacted wherever else they appear. */
function collectSecretLiterals(block: Block, into: Set<string>): void {
  const walk = (v: Json, segs: Segment[], masked: boolean) => {
    const m = masked || isMaskedPath(block, segs);
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...segs, i], m));
    else if (isObject(v)) for (const [k, x] of Object.entries(v)) walk(x, [...segs, k], m);
    else if (m && typeof v === 'string' && v.length >= 4 && !/^\$\{[^}]*\}$/.test(v)) into.add(v);
  };
  walk(block.value, [], false);
}

// ---------------------------------------------------------------------------
// deep diff

function formatPath(segs: Segment[]): string {
  let out = '';
  for (const seg of segs) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

function jsonEqual(a: Json | undefined, b: Json | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => jsonEqual(x, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    if (ka.length !== kb.length) return false;
    return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && jsonEqual(a[k], b[k]));
  }
  return false;
}

interface RawChange {
  segs: Segment[];
  before: Json | undefined;
  after: Json | undefined;
}

function deepDiff(a: Json | undefined, b: Json | undefined, segs: Segment[], out: RawChange[]): void {
  if (jsonEqual(a, b)) return;
  if (isObject(a) && isObject(b)) {
    const keys = Array.from(new Set([...Object.keys(a), ...Object.keys(b)])).sort();
    for (const k of keys) deepDiff(a[k], b[k], [...segs, k], out);
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) deepDiff(a[i], b[i], [...segs, i], out);
    return;
  }
  out.push({ segs, before: a, after: b });
}

function renderFull(v: Json, secrets: Set<string>): string {
  let s = JSON.stringify(maskDeep(v));
  for (const secret of secrets) s = s.split(secret).join(MASK);
  return s;
}

/**
 * Cuts a long value to MAX_VALUE_CHARS around `from`, so two long values that share a prefix
 * (a helm values document, a policy) show where they differ rather than the same opening.
 */
function window(s: string, from: number): string {
  if (s.length <= MAX_VALUE_CHARS) return s;
  const start = Math.max(0, Math.min(from - 20, s.length - (MAX_VALUE_CHARS - 2)));
  const body = s.slice(start, start + MAX_VALUE_CHARS - 2);
  return `${start > 0 ? '…' : ''}${body}${start + body.length < s.length ? '…' : ''}`;
}

function firstDifference(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

function diffBlock(base: Block, head: Block, secrets: Set<string>): AttributeChange[] {
  const raw: RawChange[] = [];
  deepDiff(base.value, head.value, [], raw);
  return raw.map((r) => {
    const masked = isMaskedPath(base, r.segs) || isMaskedPath(head, r.segs);
    const kind: ChangeKind = r.before === undefined ? 'added' : r.after === undefined ? 'removed' : 'changed';
    const change: AttributeChange = { path: formatPath(r.segs) || '(whole block)', kind, masked };
    if (!masked) {
      const before = r.before === undefined ? undefined : renderFull(r.before, secrets);
      const after = r.after === undefined ? undefined : renderFull(r.after, secrets);
      const from = before !== undefined && after !== undefined ? firstDifference(before, after) : 0;
      if (before !== undefined) change.before = window(before, from);
      if (after !== undefined) change.after = window(after, from);
    }
    return change;
  });
}

// ---------------------------------------------------------------------------
// public API

function emptySections(): Record<SectionName, SectionDiff> {
  const out = {} as Record<SectionName, SectionDiff>;
  for (const s of SECTION_NAMES) out[s] = { added: [], removed: [], changed: [] };
  return out;
}

/** Stack names in apply order, then any other stack alphabetically. */
export function orderStacks(names: Iterable<string>): string[] {
  const rank = (n: string) => {
    const i = APPLY_ORDER.indexOf(n);
    return i === -1 ? APPLY_ORDER.length : i;
  };
  return Array.from(new Set(names)).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/**
 * Compares two cdktf output directories (each containing stacks/<name>/cdk.tf.json).
 * A directory that does not exist counts as having no stacks.
 */
export function diffSynthOutputs(baseDir: string, headDir: string, options: DiffOptions = {}): DiffResult {
  const baseStacks = listStacks(baseDir);
  const headStacks = listStacks(headDir);
  const baseRoots = options.baseRoot ? [options.baseRoot] : [];
  const headRoots = options.headRoot ? [options.headRoot] : [];

  const loaded = orderStacks([...baseStacks, ...headStacks]).map((stack) => ({
    stack,
    inBase: baseStacks.includes(stack),
    inHead: headStacks.includes(stack),
    base: extractBlocks(clean(readStackJson(baseDir, stack), baseRoots) as JsonObject),
    head: extractBlocks(clean(readStackJson(headDir, stack), headRoots) as JsonObject),
  }));

  const secrets = new Set<string>();
  for (const s of loaded) for (const b of [...s.base.values(), ...s.head.values()]) collectSecretLiterals(b, secrets);

  const stacks: StackDiff[] = loaded.map(({ stack, inBase, inHead, base, head }) => {
    const sections = emptySections();
    const keys = Array.from(new Set([...base.keys(), ...head.keys()])).sort();
    for (const key of keys) {
      const b = base.get(key);
      const h = head.get(key);
      if (b && h) {
        const attributes = diffBlock(b, h, secrets);
        if (attributes.length) sections[h.section].changed.push({ address: h.address, attributes });
      } else if (h) sections[h.section].added.push(h.address);
      else if (b) sections[b.section].removed.push(b.address);
    }
    const anyChange = SECTION_NAMES.some((n) => {
      const s = sections[n];
      return s.added.length + s.removed.length + s.changed.length > 0;
    });
    const status: StackStatus = !inBase ? 'added' : !inHead ? 'removed' : anyChange ? 'changed' : 'unchanged';
    return { stack, status, sections };
  });

  return { stacks, changed: stacks.some((s) => s.status !== 'unchanged') };
}

export interface RenderOptions {
  /** heading level-3 title */
  title?: string;
  /** e.g. the base ref / short SHA */
  baseLabel?: string;
  headLabel?: string;
}

function counts(s: SectionDiff): string {
  if (s.added.length + s.removed.length + s.changed.length === 0) return '–';
  return `+${s.added.length} −${s.removed.length} ~${s.changed.length}`;
}

function otherSections(sections: Record<SectionName, SectionDiff>): SectionDiff {
  const merged: SectionDiff = { added: [], removed: [], changed: [] };
  for (const n of SECTION_NAMES) {
    if (n === 'resources' || n === 'dataSources' || n === 'outputs') continue;
    merged.added.push(...sections[n].added);
    merged.removed.push(...sections[n].removed);
    merged.changed.push(...sections[n].changed);
  }
  return merged;
}

function renderAttribute(a: AttributeChange): string {
  if (a.masked) return `  - ${code(a.path)}: ${a.kind} *(value masked)*`;
  switch (a.kind) {
    case 'added':
      return `  - ${code(a.path)}: added ${code(a.after ?? '')}`;
    case 'removed':
      return `  - ${code(a.path)}: removed (was ${code(a.before ?? '')})`;
    default:
      return `  - ${code(a.path)}: ${code(a.before ?? '')} → ${code(a.after ?? '')}`;
  }
}

/** Markdown for a DiffResult (no HTML, so it can be cut at any line). */
export function renderMarkdown(result: DiffResult, options: RenderOptions = {}): string {
  const lines: string[] = [];
  lines.push(`### ${options.title ?? 'Offline change summary'}`);
  lines.push('');
  const base = options.baseLabel ? code(options.baseLabel) : 'the base';
  const head = options.headLabel ? code(options.headLabel) : 'this change';
  lines.push(`Synthesized Terraform configuration of ${base} compared with ${head} (no cloud access; secrets are masked).`);
  lines.push('');
  if (!result.changed) {
    lines.push(
      result.stacks.length
        ? `No changes in the synthesized configuration of ${result.stacks.length} stack(s).`
        : 'No stacks were synthesized on either side.',
    );
    return `${lines.join('\n')}\n`;
  }
  lines.push('| Stack | Status | Resources | Data sources | Outputs | Other |');
  lines.push('| --- | --- | --- | --- | --- | --- |');
  for (const s of result.stacks) {
    lines.push(
      `| ${code(s.stack)} | ${s.status} | ${counts(s.sections.resources)} | ${counts(
        s.sections.dataSources,
      )} | ${counts(s.sections.outputs)} | ${counts(otherSections(s.sections))} |`,
    );
  }
  lines.push('');
  lines.push('Counts are `+added −removed ~changed`.');
  for (const s of result.stacks) {
    if (s.status === 'unchanged') continue;
    lines.push('');
    lines.push(`#### Stack ${code(s.stack)} — ${s.status}`);
    for (const name of SECTION_NAMES) {
      const sec = s.sections[name];
      if (sec.added.length + sec.removed.length + sec.changed.length === 0) continue;
      lines.push('');
      lines.push(`**${SECTION_TITLES[name]}**`);
      lines.push('');
      for (const a of sec.added) lines.push(`- ➕ added ${code(a)}`);
      for (const r of sec.removed) lines.push(`- ➖ removed ${code(r)}`);
      for (const c of sec.changed) {
        lines.push(`- ✏️ changed ${code(c.address)}`);
        for (const a of c.attributes) lines.push(renderAttribute(a));
      }
    }
  }
  return `${lines.join('\n')}\n`;
}

// ---------------------------------------------------------------------------
// CLI

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
  if (env.CENTRAL_AUTH_CONFIG) env.CENTRAL_AUTH_CONFIG = path.resolve(io.cwd, env.CENTRAL_AUTH_CONFIG);

  const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cdktf-diff-')));
  const worktree = path.join(tmp, 'base');
  let worktreeAdded = false;
  try {
    io.stderr(`diff: synthesizing the working tree\n`);
    runSynth({ cwd: headRoot, outdir: path.join(tmp, 'head-out'), env, log: io.stderr });

    const add = git(headRoot, ['worktree', 'add', '--detach', worktree, sha.out]);
    if (!add.ok) throw new Error(`git worktree add failed: ${add.err}`);
    worktreeAdded = true;
    prepareNodeModules(headRoot, worktree, { ...io, env });
    io.stderr(`diff: synthesizing ${ref} (${sha.out.slice(0, 12)})\n`);
    runSynth({ cwd: worktree, outdir: path.join(tmp, 'base-out'), env, log: io.stderr });

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

if (require.main === module) {
  main(process.argv.slice(2), {
    cwd: process.cwd(),
    env: process.env,
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`diff: ${(e as Error).stack ?? String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
