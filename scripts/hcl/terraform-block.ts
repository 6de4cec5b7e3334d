/** The nested blocks of the `terraform` block; its other keys are settings with a value. */
export const TERRAFORM_BLOCKS: readonly string[] = ['required_providers', 'backend', 'cloud'];

/**
 * cdktf's HCL writer renders every other setting of the `terraform` block (`required_version`,
 * set by an override) by the position of its name: `0 = "required_version"`, which HCL refuses
 * ("Argument or block definition required"). Puts each setting back with its value from the
 * stack's JSON; JSON literals are valid HCL expressions. Only lines of that exact shape directly
 * inside the top-level `terraform` block are touched.
 */
export function repairTerraformSettings(hcl: string, terraform: Record<string, unknown> | undefined): string {
  const settings = Object.keys(terraform ?? {}).filter((k) => !TERRAFORM_BLOCKS.includes(k));
  if (settings.length === 0) return hcl;
  let depth = 0;
  return hcl
    .split('\n')
    .map((line) => {
      if (depth === 0) {
        if (line === 'terraform {') depth = 1;
        return line;
      }
      const named = /^\s*(\d+) = "([A-Za-z_][A-Za-z0-9_-]*)"\s*$/.exec(line);
      const repaired =
        depth === 1 && named && settings[Number(named[1])] === named[2] ? `${named[2]} = ${JSON.stringify(terraform![named[2]!])}` : line;
      depth += braceBalance(line);
      return repaired;
    })
    .join('\n');
}

/** `{` minus `}` on a line, outside string literals. */
function braceBalance(line: string): number {
  let balance = 0;
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '\\') i++;
      else if (ch === '"') quoted = false;
    } else if (ch === '"') quoted = true;
    else if (ch === '{') balance++;
    else if (ch === '}') balance--;
  }
  return balance;
}
