import { fnv1a } from './priorities';

/** Spreads FNV-1a's low bits, which `% 2^k` relies on (murmur3's finalizer). */
export function mix32(hash: number): number {
  let h = hash;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

export function stableHash(text: string): number {
  return mix32(fnv1a(text));
}

export interface Pack {
  /** Stable key: `<bucket>.<chunk>`. */
  readonly key: string;
  readonly items: readonly string[];
}

/**
 * Packs items into groups of at most `capacity`, close to the fewest groups, while keeping
 * changes local: items are hashed into 2^k buckets (about `itemsPerBucket` each) and each
 * bucket is cut into sorted chunks. Adding an item touches only the chunks of its own bucket;
 * the bucket count doubles only when the item count crosses a power-of-two threshold, and a
 * doubling splits each bucket in two (h mod 2B is h mod B or h mod B + B), never reshuffles.
 */
export function packStable(items: readonly string[], capacity: number, salt: string, itemsPerBucket = capacity * 4): Pack[] {
  if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`packStable: capacity must be a positive whole number, got ${capacity}`);
  const unique = [...new Set(items)].sort();
  let buckets = 1;
  while (buckets * itemsPerBucket < unique.length) buckets *= 2;
  const byBucket = new Map<number, string[]>();
  for (const item of unique) {
    const bucket = stableHash(`${salt}:${item}`) % buckets;
    byBucket.set(bucket, [...(byBucket.get(bucket) ?? []), item]);
  }
  const packs: Pack[] = [];
  for (const bucket of [...byBucket.keys()].sort((a, b) => a - b)) {
    const members = byBucket.get(bucket)!;
    for (let chunk = 0; chunk * capacity < members.length; chunk++) {
      packs.push({ key: `${bucket}.${chunk}`, items: members.slice(chunk * capacity, (chunk + 1) * capacity) });
    }
  }
  return packs;
}

/** The most groups hashGroups tries; past it, the quota check refuses the config instead. */
export const MAX_HASH_GROUPS = 1 << 16;

/**
 * Assigns items to 2^k groups by hash, with the fewest groups that keep each at or under
 * `capacity`. Growing past a threshold doubles the groups, moving about half the items once.
 * Groups may be empty. When even MAX_HASH_GROUPS leave a group over capacity (a tiny capacity for
 * many items), that assignment is returned as it is: the caller's quota check names the quota.
 */
export function hashGroups(items: readonly string[], capacity: number, salt: string): string[][] {
  const unique = [...new Set(items)].sort();
  let assigned: string[][] = [unique];
  for (let groups = 1; groups <= MAX_HASH_GROUPS; groups *= 2) {
    assigned = Array.from({ length: groups }, () => []);
    for (const item of unique) assigned[stableHash(`${salt}:${item}`) % groups]!.push(item);
    if (assigned.every((g) => g.length <= capacity)) return assigned;
  }
  return assigned;
}
