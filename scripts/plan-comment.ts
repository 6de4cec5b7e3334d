/**
 * Builds the Markdown of the pull-request plan comment from `terraform show -json`
 * output (one file per stack), the `terraform show -no-color` text plans and the
 * offline change summary (scripts/diff.ts).
 *
 *   plan-comment.ts --plans-dir DIR [--out FILE] [--diff FILE] [--stacks a,b,c]
 *                   [--sha SHA] [--run-url URL] [--max-length N]
 *
 * DIR holds, per stack: <stack>.json (show -json), <stack>.txt (show -no-color)
 * and, when planning failed, <stack>.error.txt (see scripts/plan-stack.sh).
 *
 * Sensitive values (before_sensitive / after_sensitive, and keys that look like
 * secrets) are never printed. The result always fits GitHub's comment limit.
 */
import * as fs from 'fs';
import * as path from 'path';
import { code } from './markdown';

/** Hidden marker used to find (and update) the comment on later pushes. */
export const MARKER = '<!-- cdktf-central-auth:terraform-plan -->';
/** GitHub's maximum issue/PR comment body length. */
export const GITHUB_COMMENT_LIMIT = 65536;
export const APPLY_ORDER: readonly string[] = ['auth', 'certs', 'cluster', 'edge'];
/**
 * Defense in depth on top of terraform's own sensitivity markers. Narrower than
 * diff.ts's pattern: a plan knows what is sensitive, so e.g. refresh_token_validity
 * stays visible while access_token / webhookToken do not.
 */
const SECRET_KEY_PATTERN = /secret|password|private_key|token$/i;
const MAX_ATTRIBUTES_PER_RESOURCE = 25;
const MAX_VALUE_CHARS = 80;
const MAX_ERROR_CHARS = 4000;

// ---------------------------------------------------------------------------
// terraform JSON plan format (the parts used here)

export type PlanAction = 'no-op' | 'create' | 'read' | 'update' | 'delete' | 'forget';

export interface PlanChange {
  actions: PlanAction[];
  before?: unknown;
  after?: unknown;
  after_unknown?: unknown;
  before_sensitive?: unknown;
  after_sensitive?: unknown;
  replace_paths?: (string | number)[][];
  importing?: { id?: string; identity?: unknown } | null;
}

export interface ResourceChange {
  address: string;
  previous_address?: string;
  module_address?: string;
  mode: 'managed' | 'data';
  type: string;
  name: string;
  index?: unknown;
  deposed?: string;
  change: PlanChange;
  action_reason?: string;
}

export interface PlanJson {
  format_version?: string;
  terraform_version?: string;
  resource_changes?: ResourceChange[];
  resource_drift?: ResourceChange[];
  output_changes?: Record<string, PlanChange>;
  errored?: boolean;
  applyable?: boolean;
  complete?: boolean;
}

export type ActionKind = 'create' | 'update' | 'delete' | 'replace' | 'read' | 'forget' | 'no-op';

/** Maps terraform's action list to one kind. ["delete","create"] and ["create","delete"] are replacements. */
export function classifyActions(actions: readonly string[]): ActionKind {
  const a = [...actions].sort().join(',');
  switch (a) {
    case 'create':
      return 'create';
    case 'update':
      return 'update';
    case 'delete':
      return 'delete';
    case 'create,delete':
      return 'replace';
    case 'read':
      return 'read';
    case 'forget':
    case 'delete,forget':
      return 'forget';
    case 'no-op':
    case '':
      return 'no-op';
    default:
      throw new Error(`unknown terraform plan actions: ${JSON.stringify(actions)}`);
  }
}

export interface StackSummary {
  add: number;
  change: number;
  destroy: number;
  replace: number;
  read: number;
  forget: number;
  imports: number;
  moves: number;
  drift: number;
  outputChanges: number;
  /** managed resources (and data reads) to show, in plan order */
  changes: ResourceChange[];
  replaced: ResourceChange[];
}

