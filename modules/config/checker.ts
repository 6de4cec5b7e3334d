import { type ConfigProblem } from './errors';
import { isValidHostname } from './patterns';

export class Checker {
  readonly problems: ConfigProblem[] = [];

  fail(field: string, value: unknown, rule: string): void {
    this.problems.push({ field, value, rule });
  }

  isObject(field: string, value: unknown, required = true): value is Record<string, unknown> {
    if (value === undefined && !required) return false;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.fail(field, value, 'must be an object');
      return false;
    }
    return true;
  }

  knownKeys(field: string, value: Record<string, unknown>, allowed: readonly string[]): void {
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key))
        this.fail(`${field}.${key}`.replace(/^\./, ''), value[key], `is not a known setting (allowed: ${allowed.join(', ')})`);
    }
  }

  string(field: string, value: unknown, pattern: RegExp, rule: string, required = true): value is string {
    if (value === undefined && !required) return false;
    if (typeof value !== 'string') {
      this.fail(field, value, 'must be a string');
      return false;
    }
    if (!pattern.test(value)) {
      this.fail(field, value, rule);
      return false;
    }
    return true;
  }

  integer(field: string, value: unknown, min: number, max: number): void {
    if (value === undefined) return;
    if (typeof value !== 'number' || !Number.isInteger(value)) this.fail(field, value, 'must be a whole number');
    else if (value < min || value > max) this.fail(field, value, `must be between ${min} and ${max}`);
  }

  boolean(field: string, value: unknown): void {
    if (value !== undefined && typeof value !== 'boolean') this.fail(field, value, 'must be true or false');
  }

  oneOf(field: string, value: unknown, allowed: readonly string[], required = false): void {
    if (value === undefined && !required) return;
    if (typeof value !== 'string' || !allowed.includes(value))
      this.fail(field, value, `must be one of ${allowed.map((a) => `"${a}"`).join(', ')}`);
  }

  array(field: string, value: unknown, required = true): value is unknown[] {
    if (value === undefined && !required) return false;
    if (!Array.isArray(value)) {
      this.fail(field, value, 'must be a list');
      return false;
    }
    return true;
  }
}

export function checkHostname(c: Checker, field: string, host: string): boolean {
  if (host !== host.toLowerCase()) {
    c.fail(field, host, 'must be lowercase (ALB host matching and Cognito callback URLs are compared as written)');
    return false;
  }
  if (!isValidHostname(host)) {
    c.fail(
      field,
      host,
      'is not a valid host name (dot-separated labels of 1-63 letters, digits or inner hyphens, at most 253 characters, no wildcards, no trailing dot)',
    );
    return false;
  }
  return true;
}

export function duplicates(values: readonly unknown[]): unknown[] {
  const seen = new Set<unknown>();
  const dups = new Set<unknown>();
  for (const v of values) (seen.has(v) ? dups : seen).add(v);
  return [...dups];
}
