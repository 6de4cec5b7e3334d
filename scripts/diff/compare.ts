/** The comparison itself: two cdktf output directories in, a DiffResult out (pure apart from reading files). */
import { APPLY_ORDER } from '../../modules/stacks/outputs';
import { listStacks } from '../synth-runner';
import { diffBlock } from './deep-diff';
import { collectSecretLiterals } from './mask';
import { clean, extractBlocks, readStackJson } from './read';
import {
  type DiffOptions,
  type DiffResult,
  type JsonObject,
  SECTION_NAMES,
  type SectionDiff,
  type SectionName,
  type StackDiff,
  type StackStatus,
} from './types';

function emptySections(): Record<SectionName, SectionDiff> {
  const out = {} as Record<SectionName, SectionDiff>;
  for (const s of SECTION_NAMES) out[s] = { added: [], removed: [], changed: [] };
  return out;
}

/** Stack names in apply order, then any other stack alphabetically. */
export function orderStacks(names: Iterable<string>): string[] {
  // widened so that names of unknown stacks can be looked up (they rank last)
  const order: readonly string[] = APPLY_ORDER;
  const rank = (n: string) => {
    const i = order.indexOf(n);
    return i === -1 ? order.length : i;
  };
  return Array.from(new Set(names)).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/**
 * Compares two cdktf output directories (each containing stacks/<name>/cdk.tf.json).
 * A directory that does not exist counts as having no stacks.
 */
export function diffSynthOutputs(baseDir: string, headDir: string, options: DiffOptions = {}): DiffResult {
  const baseStacks = listStacks(baseDir);
  const headStacks = listStacks(headDir);
  const baseRoots = options.baseRoot ? [options.baseRoot] : [];
  const headRoots = options.headRoot ? [options.headRoot] : [];

  const loaded = orderStacks([...baseStacks, ...headStacks]).map((stack) => ({
    stack,
    inBase: baseStacks.includes(stack),
    inHead: headStacks.includes(stack),
    base: extractBlocks(clean(readStackJson(baseDir, stack), baseRoots) as JsonObject),
    head: extractBlocks(clean(readStackJson(headDir, stack), headRoots) as JsonObject),
  }));

  const secrets = new Set<string>();
  for (const s of loaded) for (const b of [...s.base.values(), ...s.head.values()]) collectSecretLiterals(b, secrets);

  const stacks: StackDiff[] = loaded.map(({ stack, inBase, inHead, base, head }) => {
    const sections = emptySections();
    const keys = Array.from(new Set([...base.keys(), ...head.keys()])).sort();
    for (const key of keys) {
      const b = base.get(key);
      const h = head.get(key);
      if (b && h) {
        const attributes = diffBlock(b, h, secrets);
        if (attributes.length) sections[h.section].changed.push({ address: h.address, attributes });
      } else if (h) sections[h.section].added.push(h.address);
      else if (b) sections[b.section].removed.push(b.address);
    }
    const anyChange = SECTION_NAMES.some((n) => {
      const s = sections[n];
      return s.added.length + s.removed.length + s.changed.length > 0;
    });
    const status: StackStatus = !inBase ? 'added' : !inHead ? 'removed' : anyChange ? 'changed' : 'unchanged';
    return { stack, status, sections };
  });

  return { stacks, changed: stacks.some((s) => s.status !== 'unchanged') };
}
