import { TerraformStack } from 'cdktf';
import type { IConstruct } from 'constructs';
import { declaredPolicyConfig } from './facts';
import type { ResolvedConfig } from '../config/defaults';
import type { PolicySuppression } from '../config/types';
import { ConfigError } from '../config/errors';
import { PolicyContext } from './context';
import { RULE_IDS, RULES, ruleById, type PolicyRule, type Severity } from './rules';

/** One thing a rule found wrong with one construct. */
export interface PolicyFinding {
  readonly rule: string;
  readonly mirrors: readonly string[];
  readonly severity: Severity;
  /** Construct path, e.g. `edge/alb`. */
  readonly path: string;
  /** What is wrong: the attribute, its value and what it must be. */
  readonly message: string;
  readonly fix: string;
  readonly construct: IConstruct;
}

export interface SuppressedFinding extends PolicyFinding {
  readonly reason: string;
}

export interface PolicyReport {
  /** Unsuppressed error findings: any of these fails the synth. */
  readonly violations: readonly PolicyFinding[];
  /** Unsuppressed warning findings: reported, never fatal. */
  readonly warnings: readonly PolicyFinding[];
  readonly suppressed: readonly SuppressedFinding[];
  /** Suppressions of known rules that matched no finding. */
  readonly unusedSuppressions: readonly PolicySuppression[];
  /** Suppressions naming an unknown or unsuppressible rule: these fail the synth too. */
  readonly suppressionErrors: readonly string[];
}

export interface PolicyScope {
  /** Defaults to the config declared for the App (declarePolicyConfig); without one, config-based checks are skipped. */
  readonly config?: ResolvedConfig;
}

/** The stacks under `scope`: the scope itself when it is a stack, else every stack below it (an App). */
function stacksOf(scope: IConstruct): TerraformStack[] {
  if (TerraformStack.isStack(scope)) return [scope];
  return scope.node.findAll().filter((c): c is TerraformStack => TerraformStack.isStack(c));
}

function finding(rule: PolicyRule, construct: IConstruct, message: string): PolicyFinding {
  return { rule: rule.id, mirrors: rule.mirrors, severity: rule.severity, path: construct.node.path, message, fix: rule.fix, construct };
}

/** Runs every rule over every construct of `scope` (a stack or the whole App). No side effects. */
export function evaluatePolicy(scope: IConstruct, options: PolicyScope = {}): PolicyReport {
  const stacks = stacksOf(scope);
  const config = options.config ?? declaredPolicyConfig(scope);
  const ctx = new PolicyContext(stacks, config);
  const constructs = stacks.flatMap((s) => s.node.findAll());
  const findings: PolicyFinding[] = [];
  for (const rule of RULES) {
    if (rule.check) for (const c of constructs) for (const message of rule.check(c, ctx)) findings.push(finding(rule, c, message));
    if (rule.checkAll) for (const p of rule.checkAll(ctx)) findings.push(finding(rule, p.construct, p.message));
  }

  const suppressions = config?.suppressions ?? [];
  const suppressionErrors = suppressions.flatMap((s, i) => {
    const rule = ruleById(s.rule);
    if (!rule) return [`suppressions[${i}].rule: "${s.rule}" is not a known policy rule (known rules: ${RULE_IDS.join(', ')})`];
    if (!rule.suppressible) {
      const allowed = RULES.filter((r) => r.suppressible)
        .map((r) => r.id)
        .join(', ');
      return [`suppressions[${i}].rule: "${s.rule}" cannot be suppressed; fix the finding instead (suppressible rules: ${allowed})`];
    }
    return [];
  });
  const reasonOf = new Map(suppressions.filter((s) => ruleById(s.rule)?.suppressible).map((s) => [s.rule, s.reason]));
  const suppressed: SuppressedFinding[] = [];
  const open: PolicyFinding[] = [];
  for (const f of findings) {
    const reason = reasonOf.get(f.rule);
    if (reason !== undefined) suppressed.push({ ...f, reason });
    else open.push(f);
  }
  return {
    violations: open.filter((f) => f.severity === 'error'),
    warnings: open.filter((f) => f.severity === 'warning'),
    suppressed,
    unusedSuppressions: suppressions.filter((s) => reasonOf.has(s.rule) && !suppressed.some((f) => f.rule === s.rule)),
    suppressionErrors,
  };
}

/** The findings that fail a synth of `scope` (a stack or the App): for tests and tools. */
export function policyViolations(scope: IConstruct, options: PolicyScope = {}): PolicyFinding[] {
  return [...evaluatePolicy(scope, options).violations];
}

function mirrorsText(f: Pick<PolicyFinding, 'mirrors'>): string {
  return f.mirrors.length ? ` (${f.mirrors.join(', ')})` : '';
}

/** `RULE (mirrors) at path: message` — one finding on one line. */
export function formatFinding(f: PolicyFinding): string {
  return `${f.rule}${mirrorsText(f)} at ${f.path}: ${f.message}`;
}

/** The annotation text attached to the offending construct. */
export function annotationText(f: PolicyFinding): string {
  return `[${f.rule}]${mirrorsText(f)} ${f.message}. Fix: ${f.fix}`;
}

/** The stderr lines a synth prints: suppressions with their reasons, then warnings. */
export function reportLines(report: PolicyReport): string[] {
  return [
    ...report.suppressed.map((f) => `policy: ${f.rule} suppressed for ${f.path} — ${f.reason}`),
    ...report.unusedSuppressions.map((s) => `policy: ${s.rule} suppressed but nothing to suppress (remove the suppression) — ${s.reason}`),
    // A warning says what to change on a line of its own, as a refusal does.
    ...report.warnings.map((f) => `policy: warning ${formatFinding(f)}\n  fix: ${f.fix}`),
  ];
}

/**
 * A failed policy check: every violation and every bad suppression in one message. It extends
 * ConfigError so main.ts prints the message alone and exits 1, as for a bad config file.
 */
export class PolicyError extends ConfigError {
  constructor(readonly report: PolicyReport) {
    super(
      [
        ...report.suppressionErrors.map((e) => ({ field: 'suppressions', value: undefined, rule: e })),
        ...report.violations.map((f) => ({ field: f.path, value: f.rule, rule: f.message })),
      ],
      'policy',
    );
    const count = report.violations.length + report.suppressionErrors.length;
    const lines = [
      `Policy check failed (${count} problem${count === 1 ? '' : 's'}):`,
      ...report.suppressionErrors.map((e) => `  - ${e}`),
      ...report.violations.flatMap((f) => [`  - ${formatFinding(f)}`, `    fix: ${f.fix}`]),
      'Suppress a suppressible rule only in the config, with a reason: suppressions: [{ rule: <RULE_ID>, reason: <why, at least 20 characters> }] (docs/policy.md).',
    ];
    this.message = lines.join('\n');
    this.name = 'PolicyError';
  }
}
