/** The whole comment: summary and warnings first, then as much detail as fits GitHub's limit. */
import { formatPath } from '../json-path';
import { code } from '../markdown';
import { fitPiece, fitPieces, type Piece, pieceLength } from './fit';
import type { PlanJson, StackSummary } from './plan';
import { describeOutputs, describeResource, fenceFor, type StackPlanInput, tableRow, viewOf } from './render';

/** Hidden marker used to find (and update) the comment on later pushes. */
export const MARKER = '<!-- cdktf-central-auth:terraform-plan -->';
/** GitHub's maximum issue/PR comment body length. */
export const GITHUB_COMMENT_LIMIT = 65536;
const MAX_ERROR_CHARS = 4000;

export interface CommentInput {
  stacks: StackPlanInput[];
  /** Markdown from scripts/diff.ts; null/undefined = not available */
  offlineDiff?: string | null;
  headSha?: string;
  runUrl?: string;
  /** defaults to GITHUB_COMMENT_LIMIT */
  maxLength?: number;
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
