/** ALB listener rule priorities run from 1 to 50000. */
export const MAX_RULE_PRIORITY = 50000;
/** Priorities 1-9 are reserved for platform rules such as sign-out. */
export const PLATFORM_PRIORITIES = { signout: 1, signoutClear: 2 } as const;

export interface PriorityRange {
  readonly first: number;
  readonly last: number;
}

/** 32-bit FNV-1a: stable across Node versions and platforms, unlike anything seeded. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/**
 * Gives every rule key a priority derived from a hash of the key, so adding or removing a
 * rule leaves every other rule's priority where it was. Two keys whose hashes collide are
 * settled by key order: the later one takes the next free priority.
 */
export class RulePriorities {
  private readonly priorities = new Map<string, number>();

  constructor(keys: readonly string[], range: PriorityRange = { first: 10, last: MAX_RULE_PRIORITY }) {
    const size = range.last - range.first + 1;
    const unique = [...new Set(keys)].sort();
    if (unique.length > size) throw new Error(`RulePriorities: ${unique.length} rules do not fit priorities ${range.first}-${range.last}`);
    const taken = new Set<number>();
    for (const key of unique) {
      let slot = fnv1a(key) % size;
      while (taken.has(slot)) slot = (slot + 1) % size;
      taken.add(slot);
      this.priorities.set(key, range.first + slot);
    }
  }

  priority(key: string): number {
    const priority = this.priorities.get(key);
    if (priority === undefined) throw new Error(`RulePriorities: rule "${key}" has no priority`);
    return priority;
  }
}
