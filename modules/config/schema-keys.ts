import schema from '../../schema/config.schema.json';

// The settings of every object of the config, read from the generated JSON Schema (itself generated
// from types.ts): what "did you mean" and "belongs under" suggestions are made from, so they can
// never name a setting the types do not have.

type Node = { $ref?: string; properties?: Record<string, Node>; items?: Node; anyOf?: Node[]; oneOf?: Node[]; allOf?: Node[] };
const DEFINITIONS = (schema as unknown as { definitions: Record<string, Node> }).definitions;

function deref(node: Node | undefined): Node | undefined {
  let n = node;
  for (let i = 0; n?.$ref && i < 10; i++) n = DEFINITIONS[n.$ref.split('/').pop()!];
  return n;
}

/** The object nodes a value at `node` may be (through $ref and unions). */
function objects(node: Node | undefined): Node[] {
  const n = deref(node);
  if (!n) return [];
  const branches = [...(n.anyOf ?? []), ...(n.oneOf ?? []), ...(n.allOf ?? [])];
  return [...(n.properties ? [n] : []), ...branches.flatMap(objects)];
}

/** Every object path of the schema (`''` for the root, `apps[]` for list items) and its keys. */
function collect(): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const walk = (node: Node | undefined, at: string, depth: number): void => {
    if (depth > 12) return;
    for (const obj of objects(node)) {
      const keys = out.get(at) ?? new Set<string>();
      for (const [key, child] of Object.entries(obj.properties ?? {})) {
        keys.add(key);
        const path = at === '' ? key : `${at}.${key}`;
        walk(child, path, depth + 1);
        const items = deref(child)?.items;
        if (items) walk(items, `${path}[]`, depth + 1);
      }
      out.set(at, keys);
    }
  };
  walk(schema as unknown as Node, '', 0);
  return out;
}

// Walked on the first unknown key, not at load: every synth loads this module, few need it.
let paths: Map<string, Set<string>> | undefined;

/** Where a setting named `key` exists, as a person reads it: `cognito`, `apps[]`, `the top level`. */
export function whereKeyBelongs(key: string): string[] {
  paths ??= collect();
  return [...paths].filter(([, keys]) => keys.has(key)).map(([path]) => (path === '' ? 'the top level' : path));
}

/** Optimal string alignment distance (Damerau-Levenshtein with adjacent transpositions). */
export function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The allowed key a typo most likely meant: the same letters in another case; else one that
 * contains it (`ip` → `privateIp`) or that it contains (`hostname` → `host`); else one at most 1 edit per 4 characters away (none for keys
 * under 4 characters, where one edit is a different word).
 */
export function closestKey(key: string, allowed: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  const sameCase = allowed.find((a) => a.toLowerCase() === lower);
  if (sameCase) return sameCase;
  const containing = allowed.filter((a) => lower.length >= 2 && a.toLowerCase().includes(lower));
  if (containing.length === 1) return containing[0];
  const contained = allowed.filter((a) => a.length >= 4 && lower.includes(a.toLowerCase()));
  const prefix = contained.filter((a) => lower.startsWith(a.toLowerCase()));
  if (prefix.length === 1) return prefix[0];
  if (contained.length === 1) return contained[0];
  let best: { key: string; distance: number } | undefined;
  for (const a of allowed) {
    const limit = a.length >= 4 ? Math.max(1, Math.floor(a.length / 4)) : 0;
    const distance = editDistance(lower, a.toLowerCase());
    if (distance <= limit && (!best || distance < best.distance)) best = { key: a, distance };
  }
  return best?.key;
}
