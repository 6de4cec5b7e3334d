/** One `removed` block of a stack's JSON (Terraform >= 1.7). */
interface Removed {
  readonly from: string;
  readonly lifecycle?: { readonly destroy?: boolean };
}

/**
 * cdktf's HCL writer drops top-level `removed` blocks (set by an override) without a word, so the
 * HCL would destroy what the JSON only forgets. Writes them back, one block each, from the JSON.
 */
export function appendRemovedBlocks(hcl: string, removed: readonly Removed[] | undefined): string {
  if (!removed?.length || /^removed \{/m.test(hcl)) return hcl;
  const blocks = removed.map((r) => {
    const lifecycle = r.lifecycle?.destroy === undefined ? '' : `\n  lifecycle {\n    destroy = ${r.lifecycle.destroy}\n  }`;
    // `from` is a resource address, an HCL traversal: written bare, never as a string.
    if (!/^[A-Za-z0-9_.\-[\]"]+$/.test(r.from)) throw new Error(`removed block: "${r.from}" is not a resource address`);
    return `removed {\n  from = ${r.from}${lifecycle}\n}\n`;
  });
  return `${hcl.replace(/\n*$/, '\n')}\n${blocks.join('\n')}`;
}

/** `removed.<address>` for each removed block of a parsed document (JSON or hcl2json output). */
export function removedInventory(doc: Record<string, unknown>): string[] {
  const removed = doc.removed;
  if (!Array.isArray(removed)) return [];
  return removed.map((r: { from?: string }) => `removed.${String(r.from).replace(/^\$\{(.*)\}$/, '$1')}`);
}
