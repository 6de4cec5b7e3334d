import { ACM_RULES } from './acm';
import { ALB_RULES } from './alb';
import { COGNITO_RULES } from './cognito';
import { FEDERATION_RULES } from './federation';
import { GRAFANA_RULES } from './grafana';
import { IDENTITY_RULES, ROUTER_RULES } from './identity';
import { MACHINE_RULES } from './machine';
import { NETWORK_RULES } from './network';
import { OPERATIONS_RULES } from './operations';
import { ROUTING_RULES } from './routing';
import type { PolicyRule } from './types';

export { TLS_POLICY_PATTERN } from './alb';
export { MIN_PASSWORD_LENGTH } from './cognito';
export type { PolicyRule, Problem, Severity } from './types';

/** Every rule, in the order findings, messages and docs/policy.md list them (a test compares the order with the docs table). */
export const RULES: readonly PolicyRule[] = [
  ...ALB_RULES,
  ...NETWORK_RULES,
  ...ACM_RULES,
  ...COGNITO_RULES,
  ...FEDERATION_RULES,
  ...ROUTING_RULES,
  ...MACHINE_RULES,
  ...GRAFANA_RULES,
  ...IDENTITY_RULES,
  ...ROUTER_RULES,
  ...OPERATIONS_RULES,
];

export const RULE_IDS: readonly string[] = RULES.map((r) => r.id);

export function ruleById(id: string): PolicyRule | undefined {
  return RULES.find((r) => r.id === id);
}
