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
import { main } from './plan-comment/cli';

export { type AttrChange, attributeChanges } from './plan-comment/attributes';
export { loadStackInputs, main, USAGE } from './plan-comment/cli';
export { buildComment, type CommentInput, GITHUB_COMMENT_LIMIT, MARKER } from './plan-comment/comment';
export {
  type ActionKind,
  classifyActions,
  hasChanges,
  type PlanAction,
  type PlanChange,
  type PlanJson,
  type ResourceChange,
  type StackSummary,
  summarizePlan,
} from './plan-comment/plan';
export type { StackPlanInput } from './plan-comment/render';

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2), {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
  });
}
