/** The whole comment: summary and warnings first, then as much detail as fits GitHub's limit. */
import { formatPath } from '../json-path';
import { code } from '../markdown';
import { ORDERED, statefulClass } from '../upgrade/classes';
import { fitPiece, fitPieces, type Piece, pieceLength } from './fit';
import { classifyActions, type PlanJson, type ResourceChange, type StackSummary } from './plan';
import { describeOutputs, describeResource, fenceFor, type StackPlanInput, type StackView, tableRow, viewOf } from './render';
import type { Waiting } from './upstream';

/** Hidden marker used to find (and update) the comment on later pushes. */
export const MARKER = '<!-- cdktf-central-auth:terraform-plan -->';

/** Each environment has its own comment (its own 64 KB), found by its own marker. */
export function markerFor(environment?: string): string {
  return environment ? MARKER.replace(' -->', `:${environment} -->`) : MARKER;
}

/** GitHub's maximum issue/PR comment body length. */
export const GITHUB_COMMENT_LIMIT = 65536;
const MAX_ERROR_CHARS = 4000;

export interface CommentInput {
  stacks: StackPlanInput[];
  /** the GitHub environment (environments/<name>.yaml) these plans are for */
  environment?: string;
  /** Markdown from scripts/diff.ts; null/undefined = not available */
  offlineDiff?: string | null;
  headSha?: string;
  runUrl?: string;
  /** defaults to GITHUB_COMMENT_LIMIT */
  maxLength?: number;
}

const TRUNCATED_FOOTER =
  "\n---\n✂️ Parts of this comment were shortened to fit GitHub's 65,536-character limit; the complete plans are in the workflow run log.\n";

/** Explains ⏳ rows: what they mean, which upstream each waits for, and that they are no failure. */
function waitingNote(views: StackView[]): string[] {
  const waiting = views.filter((v) => v.waiting);
  if (!waiting.length) return [];
  const lines = [
    '> [!IMPORTANT]',
    `> ⏳ **Waits for upstream apply** (not a failure): ${waiting.map((v) => code(v.input.name)).join(', ')} could not be planned against real upstream values, because an upstream stack changes in this PR (e.g. a new output) or is not applied in this environment yet. Such a stack is planned against **placeholders** (or not at all while its upstream has no state), so what is shown for it is not its real plan: that is seen after the upstream stack deploys (re-run this workflow then).`,
  ];
  for (const v of waiting) {
    const w = v.waiting as Waiting;
    const ups = w.upstreams.length ? w.upstreams.map(code).join(', ') : 'an upstream stack';
    lines.push(
      w.reason === 'placeholders'
        ? `> - ${code(v.input.name)}: planned against placeholders, the applied state of ${ups} is older than this code`
        : `> - ${code(v.input.name)}: not planned, there is no applied state of ${ups} yet`,
    );
  }
  return [...lines, ''];
}

/** The attributes that force a replacement, as code: `a`, `b[0].c`; empty when the plan names none. */
const forcedBy = (rc: ResourceChange): string => (rc.change.replace_paths ?? []).map((p) => code(formatPath(p))).join(', ');

/** A placeholder value can force a replacement the real plan will not have. */
const placeholderCaveat = (v: StackView): string => (v.waiting ? ' *(planned against placeholders)*' : '');

/**
 * The loud block at the top: every planned destroy or replacement of a resource that holds users,
 * data or what others point at (scripts/upgrade/classes.ts, the same list the upgrade test refuses),
 * with the attribute that forces it. Empty when there is none.
 */
export function destructionBlock(views: readonly StackView[]): string[] {
  const lines: string[] = [];
  for (const v of views) {
    for (const rc of v.summary?.changes ?? []) {
      const kind = classifyActions(rc.change.actions);
      if (rc.mode !== 'managed' || (kind !== 'delete' && kind !== 'replace')) continue;
      // An ORDERED resource is safe when the new one comes first (["create","delete"]).
      const destroyedFirst = kind === 'delete' || rc.change.actions[0] === 'delete';
      const kept = statefulClass(rc.type, (rc.change.before ?? undefined) as { alias?: unknown } | undefined);
      const what = kept
        ? `this change would destroy ${kept.holds}`
        : ORDERED[rc.type] && destroyedFirst
          ? `destroyed before its replacement exists: ${ORDERED[rc.type]}`
          : undefined;
      if (!what) continue;
      const forced = forcedBy(rc);
      const cause = kind === 'replace' ? (forced ? ` (forced by ${forced})` : '') : rc.action_reason ? ` (${rc.action_reason})` : '';
      lines.push(
        `> - ${code(v.input.name)}: **${kind === 'replace' ? 'replace' : 'destroy'}** ${code(rc.address)}${cause}: ${what}${placeholderCaveat(v)}`,
      );
    }
  }
  if (!lines.length) return [];
  return [
    '> [!CAUTION]',
    `> 🛑 **This change would destroy ${lines.length} resource(s) that hold users, data or what others point at.** Do not merge until each line is intended and its upgrade note says what to do:`,
    ...lines,
    '',
  ];
}

/** The whole comment body; never longer than input.maxLength (default 65536). */
export function buildComment(input: CommentInput): string {
  const limit = input.maxLength ?? GITHUB_COMMENT_LIMIT;
  const views = input.stacks.map(viewOf);
  const order = views.map((v) => code(v.input.name)).join(' → ');

  const title = input.environment ? `## Terraform plan: ${code(input.environment)}` : '## Terraform plan';
  const head: string[] = [markerFor(input.environment), title, ''];
  const meta: string[] = [];
  if (input.headSha) meta.push(`commit ${code(input.headSha.slice(0, 12))}`);
  if (input.runUrl) meta.push(`[workflow run](${input.runUrl})`);
  if (meta.length) head.push(`${meta.join(' · ')}`, '');
  head.push(...destructionBlock(views));
  head.push(
    `> [!NOTE]`,
    `> Stacks are planned in apply order (${order}). Later stacks read earlier stacks' outputs from the **currently applied** remote state, so if this PR changes the value of an earlier stack's output, later stacks are planned against the old value; their real changes show up only after the earlier stack is applied (re-run this workflow after the deploy to see them).`,
    '',
    '| Stack | Add | Change | Destroy | Replace | Result | Notes |',
    '| --- | ---: | ---: | ---: | ---: | --- | --- |',
    ...views.map(tableRow),
    '',
    '_Replace = destroy and re-create of the same resource (not counted in Add/Destroy)._',
    '',
  );

  head.push(...waitingNote(views));

  const replaced = views.flatMap((v) => (v.summary ? v.summary.replaced.map((rc) => ({ v, rc })) : []));
  if (replaced.length) {
    head.push('> [!WARNING]', `> **${replaced.length} resource(s) will be replaced** (destroyed and re-created):`);
    for (const { v, rc } of replaced) {
      const forced = forcedBy(rc);
      head.push(`> - ${code(v.input.name)}: ${code(rc.address)}${forced ? ` — forced by ${forced}` : ''}${placeholderCaveat(v)}`);
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
        open: `<details><summary><b>${v.input.name}</b>${v.waiting ? ' ⏳ (planned against placeholders)' : ''}: ${s.add} to add, ${s.change} to change, ${s.destroy} to destroy, ${s.replace} to replace</summary>\n\n`,
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
