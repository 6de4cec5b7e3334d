/** Attribute-level changes of one resource, with sensitive and unknown values withheld. */
import { formatPath } from '../json-path';
import type { PlanChange } from './plan';

/**
 * Defense in depth on top of terraform's own sensitivity markers. Narrower than
 * the offline diff's pattern (scripts/diff/types.ts): a plan knows what is
 * sensitive, so e.g. refresh_token_validity stays visible while access_token /
 * webhookToken do not.
 */
export const SECRET_KEY_PATTERN = /secret|password|private_key|token$/i;
const MAX_VALUE_CHARS = 80;

type Seg = string | number;

export interface AttrChange {
  path: string;
  before?: string;
  after?: string;
  sensitive: boolean;
  unknown: boolean;
  forcesReplacement: boolean;
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function child(v: unknown, seg: Seg): unknown {
  if (typeof seg === 'number') return Array.isArray(v) ? v[seg] : undefined;
  return isObj(v) ? v[seg] : undefined;
}

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** true where a *_sensitive / after_unknown mirror marks the whole value */
function flag(mirror: unknown): boolean {
  return mirror === true;
}

/** Does the mirror mark anything inside as true? */
function containsTrue(mirror: unknown): boolean {
  if (mirror === true) return true;
  if (Array.isArray(mirror)) return mirror.some(containsTrue);
  if (isObj(mirror)) return Object.values(mirror).some(containsTrue);
  return false;
}

export function renderValue(v: unknown): string {
  const s = v === undefined ? 'null' : JSON.stringify(v);
  return s.length > MAX_VALUE_CHARS ? `${s.slice(0, MAX_VALUE_CHARS - 1)}…` : s;
}

/** Attribute paths that differ between before and after, with sensitive and unknown values withheld. */
export function attributeChanges(change: PlanChange): AttrChange[] {
  const out: AttrChange[] = [];
  const replacePaths = (change.replace_paths ?? []).map((p) => formatPath(p));
  const walk = (before: unknown, after: unknown, unknown: unknown, bs: unknown, as: unknown, segs: Seg[]): void => {
    const secretKey = segs.some((s) => typeof s === 'string' && SECRET_KEY_PATTERN.test(s));
    const p = formatPath(segs);
    const forces = replacePaths.some((r) => r === p);
    if (flag(unknown)) {
      out.push({
        path: p,
        before: flag(bs) || secretKey || containsTrue(bs) || before == null ? undefined : renderValue(before),
        sensitive: flag(bs) || flag(as) || secretKey,
        unknown: true,
        forcesReplacement: forces,
      });
      return;
    }
    if (deepEqual(before, after)) return;
    const sensitive = flag(bs) || flag(as) || secretKey;
    const bothObj = isObj(before) && isObj(after);
    const bothArr = Array.isArray(before) && Array.isArray(after);
    if (!sensitive && (bothObj || bothArr) && segs.length < 12) {
      const keys: Seg[] = bothArr
        ? Array.from({ length: Math.max((before as unknown[]).length, (after as unknown[]).length) }, (_, i) => i)
        : Array.from(
            new Set([
              ...Object.keys(before as object),
              ...Object.keys(after as object),
              // attributes known only after apply are absent from `after`
              ...(isObj(unknown) ? Object.keys(unknown) : []),
            ]),
          ).sort();
      for (const k of keys) {
        walk(child(before, k), child(after, k), child(unknown, k), child(bs, k), child(as, k), [...segs, k]);
      }
      return;
    }
    const hidden = sensitive || containsTrue(bs) || containsTrue(as);
    out.push({
      path: p || '(whole value)',
      before: hidden ? undefined : renderValue(before),
      after: hidden ? undefined : renderValue(after),
      sensitive: hidden,
      unknown: false,
      forcesReplacement: forces,
    });
  };
  walk(change.before ?? null, change.after ?? null, change.after_unknown, change.before_sensitive, change.after_sensitive, []);
  return out;
}
