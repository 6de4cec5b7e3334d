import { TerraformStack, Testing } from 'cdktf';
import type { IConstruct } from 'constructs';
import { evaluatePolicy, type PolicyFinding, type PolicyScope } from '../../modules/policy';

/** A finding as [rule, construct path, message]: what the rule tests compare, exactly. */
export type Triple = [rule: string, path: string, message: string];
/** `rule` reports exactly `message` at `path`. Rule test files keep these in tables the meta-test reads. */
export type FailCase = readonly [rule: string, when: string, path: string, message: string];
/** `rule` reports nothing at `path`. */
export type PassCase = readonly [rule: string, when: string, path: string];

/** Findings as sorted triples, for exact comparison. */
export function triples(findings: readonly Pick<PolicyFinding, 'rule' | 'path' | 'message'>[]): Triple[] {
  return findings.map((f): Triple => [f.rule, f.path, f.message]).sort((a, b) => a.join('|').localeCompare(b.join('|')));
}

/** Every open finding of `scope`, errors and warnings alike, as sorted triples. */
export function findingsOf(scope: IConstruct, options: PolicyScope = {}): Triple[] {
  const report = evaluatePolicy(scope, options);
  return triples([...report.violations, ...report.warnings]);
}

export function metadataOf(construct: IConstruct, type: string): unknown[] {
  return construct.node.metadata.filter((m) => m.type === type).map((m) => m.data);
}

/** An empty plain stack, `lab`, in a fresh app: the rules see only what the test puts in it, and no config. */
export function labStack(id = 'lab'): TerraformStack {
  return new TerraformStack(Testing.app({ stackTraces: false }), id);
}

/**
 * Registers one `RULE fails when …` test per failing case (the exact message at the exact path)
 * and one `RULE passes when …` test per passing case (no finding of that rule at that path, which
 * `scope` must contain: a misspelt path would pass vacuously).
 */
export function ruleTests(scope: IConstruct, found: readonly Triple[], fails: readonly FailCase[], passes: readonly PassCase[]): void {
  test.each(fails)('%s fails when %s', (rule, _when, path, message) => {
    // THEN the rule reports the exact message on the exact construct
    expect(found).toContainEqual([rule, path, message]);
  });
  test.each(passes)('%s passes when %s', (rule, _when, path) => {
    // THEN the construct exists and the rule reports nothing there
    expect(scope.node.findAll().map((c) => c.node.path)).toContain(path);
    expect(found.filter(([r, p]) => r === rule && p === path)).toEqual([]);
  });
}
