/** Attribute-level comparison of two versions of one block, with values rendered, masked and windowed. */
import { formatPath } from '../json-path';
import { isMaskedPath, maskDeep } from './mask';
import { isObject } from './read';
import { type AttributeChange, type Block, type ChangeKind, type Json, MASK, type Segment } from './types';

/** Longest rendering of one value in the Markdown. */
const MAX_VALUE_CHARS = 120;

function jsonEqual(a: Json | undefined, b: Json | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => jsonEqual(x, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    if (ka.length !== kb.length) return false;
    return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && jsonEqual(a[k], b[k]));
  }
  return false;
}

interface RawChange {
  segs: Segment[];
  before: Json | undefined;
  after: Json | undefined;
}

function deepDiff(a: Json | undefined, b: Json | undefined, segs: Segment[], out: RawChange[]): void {
  if (jsonEqual(a, b)) return;
  if (isObject(a) && isObject(b)) {
    const keys = Array.from(new Set([...Object.keys(a), ...Object.keys(b)])).sort();
    for (const k of keys) deepDiff(a[k], b[k], [...segs, k], out);
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) deepDiff(a[i], b[i], [...segs, i], out);
    return;
  }
  out.push({ segs, before: a, after: b });
}

function renderFull(v: Json, secrets: Set<string>): string {
  let s = JSON.stringify(maskDeep(v));
  for (const secret of secrets) s = s.split(secret).join(MASK);
  return s;
}

/**
 * Cuts a long value to MAX_VALUE_CHARS around `from`, so two long values that share a prefix
 * (a helm values document, a policy) show where they differ rather than the same opening.
 */
function window(s: string, from: number): string {
  if (s.length <= MAX_VALUE_CHARS) return s;
  const start = Math.max(0, Math.min(from - 20, s.length - (MAX_VALUE_CHARS - 2)));
  const body = s.slice(start, start + MAX_VALUE_CHARS - 2);
  return `${start > 0 ? '…' : ''}${body}${start + body.length < s.length ? '…' : ''}`;
}

function firstDifference(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

export function diffBlock(base: Block, head: Block, secrets: Set<string>): AttributeChange[] {
  const raw: RawChange[] = [];
  deepDiff(base.value, head.value, [], raw);
  return raw.map((r) => {
    const masked = isMaskedPath(base, r.segs) || isMaskedPath(head, r.segs);
    const kind: ChangeKind = r.before === undefined ? 'added' : r.after === undefined ? 'removed' : 'changed';
    const change: AttributeChange = { path: formatPath(r.segs) || '(whole block)', kind, masked };
    if (!masked) {
      const before = r.before === undefined ? undefined : renderFull(r.before, secrets);
      const after = r.after === undefined ? undefined : renderFull(r.after, secrets);
      const from = before !== undefined && after !== undefined ? firstDifference(before, after) : 0;
      if (before !== undefined) change.before = window(before, from);
      if (after !== undefined) change.after = window(after, from);
    }
    return change;
  });
}
