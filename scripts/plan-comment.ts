/**
 * Builds the Markdown of the pull-request plan comment from `terraform show -json`
 * output (one file per stack), the `terraform show -no-color` text plans and the
 * offline change summary (scripts/diff.ts).
 *
 *   plan-comment.ts --plans-dir DIR [--out FILE] [--diff FILE] [--stacks "a,b c"]
 *                   [--environment ENV] [--sha SHA] [--run-url URL] [--max-length N]
 *
 * DIR holds, per stack: <stack>.json (show -json), <stack>.txt (show -no-color)
 * and, when planning failed, <stack>.error.txt (see scripts/plan-stack.sh). A stack
 * planned against placeholders, or not planned because an upstream stack has no state
 * yet, is shown as "⏳ waits for upstream apply", not as a failure (plan-comment/upstream.ts).
 * With --environment the comment has that environment's own marker (one comment each).
 *
 * Sensitive values (before_sensitive / after_sensitive, and keys that look like
 * secrets) are never printed. The result always fits GitHub's comment limit.
 */
import { main } from './plan-comment/cli';

export { type AttrChange, attributeChanges } from './plan-comment/attributes';
export { loadStackInputs, main, USAGE } from './plan-comment/cli';
export { buildComment, type CommentInput, GITHUB_COMMENT_LIMIT, MARKER, markerFor } from './plan-comment/comment';
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
export { MISSING_STATE_ERROR, missingRemoteStates, placeholdersOf, type Waiting, waitsFor } from './plan-comment/upstream';
export { WAITS_EXIT_CODE, waitsMain } from './plan-comment/waits';

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2), {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
  });
}
