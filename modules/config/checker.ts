import { type ConfigProblem } from './errors';
import { closestKey, whereKeyBelongs } from './schema-keys';
import { isValidHostname } from './patterns';

export class Checker {
  readonly problems: ConfigProblem[] = [];

  fail(field: string, value: unknown, rule: string, fix?: string): void {
    this.problems.push(fix === undefined ? { field, value, rule } : { field, value, rule, fix });
  }

  isObject(field: string, value: unknown, required = true): value is Record<string, unknown> {
    if (value === undefined && !required) return false;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.fail(field, value, 'must be an object');
      return false;
    }
    return true;
  }

  /**
   * Refuses keys outside `allowed`, saying what was probably meant: a setting of this object one or
   * two typos away, else where a setting of that name does exist (the generated schema knows), else
   * the settings this object takes. The value is summarized, never dumped.
   */
  knownKeys(field: string, value: Record<string, unknown>, allowed: readonly string[]): void {
    const where = field === '' ? 'the top level' : field.replace(/\[\d+\]( \([^)]*\))?/g, '[]');
    for (const key of Object.keys(value)) {
      if (allowed.includes(key)) continue;
      const typo = closestKey(key, allowed);
      const elsewhere = whereKeyBelongs(key).filter((w) => w !== where);
      const fix = typo
        ? `rename it to ${typo}`
        : elsewhere.length > 0
          ? `${key} belongs under ${elsewhere.join(' or ')}: move it there`
          : `remove it; ${field === '' ? 'the config' : field} takes ${allowed.join(', ')}`;
      this.fail(
        `${field}.${key}`.replace(/^\./, ''),
        summarize(value[key]),
        `is not a known setting of ${field === '' ? 'the config' : field}`,
        fix,
      );
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

/**
 * A list item as a person reads it: `apps[6] (kiali)`, `nlb.subnets[1] (subnet-0ab…)`. The label is
 * the item's own name (or id, or rule) when it has a plain one; the index alone otherwise.
 */
export function itemName(list: string, index: number, item: unknown, labelKey = 'name'): string {
  const label = item !== null && typeof item === 'object' ? (item as Record<string, unknown>)[labelKey] : undefined;
  return typeof label === 'string' && /^[\w.@:/-]{1,63}$/.test(label) ? `${list}[${index}] (${label})` : `${list}[${index}]`;
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

/** A misplaced value as a message shows it: scalars as they are, objects and lists by their size. */
export function summarize(value: unknown): unknown {
  if (Array.isArray(value))
    return value.every((v) => v === null || typeof v !== 'object') && value.length <= 5 ? value : `(a list of ${value.length})`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value);
    return `(an object with ${keys.slice(0, 3).join(', ')}${keys.length > 3 ? ', …' : ''})`;
  }
  return value;
}

/**
 * Drops "(missing)" problems a "rename it to …" fix already explains: after `zoneNme`, saying
 * `zoneName` is missing too adds a line and no information.
 */
export function withoutExplainedMissing(problems: readonly ConfigProblem[]): ConfigProblem[] {
  const renamed = new Set(
    problems.flatMap((p) => {
      const to = /^rename it to (\S+)$/.exec(p.fix ?? '')?.[1];
      const parent = p.field.includes('.') ? p.field.slice(0, p.field.lastIndexOf('.')) : '';
      return to ? [parent === '' ? to : `${parent}.${to}`] : [];
    }),
  );
  return problems.filter((p) => !(p.value === undefined && renamed.has(p.field)));
}
