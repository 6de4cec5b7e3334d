export { PolicyAspect, type PolicyAspectOptions } from './aspect';
export { PolicyContext } from './context';
export {
  annotationText,
  evaluatePolicy,
  formatFinding,
  PolicyError,
  policyViolations,
  reportLines,
  type PolicyFinding,
  type PolicyReport,
  type PolicyScope,
  type SuppressedFinding,
} from './engine';
export { MIN_PASSWORD_LENGTH, RULE_IDS, RULES, ruleById, TLS_POLICY_PATTERN, type PolicyRule, type Problem, type Severity } from './rules';
