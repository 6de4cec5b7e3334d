/**
 * "Waits for upstream apply": a stack planned against placeholders for outputs its upstream state
 * does not have yet (a PR that adds an output, an environment whose upstream is older than this
 * code), or not planned at all because an upstream stack has no state yet (a new environment).
 * Neither is a failure: the real plan shows once the upstream stack is deployed. The PR comment
 * and scripts/plan-stack.sh (through waits.ts) both decide with waitsFor, so they never disagree.
 */
import { APPLY_ORDER, PLACEHOLDERS_OUTPUT } from '../../modules/stacks/outputs';
import type { PlanJson } from './plan';
import type { StackPlanInput } from './render';

export interface Waiting {
  /** placeholders: planned against placeholder values; no-state: not planned, an upstream has no state */
  reason: 'placeholders' | 'no-state';
  /** upstream stack names in apply order; empty when the error output does not name them */
  upstreams: string[];
}

/** Terraform's summary of the diagnostic for a terraform_remote_state whose state does not exist. */
export const MISSING_STATE_ERROR = 'Unable to find remote state';

const ORDER: readonly string[] = APPLY_ORDER;

function inApplyOrder(names: Iterable<string>): string[] {
  const rank = (s: string) => (ORDER.includes(s) ? ORDER.indexOf(s) : ORDER.length);
  return Array.from(new Set(names)).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/** The upstream stacks a plan was made against placeholders for (the consumer's own output). */
export function placeholdersOf(plan: PlanJson): string[] {
  const value = plan.planned_values?.outputs?.[PLACEHOLDERS_OUTPUT]?.value ?? plan.output_changes?.[PLACEHOLDERS_OUTPUT]?.after;
  return Array.isArray(value) ? inApplyOrder(value.filter((v): v is string => typeof v === 'string')) : [];
}

/** The stack behind a remote-state data source id (modules/stacks/state.ts: `remote-state-<stack>`). */
function stackOf(id: string): string {
  return ORDER.find((s) => id === s || id.endsWith(`-${s}`)) ?? id;
}

/**
 * The upstream stacks whose state was not found, when that is the only error in Terraform's
 * output (with or without its box-drawing frame); undefined when there is any other error, so a
 * real failure is never hidden behind a missing upstream.
 */
export function missingRemoteStates(output: string): string[] | undefined {
  const errors: string[] = [];
  const ids: string[] = [];
  let inError = false;
  for (const raw of output.split('\n')) {
    const line = raw.replace(/^[│╷╵]\s?/, '');
    const heading = line.match(/^(Error|Warning): (.*)$/);
    if (heading) {
      inError = heading[1] === 'Error';
      if (inError) errors.push(heading[2].trim());
      continue;
    }
    const source = inError ? line.match(/^\s+with data\.terraform_remote_state\.([^,\s]+),/) : null;
    if (source) ids.push(stackOf(source[1]));
  }
  if (errors.length === 0 || errors.some((e) => e !== MISSING_STATE_ERROR)) return undefined;
  return inApplyOrder(ids);
}

/** Whether the stack waits for an upstream apply, and for which stacks; undefined = it does not. */
export function waitsFor(input: StackPlanInput): Waiting | undefined {
  if (input.error !== undefined) {
    const upstreams = missingRemoteStates(input.error);
    return upstreams && { reason: 'no-state', upstreams };
  }
  const upstreams = input.plan ? placeholdersOf(input.plan) : [];
  return upstreams.length ? { reason: 'placeholders', upstreams } : undefined;
}

/** The table's wording: "⏳ waits for upstream apply: auth, cluster". */
export function waitingLabel(w: Waiting): string {
  return `⏳ waits for upstream apply${w.upstreams.length ? `: ${w.upstreams.join(', ')}` : ''}`;
}
