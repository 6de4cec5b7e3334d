import { parse } from '@cdktf/hcl2json';

/** Block kinds whose names must be the same in the JSON and the HCL of a stack. */
const KINDS = ['resource', 'data', 'output', 'variable', 'locals', 'module', 'provider'] as const;

/** `kind.type.name` (or `kind.name`) of every block of a Terraform JSON document, sorted. */
export function blockInventory(doc: Record<string, unknown>): string[] {
  const names: string[] = [];
  for (const kind of KINDS) {
    const section = doc[kind];
    if (typeof section !== 'object' || section === null) continue;
    for (const [key, value] of Object.entries(section)) {
      // resource/data are nested by type then name; output/provider/... by name only.
      const nested = (kind === 'resource' || kind === 'data') && typeof value === 'object' && value !== null;
      if (nested) for (const name of Object.keys(value)) names.push(`${kind}.${key}.${name}`);
      else names.push(`${kind}.${key}`);
    }
  }
  return names.sort();
}

/**
 * Parses the HCL with HashiCorp's own HCL parser (hcl2json, the Go library compiled to wasm, the
 * one cdktf uses) and checks that it declares exactly the blocks of the JSON it was made from.
 * Throws with the parser's message or the first differences.
 */
export async function checkHcl(file: string, hcl: string, json: Record<string, unknown>): Promise<void> {
  let parsed: Record<string, unknown>;
  try {
    parsed = await parse(file, hcl);
  } catch (err) {
    throw new Error(`${file} is not valid HCL: ${String(err).replace(/^Error: /, '')}`);
  }
  const want = blockInventory(json);
  const got = blockInventory(parsed);
  const missing = want.filter((b) => !got.includes(b));
  const extra = got.filter((b) => !want.includes(b));
  if (missing.length || extra.length) {
    throw new Error(
      `${file} does not declare the blocks of its JSON: missing ${missing.slice(0, 5).join(', ') || 'none'}; extra ${extra.slice(0, 5).join(', ') || 'none'}`,
    );
  }
}