export function summarizePlan(plan: PlanJson): StackSummary {
  const s: StackSummary = {
    add: 0,
    change: 0,
    destroy: 0,
    replace: 0,
    read: 0,
    forget: 0,
    imports: 0,
    moves: 0,
    drift: (plan.resource_drift ?? []).length,
    outputChanges: 0,
    changes: [],
    replaced: [],
  };
  for (const rc of plan.resource_changes ?? []) {
    const kind = classifyActions(rc.change.actions);
    const imported = !!rc.change.importing;
    const moved = !!rc.previous_address && rc.previous_address !== rc.address;
    if (imported) s.imports++;
    if (moved) s.moves++;
    switch (kind) {
      case 'create':
        s.add++;
        break;
      case 'update':
        s.change++;
        break;
      case 'delete':
        s.destroy++;
        break;
      case 'replace':
        s.replace++;
        s.replaced.push(rc);
        break;
      case 'read':
        s.read++;
        break;
      case 'forget':
        s.forget++;
        break;
      default:
        break;
    }
    if (kind !== 'no-op' || imported || moved) s.changes.push(rc);
  }
  for (const oc of Object.values(plan.output_changes ?? {})) {
    if (classifyActions(oc.actions) !== 'no-op') s.outputChanges++;
  }
  return s;
}

export function hasChanges(s: StackSummary): boolean {
  return s.add + s.change + s.destroy + s.replace + s.forget + s.imports + s.moves + s.outputChanges > 0;
}

// ---------------------------------------------------------------------------
// attribute-level changes (masked)

type Seg = string | number;

export interface AttrChange {
  path: string;
  before?: string;
  after?: string;
  sensitive: boolean;
  unknown: boolean;
  forcesReplacement: boolean;
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function child(v: unknown, seg: Seg): unknown {
  if (typeof seg === 'number') return Array.isArray(v) ? v[seg] : undefined;
  return isObj(v) ? v[seg] : undefined;
}

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function formatPath(segs: Seg[]): string {
  let out = '';
  for (const s of segs) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(s)) out += out ? `.${s}` : s;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out;
}

/** true where a *_sensitive / after_unknown mirror marks the whole value */
function flag(mirror: unknown): boolean {
  return mirror === true;
}

/** Does the mirror mark anything inside as true? */
function containsTrue(mirror: unknown): boolean {
  if (mirror === true) return true;
  if (Array.isArray(mirror)) return mirror.some(containsTrue);
  if (isObj(mirror)) return Object.values(mirror).some(containsTrue);
  return false;
}

function renderValue(v: unknown): string {
  const s = v === undefined ? 'null' : JSON.stringify(v);
  return s.length > MAX_VALUE_CHARS ? `${s.slice(0, MAX_VALUE_CHARS - 1)}…` : s;
}

/** Attribute paths that differ between before and after, with sensitive and unknown values withheld. */
export function attributeChanges(change: PlanChange): AttrChange[] {
  const out: AttrChange[] = [];
  const replacePaths = (change.replace_paths ?? []).map((p) => formatPath(p));
  const walk = (before: unknown, after: unknown, unknown: unknown, bs: unknown, as: unknown, segs: Seg[]): void => {
    const secretKey = segs.some((s) => typeof s === 'string' && SECRET_KEY_PATTERN.test(s));
    const p = formatPath(segs);
    const forces = replacePaths.some((r) => r === p);
    if (flag(unknown)) {
      out.push({
        path: p,
        before: flag(bs) || secretKey || containsTrue(bs) || before == null ? undefined : renderValue(before),
        sensitive: flag(bs) || flag(as) || secretKey,
        unknown: true,
        forcesReplacement: forces,
      });
      return;
    }
    if (deepEqual(before, after)) return;
    const sensitive = flag(bs) || flag(as) || secretKey;
    const bothObj = isObj(before) && isObj(after);
    const bothArr = Array.isArray(before) && Array.isArray(after);
    if (!sensitive && (bothObj || bothArr) && segs.length < 12) {
      const keys: Seg[] = bothArr
        ? Array.from({ length: Math.max((before as unknown[]).length, (after as unknown[]).length) }, (_, i) => i)
        : Array.from(
            new Set([
              ...Object.keys(before as object),
              ...Object.keys(after as object),
              // attributes known only after apply are absent from `after`
              ...(isObj(unknown) ? Object.keys(unknown) : []),
            ]),
          ).sort();
      for (const k of keys) {
        walk(child(before, k), child(after, k), child(unknown, k), child(bs, k), child(as, k), [...segs, k]);
      }
      return;
    }
    const hidden = sensitive || containsTrue(bs) || containsTrue(as);
    out.push({
      path: p || '(whole value)',
      before: hidden ? undefined : renderValue(before),
      after: hidden ? undefined : renderValue(after),
      sensitive: hidden,
      unknown: false,
      forcesReplacement: forces,
    });
  };
  walk(change.before ?? null, change.after ?? null, change.after_unknown, change.before_sensitive, change.after_sensitive, []);
  return out;
}

