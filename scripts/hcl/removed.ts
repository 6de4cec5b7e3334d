/** A `removed` (Terraform >= 1.7) or `moved` (>= 1.1) block of a stack's JSON. */
interface AddressBlock {
  readonly from: string;
  readonly to?: string;
  readonly lifecycle?: { readonly destroy?: boolean };
}

const ADDRESS = /^[A-Za-z0-9_.\-[\]"]+$/;

/** `from`/`to` are resource addresses, HCL traversals: written bare, never as strings. */
function address(text: string): string {
  if (!ADDRESS.test(text)) throw new Error(`"${text}" is not a resource address`);
  return text;
}

/**
 * cdktf's HCL writer drops top-level `removed` and `moved` blocks set by an override without a
 * word, so the HCL would destroy what the JSON forgets and replace what it moves. Writes them
 * back from the JSON, one block each.
 */
export function appendRemovedBlocks(hcl: string, removed: readonly AddressBlock[] | undefined, moves?: readonly AddressBlock[]): string {
  const blocks = [
    ...(/^removed \{/m.test(hcl) ? [] : (removed ?? [])).map((r) => {
      const lifecycle = r.lifecycle?.destroy === undefined ? '' : `\n  lifecycle {\n    destroy = ${r.lifecycle.destroy}\n  }`;
      return `removed {\n  from = ${address(r.from)}${lifecycle}\n}\n`;
    }),
    ...(/^moved \{/m.test(hcl) ? [] : (moves ?? [])).map(
      (m) => `moved {\n  from = ${address(m.from)}\n  to   = ${address(m.to ?? '')}\n}\n`,
    ),
  ];
  return blocks.length ? `${hcl.replace(/\n*$/, '\n')}\n${blocks.join('\n')}` : hcl;
}

/** `removed.<address>` and `moved.<from>` for each such block of a parsed document (JSON or hcl2json output). */
export function removedInventory(doc: Record<string, unknown>): string[] {
  return (['removed', 'moved'] as const).flatMap((kind) => {
    const blocks = doc[kind];
    return Array.isArray(blocks) ? blocks.map((r: { from?: string }) => `${kind}.${String(r.from).replace(/^\$\{(.*)\}$/, '$1')}`) : [];
  });
}
