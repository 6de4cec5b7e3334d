/** Markdown for one stack: its summary-table row and the list of its resource and output changes. */
import { PLACEHOLDERS_OUTPUT } from '../../modules/stacks/outputs';
import { code } from '../markdown';
import { attributeChanges, renderValue, SECRET_KEY_PATTERN } from './attributes';
import { type ActionKind, classifyActions, hasChanges, type PlanJson, type ResourceChange, type StackSummary, summarizePlan } from './plan';
import { type Waiting, waitingLabel, waitsFor } from './upstream';

const MAX_ATTRIBUTES_PER_RESOURCE = 25;

export interface StackPlanInput {
  name: string;
  /** parsed `terraform show -json` output */
  plan?: PlanJson;
  /** `terraform show -no-color` output */
  planText?: string;
  /** init/plan failure output */
  error?: string;
}

export function fenceFor(text: string): string {
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

export function describeResource(rc: ResourceChange): string[] {
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

export function describeOutputs(plan: PlanJson): string[] {
  const lines: string[] = [];
  for (const [name, oc] of Object.entries(plan.output_changes ?? {})) {
    const kind = classifyActions(oc.actions);
    if (kind === 'no-op' || name === PLACEHOLDERS_OUTPUT) continue;
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

type Status = 'changes' | 'no-changes' | 'failed' | 'not-run' | 'waiting';

export interface StackView {
  input: StackPlanInput;
  status: Status;
  summary?: StackSummary;
  problem?: string;
  /** set when status is 'waiting' */
  waiting?: Waiting;
}

export function viewOf(input: StackPlanInput): StackView {
  const waiting = waitsFor(input);
  if (input.error !== undefined) {
    return waiting ? { input, status: 'waiting', waiting } : { input, status: 'failed', problem: input.error };
  }
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
  if (waiting) return { input, status: 'waiting', summary, waiting };
  return { input, status: hasChanges(summary) ? 'changes' : 'no-changes', summary };
}

export function tableRow(v: StackView): string {
  const name = code(v.input.name);
  if (!v.summary) {
    if (v.waiting) return `| ${name} | – | – | – | – | ${waitingLabel(v.waiting)} | no upstream state yet |`;
    const result = v.status === 'failed' ? '❌ plan failed' : '⏭️ not planned';
    return `| ${name} | – | – | – | – | ${result} | |`;
  }
  const s = v.summary;
  const replace = s.replace ? `**⚠️ ${s.replace}**` : '0';
  const destroy = s.destroy ? `**${s.destroy}**` : '0';
  const notes: string[] = v.waiting ? ['planned against placeholders'] : [];
  if (s.imports) notes.push(`${s.imports} import`);
  if (s.moves) notes.push(`${s.moves} moved`);
  if (s.forget) notes.push(`${s.forget} forget`);
  if (s.read) notes.push(`${s.read} data read at apply`);
  if (s.outputChanges) notes.push(`${s.outputChanges} output change(s)`);
  if (s.drift) notes.push(`${s.drift} drifted outside Terraform`);
  const result =
    v.status === 'failed'
      ? '❌ plan errored'
      : v.waiting
        ? waitingLabel(v.waiting)
        : s.replace
          ? '⚠️ replaces resources'
          : s.destroy
            ? '🗑️ destroys resources'
            : v.status === 'changes'
              ? '🟡 changes'
              : '✅ no changes';
  return `| ${name} | ${s.add} | ${s.change} | ${destroy} | ${replace} | ${result} | ${notes.join(', ')} |`;
}
