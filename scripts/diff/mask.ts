/** Which attribute values of a block are withheld, and redaction of secret literals wherever they reappear. */
import { isObject } from './read';
import { type Block, type Json, type JsonObject, MASK, SECRET_KEY_PATTERN, type Segment } from './types';

function startsWith(pathSegs: Segment[], prefix: Segment[]): boolean {
  return prefix.every((seg, i) => pathSegs[i] === seg);
}

export function isMaskedPath(block: Block, segs: Segment[]): boolean {
  if (block.secretName) return true;
  if (block.sensitivePrefixes.some((p) => startsWith(segs, p))) return true;
  return segs.some((s) => typeof s === 'string' && SECRET_KEY_PATTERN.test(s));
}

/** Replaces every value below a secret-looking key by MASK. */
export function maskDeep(value: Json): Json {
  if (Array.isArray(value)) return value.map(maskDeep);
  if (isObject(value)) {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEY_PATTERN.test(k) ? MASK : maskDeep(v);
    return out;
  }
  return value;
}

/** Literal strings found in masked places; they are redacted wherever else they appear. */
export function collectSecretLiterals(block: Block, into: Set<string>): void {
  const walk = (v: Json, segs: Segment[], masked: boolean) => {
    const m = masked || isMaskedPath(block, segs);
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...segs, i], m));
    else if (isObject(v)) for (const [k, x] of Object.entries(v)) walk(x, [...segs, k], m);
    else if (m && typeof v === 'string' && v.length >= 4 && !/^\$\{[^}]*\}$/.test(v)) into.add(v);
  };
  walk(block.value, [], false);
}
