import { Annotations, TerraformStack, type IAspect } from 'cdktf';
import type { IConstruct } from 'constructs';
import type { ResolvedConfig } from '../config/defaults';
import { annotationText, evaluatePolicy, PolicyError, reportLines, type PolicyReport } from './engine';

export interface PolicyAspectOptions {
  /** The config the output is checked against. @default - the config declared for the App (declarePolicyConfig) */
  readonly config?: ResolvedConfig;
  /**
   * Where suppression and warning lines go.
   * @default - one line each to stdout: information, which the cdktf CLI passes on as it is
   * (it labels every stderr line of the app "[ERROR]", even on a successful synth)
   */
  readonly log?: (line: string) => void;
}

/**
 * Enforces the policy pack at synth. Register one instance on every stack: on the first stack
 * it visits it checks the whole App at once, so one error lists every violation of every
 * stack. It annotates each violation on its construct, prints each suppression and warning once
 * (not also as annotations, which the CLI would print a second time), then throws a PolicyError
 * if anything is wrong. It throws
 * itself rather than leave it to the error annotations, because the cdktf CLI sets
 * CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS and would write the stacks anyway.
 */
export class PolicyAspect implements IAspect {
  private readonly reports = new WeakMap<IConstruct, PolicyReport>();
  private readonly log: (line: string) => void;
  private readonly config?: ResolvedConfig;

  constructor(options: PolicyAspectOptions = {}) {
    this.config = options.config;
    this.log = options.log ?? ((line) => process.stdout.write(`${line}\n`));
  }

  visit(node: IConstruct): void {
    if (!TerraformStack.isStack(node)) return;
    const root = node.node.root;
    let report = this.reports.get(root);
    if (!report) {
      report = evaluatePolicy(root, { config: this.config });
      this.reports.set(root, report);
      for (const f of report.violations) Annotations.of(f.construct).addError(annotationText(f));
      for (const e of report.suppressionErrors) Annotations.of(node).addError(e);
      reportLines(report).forEach((line) => this.log(line));
    }
    if (report.violations.length > 0 || report.suppressionErrors.length > 0) throw new PolicyError(report);
  }
}
