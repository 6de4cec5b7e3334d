import type { IConstruct } from 'constructs';
import type { PolicyContext } from '../context';

export type Severity = 'error' | 'warning';

/** A problem found by a whole-app rule, on the construct it is about. */
export interface Problem {
  readonly construct: IConstruct;
  readonly message: string;
}

export interface PolicyRule {
  /** Stable id, used in messages and in `suppressions[].rule`. */
  readonly id: string;
  /** The checkov (CKV_*), trivy/tfsec (AWS-*) and cdk-nag (AwsSolutions-*) checks this mirrors. */
  readonly mirrors: readonly string[];
  readonly description: string;
  /** How to make the finding go away, for the error message. */
  readonly fix: string;
  readonly severity: Severity;
  /** Whether `suppressions: [{ rule, reason }]` may switch the rule off. */
  readonly suppressible: boolean;
  /** Checks one construct: what is wrong with it, or nothing when it is fine or not concerned. */
  readonly check?: (construct: IConstruct, ctx: PolicyContext) => readonly string[];
  /** Checks across resources, stacks and the config. */
  readonly checkAll?: (ctx: PolicyContext) => readonly Problem[];
}
