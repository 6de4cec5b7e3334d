/** ALB listener rule priorities run from 1 to 50000. */
export const MAX_RULE_PRIORITY = 50000;
/** Each host owns a block of this many consecutive priorities. */
export const PRIORITIES_PER_HOST = 10;
/** Block 0 (priorities 1-9) is reserved for platform rules such as sign-out. */
export const PLATFORM_PRIORITIES = { signout: 1 } as const;
const HOST_BLOCKS = Math.floor(MAX_RULE_PRIORITY / PRIORITIES_PER_HOST) - 1;

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
 * Gives every host a block of priorities derived from a hash of its name, so adding or removing
 * a host leaves every other host's rules where they are. Two hosts whose hashes collide are
 * settled by name order: the later one takes the next free block.
 */
export class RulePriorities {
  private readonly blocks = new Map<string, number>();

  constructor(hosts: readonly string[]) {
    const taken = new Set<number>();
    for (const host of [...new Set(hosts)].sort()) {
      let block = (fnv1a(host) % HOST_BLOCKS) + 1;
      while (taken.has(block)) block = (block % HOST_BLOCKS) + 1;
      taken.add(block);
      this.blocks.set(host, block);
    }
  }

  /** Priority of the `index`-th rule (0-9) of `host`; lower index is evaluated first. */
  priority(host: string, index: number): number {
    const block = this.blocks.get(host);
    if (block === undefined) throw new Error(`RulePriorities: host "${host}" has no priority block`);
    if (!Number.isInteger(index) || index < 0 || index >= PRIORITIES_PER_HOST) {
      throw new Error(`RulePriorities: rule index ${index} for "${host}" must be 0-${PRIORITIES_PER_HOST - 1}`);
    }
    return block * PRIORITIES_PER_HOST + index;
  }
}