// ---------------------------------------------------------------------------
// Markdown

export interface StackPlanInput {
  name: string;
  /** parsed `terraform show -json` output */
  plan?: PlanJson;
  /** `terraform show -no-color` output */
  planText?: string;
  /** init/plan failure output */
  error?: string;
}

export interface CommentInput {
  stacks: StackPlanInput[];
  /** Markdown from scripts/diff.ts; null/undefined = not available */
  offlineDiff?: string | null;
  headSha?: string;
  runUrl?: string;
  /** defaults to GITHUB_COMMENT_LIMIT */
  maxLength?: number;
}

function fenceFor(text: string): string {
  const longest = Math.max(0, ...(text.match(/`{3,}/g) ?? []).map((m) => m.length));
  return '`'.repeat(Math.max(3, longest + 1));
}

const ICON: Record<ActionKind, string> = {
  create: '➕ create',
  update: '✏️ update',
  delete: '🗑️ **destroy**',
  replace: '♻️ **replace**',
  read: '📖 read',
  forget: '📤 forget (remove from state)',
  'no-op': '·',
};

function describeResource(rc: ResourceChange): string[] {
  const kind = classifyActions(rc.change.actions);
  const extras: string[] = [];
  if (kind === 'replace') {
    extras.push(rc.change.actions[0] === 'create' ? 'create before destroy' : 'destroy before create');
  }
  if (rc.change.importing) extras.push(`import id ${code(String(rc.change.importing.id ?? '?'))}`);
  if (rc.previous_address && rc.previous_address !== rc.address) extras.push(`moved from ${code(rc.previous_address)}`);
  if (rc.deposed) extras.push(`deposed object ${code(rc.deposed)}`);
  if (rc.action_reason) extras.push(`reason: ${rc.action_reason}`);
  const label = kind === 'no-op' ? (rc.change.importing ? '📥 import' : '🚚 move') : ICON[kind];
  const lines = [`- ${label} ${code(rc.address)}${extras.length ? ` — ${extras.join('; ')}` : ''}`];
  if (kind === 'update' || kind === 'replace') {
    const attrs = attributeChanges(rc.change);
    for (const a of attrs.slice(0, MAX_ATTRIBUTES_PER_RESOURCE)) {
      const force = a.forcesReplacement ? ' **(forces replacement)**' : '';
      let detail: string;
      if (a.unknown) detail = a.before !== undefined ? `${code(a.before)} → *(known after apply)*` : '*(known after apply)*';
      else if (a.sensitive) detail = '*(sensitive value changed)*';
      else if (a.before === 'null') detail = `added ${code(a.after ?? '')}`;
      else if (a.after === 'null') detail = `removed (was ${code(a.before ?? '')})`;
      else detail = `${code(a.before ?? '')} → ${code(a.after ?? '')}`;
      lines.push(`  - ${code(a.path)}: ${detail}${force}`);
    }
    if (attrs.length > MAX_ATTRIBUTES_PER_RESOURCE) {
      lines.push(`  - … ${attrs.length - MAX_ATTRIBUTES_PER_RESOURCE} more attribute changes`);
    }
  }
  return lines;
}

function describeOutputs(plan: PlanJson): string[] {
  const lines: string[] = [];
  for (const [name, oc] of Object.entries(plan.output_changes ?? {})) {
    const kind = classifyActions(oc.actions);
    if (kind === 'no-op') continue;
    const sensitive = !!oc.before_sensitive || !!oc.after_sensitive || SECRET_KEY_PATTERN.test(name);
    let detail = '';
    if (sensitive) detail = ' *(sensitive)*';
    else if (oc.after_unknown === true) detail = ' → *(known after apply)*';
    else if (kind === 'update') detail = `: ${code(renderValue(oc.before))} → ${code(renderValue(oc.after))}`;
    else if (kind === 'create') detail = `: ${code(renderValue(oc.after))}`;
    lines.push(`- output ${code(name)} ${kind}${detail}`);
  }
  return lines;
}

type Status = 'changes' | 'no-changes' | 'failed' | 'not-run';

interface StackView {
  input: StackPlanInput;
  status: Status;
  summary?: StackSummary;
  problem?: string;
}

function viewOf(input: StackPlanInput): StackView {
  if (input.error !== undefined) return { input, status: 'failed', problem: input.error };
  if (!input.plan) return { input, status: 'not-run' };
  const major = (input.plan.format_version ?? '1.0').split('.')[0];
  if (major !== '1') {
    return { input, status: 'failed', problem: `unsupported plan format_version ${input.plan.format_version}` };
  }
  let summary: StackSummary;
  try {
    summary = summarizePlan(input.plan);
  } catch (e) {
    return { input, status: 'failed', problem: (e as Error).message };
  }
  if (input.plan.errored) return { input, status: 'failed', summary, problem: 'terraform reported the plan as errored' };
  return { input, status: hasChanges(summary) ? 'changes' : 'no-changes', summary };
}

function tableRow(v: StackView): string {
  const name = code(v.input.name);
  if (!v.summary) {
    const result = v.status === 'failed' ? '❌ plan failed' : '⏭️ not planned';
    return `| ${name} | – | – | – | – | ${result} | |`;
  }
  const s = v.summary;
  const replace = s.replace ? `**⚠️ ${s.replace}**` : '0';
  const destroy = s.destroy ? `**${s.destroy}**` : '0';
  const notes: string[] = [];
  if (s.imports) notes.push(`${s.imports} import`);
  if (s.moves) notes.push(`${s.moves} moved`);
  if (s.forget) notes.push(`${s.forget} forget`);
  if (s.read) notes.push(`${s.read} data read at apply`);
  if (s.outputChanges) notes.push(`${s.outputChanges} output change(s)`);
  if (s.drift) notes.push(`${s.drift} drifted outside Terraform`);
  const result =
    v.status === 'failed'
      ? '❌ plan errored'
      : s.replace
        ? '⚠️ replaces resources'
        : s.destroy
          ? '🗑️ destroys resources'
          : v.status === 'changes'
            ? '🟡 changes'
            : '✅ no changes';
  return `| ${name} | ${s.add} | ${s.change} | ${destroy} | ${replace} | ${result} | ${notes.join(', ')} |`;
}

interface Piece {
  open: string;
  body: string;
  close: string;
  /** cut the body at line boundaries and append this note with the omitted count */
  unit: 'lines' | 'chars';
}

function pieceLength(p: Piece): number {
  return p.open.length + p.body.length + p.close.length;
}

/** Fits a piece into maxLen by cutting its body; null when not even the frame fits. */
function fitPiece(p: Piece, maxLen: number): string | null {
  if (pieceLength(p) <= maxLen) return p.open + p.body + p.close;
  const frame = p.open.length + p.close.length;
  const note = (n: number) => `\n… truncated: ${n} more ${p.unit} not shown (see the workflow run log)\n`;
  const room = maxLen - frame - note(p.body.length).length;
  if (room < 0) return null;
  let cut = p.body.lastIndexOf('\n', room);
  if (cut < 0) cut = 0;
  const kept = p.body.slice(0, cut);
  const omitted =
    p.unit === 'lines'
      ? p.body
          .slice(cut)
          .split('\n')
          .filter((l) => l.trim()).length
      : p.body.length - cut;
  return p.open + kept + note(omitted) + p.close;
}

/** Fits pieces into budget, smallest first, each getting a fair share of what is left. */
function fitPieces(pieces: Piece[], budget: number, omittedNote: (p: Piece) => string): { text: string[]; used: number } {
  const order = pieces.map((_p, i) => i).sort((a, b) => pieceLength(pieces[a]) - pieceLength(pieces[b]));
  const text: string[] = new Array(pieces.length).fill('');
  let left = budget;
  order.forEach((idx, n) => {
    const share = Math.floor(left / (order.length - n));
    let t = fitPiece(pieces[idx], share);
    if (t === null) {
      const note = omittedNote(pieces[idx]);
      t = note.length <= share ? note : '';
    }
    text[idx] = t;
    left -= t.length;
  });
  return { text, used: budget - left };
}

const TRUNCATED_FOOTER =
  "\n---\n✂️ Parts of this comment were shortened to fit GitHub's 65,536-character limit; the complete plans are in the workflow run log.\n";

/** The whole comment body; never longer than input.maxLength (default 65536). */
export function buildComment(input: CommentInput): string {
  const limit = input.maxLength ?? GITHUB_COMMENT_LIMIT;
  const views = input.stacks.map(viewOf);
  const order = views.map((v) => code(v.input.name)).join(' → ');

  const head: string[] = [MARKER, '## Terraform plan', ''];
  const meta: string[] = [];
  if (input.headSha) meta.push(`commit ${code(input.headSha.slice(0, 12))}`);
  if (input.runUrl) meta.push(`[workflow run](${input.runUrl})`);
  if (meta.length) head.push(`${meta.join(' · ')}`, '');
  head.push(
    `> [!NOTE]`,
    `> Stacks are planned in apply order (${order}). Later stacks read earlier stacks' outputs from the **currently applied** remote state, so if this PR changes an earlier stack's outputs, later stacks are planned against the old values; their real changes show up only after the earlier stack is applied (re-run this workflow after the deploy to see them).`,
    '',
    '| Stack | Add | Change | Destroy | Replace | Result | Notes |',
    '| --- | ---: | ---: | ---: | ---: | --- | --- |',
    ...views.map(tableRow),
    '',
    '_Replace = destroy and re-create of the same resource (not counted in Add/Destroy)._',
    '',
  );

  const replaced = views.flatMap((v) => (v.summary ? v.summary.replaced.map((rc) => ({ stack: v.input.name, rc })) : []));
  if (replaced.length) {
    head.push('> [!WARNING]', `> **${replaced.length} resource(s) will be replaced** (destroyed and re-created):`);
    for (const { stack, rc } of replaced) {
      const forced = (rc.change.replace_paths ?? []).map((p) => code(formatPath(p))).join(', ');
      head.push(`> - ${code(stack)}: ${code(rc.address)}${forced ? ` — forced by ${forced}` : ''}`);
    }
    head.push('');
  }

  const failed = views.filter((v) => v.status === 'failed');
  if (failed.length) {
    head.push('> [!CAUTION]', `> Planning failed for ${failed.map((v) => code(v.input.name)).join(', ')}.`, '');
    for (const v of failed) {
      let err = v.problem ?? '';
      if (err.length > MAX_ERROR_CHARS) err = `…${err.slice(err.length - MAX_ERROR_CHARS)}`;
      const f = fenceFor(err);
      head.push(`<details><summary>Error output of ${code(v.input.name)}</summary>`, '', f + 'text', err.trimEnd(), f, '</details>', '');
    }
  }

  let body = `${head.join('\n')}\n`;
  if (body.length + TRUNCATED_FOOTER.length > limit) {
    // pathological: even the summary does not fit
    return body.slice(0, limit - TRUNCATED_FOOTER.length) + TRUNCATED_FOOTER;
  }
  let budget = limit - body.length - TRUNCATED_FOOTER.length;
  let truncated = false;

  // 1. resource changes per stack
  const changePieces: Piece[] = views
    .filter((v) => v.summary && v.status !== 'no-changes' && (v.summary.changes.length || v.summary.outputChanges))
    .map((v) => {
      const s = v.summary as StackSummary;
      const lines = [...s.changes.flatMap(describeResource), ...describeOutputs(v.input.plan as PlanJson)];
      return {
        open: `<details><summary><b>${v.input.name}</b>: ${s.add} to add, ${s.change} to change, ${s.destroy} to destroy, ${s.replace} to replace</summary>\n\n`,
        body: `${lines.join('\n')}\n`,
        close: '\n</details>\n\n',
        unit: 'lines' as const,
      };
    });
  if (changePieces.length) {
    const heading = '### Resource changes\n\n';
    if (heading.length < budget) {
      const fitted = fitPieces(changePieces, budget - heading.length, () => '');
      truncated ||= fitted.text.some((t, i) => t.length !== pieceLength(changePieces[i]));
      body += heading + fitted.text.join('');
      budget -= heading.length + fitted.used;
    }
  }

  // 2. offline change summary
  const diffText =
    input.offlineDiff === undefined || input.offlineDiff === null
      ? '_The offline change summary is not available (see the workflow run log)._\n'
      : input.offlineDiff.replace(/^### .*\n+/, '');
  const diffPiece: Piece = {
    open: '### Offline change summary\n\n<details><summary>Synthesized configuration compared with the PR base</summary>\n\n',
    body: diffText.endsWith('\n') ? diffText : `${diffText}\n`,
    close: '\n</details>\n\n',
    unit: 'lines',
  };
  const diffFitted = fitPiece(diffPiece, budget);
  if (diffFitted !== null) {
    truncated ||= diffFitted.length !== pieceLength(diffPiece);
    body += diffFitted;
    budget -= diffFitted.length;
  } else truncated = true;

  // 3. full plans
  const planPieces: Piece[] = views
    .filter((v) => v.input.planText !== undefined)
    .map((v) => {
      const text = (v.input.planText as string).trimEnd();
      const f = fenceFor(text);
      return {
        open: `<details><summary>Full plan: <b>${v.input.name}</b></summary>\n\n${f}text\n`,
        body: `${text}\n`,
        close: `${f}\n</details>\n\n`,
        unit: 'chars' as const,
      };
    });
  if (planPieces.length) {
    const heading = '### Full plans\n\n';
    if (heading.length < budget) {
      const fitted = fitPieces(
        planPieces,
        budget - heading.length,
        (p) => `${p.open.split('\n')[0].replace('Full plan', 'Full plan (omitted, too long)')}\n\n</details>\n\n`,
      );
      truncated ||= fitted.text.some((t, i) => t.length !== pieceLength(planPieces[i]));
      body += heading + fitted.text.join('');
      budget -= heading.length + fitted.used;
    } else truncated = true;
  }

  if (truncated) body += TRUNCATED_FOOTER;
  return body;
}

// ---------------------------------------------------------------------------
// loading files + CLI

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
  'usage: plan-comment --plans-dir DIR [--out FILE] [--diff FILE] [--stacks a,b,c] [--sha SHA] [--run-url URL] [--max-length N]';

export function main(argv: string[], io: { stdout: (s: string) => void; stderr: (s: string) => void }): number {
  const opts: Record<string, string> = {};
  const known = ['--plans-dir', '--out', '--diff', '--stacks', '--sha', '--run-url', '--max-length'];
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
  const stacks = opts['--stacks']
    ? opts['--stacks']
        .split(',')
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

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2), {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
  });
}
