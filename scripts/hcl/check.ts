import { parse } from '@cdktf/hcl2json';
import { removedInventory } from './removed';
import { TERRAFORM_BLOCKS } from './terraform-block';

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
  return [...names, ...removedInventory(doc)].sort();
}

/**
 * Parses the HCL with HashiCorp's own HCL parser (hcl2json, the Go library compiled to wasm, the
 * one cdktf uses) and checks that it declares exactly the blocks of the JSON it was made from, and
 * the same `terraform` settings (such as required_version).
 * Throws with the parser's message or the first differences.
 */
export async function checkHcl(file: string, hcl: string, json: Record<string, unknown>): Promise<void> {
  let parsed: Record<string, unknown>;
  try {
    parsed = await parse(file, hcl);
  } catch (err) {
    throw new Error(`${file} is not valid HCL: ${String(err).replace(/^Error: /, '')}`);
  }
  const settings = changedTerraformSettings(json, parsed);
  if (settings.length) throw new Error(`${file} does not keep the terraform settings of its JSON: ${settings.join(', ')}`);
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

/** Names of the JSON's `terraform` settings (not its nested blocks) that the parsed HCL lacks or changes. */
function changedTerraformSettings(json: Record<string, unknown>, parsed: Record<string, unknown>): string[] {
  const want = (json.terraform ?? {}) as Record<string, unknown>;
  const got = ((parsed.terraform as Record<string, unknown>[] | undefined)?.[0] ?? {}) as Record<string, unknown>;
  return Object.keys(want).filter((k) => !TERRAFORM_BLOCKS.includes(k) && JSON.stringify(got[k]) !== JSON.stringify(want[k]));
}
