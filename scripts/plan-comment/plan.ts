/** The terraform JSON plan format (the parts used here) and per-stack counts of what a plan does. */
import { PLACEHOLDERS_OUTPUT } from '../../modules/stacks/outputs';

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
  planned_values?: { outputs?: Record<string, { value?: unknown; sensitive?: boolean }> };
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

/** Output changes count all outputs but PLACEHOLDERS_OUTPUT: review bookkeeping, shown as ⏳ instead. */
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
  for (const [name, oc] of Object.entries(plan.output_changes ?? {})) {
    if (name !== PLACEHOLDERS_OUTPUT && classifyActions(oc.actions) !== 'no-op') s.outputChanges++;
  }
  return s;
}

export function hasChanges(s: StackSummary): boolean {
  return s.add + s.change + s.destroy + s.replace + s.forget + s.imports + s.moves + s.outputChanges > 0;
}
