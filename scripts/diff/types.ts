/** Shapes of the offline change summary (see scripts/diff.ts) and the secret-masking constants they depend on. */

/** Attribute keys whose values are never printed. */
export const SECRET_KEY_PATTERN = /secret|password|token|private_key/i;
export const MASK = '***';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };
export type Segment = string | number;

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

export interface Block {
  section: SectionName;
  address: string;
  value: Json;
  /** attribute path prefixes whose values are sensitive (e.g. ['value'] of a sensitive output) */
  sensitivePrefixes: Segment[][];
  /** the block name itself looks like a secret (output / variable / local names) */
  secretName: boolean;
}
