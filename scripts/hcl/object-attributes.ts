/**
 * Nested settings that a provider's schema declares as object attributes, not blocks: in HCL
 * they need `name = { … }`. JSON writes both the same way, so cdktf's HCL writer renders every
 * nested object as a block. The Helm provider 3.x made `kubernetes` (and its `exec`) attributes
 * (terraform-provider-helm docs, "Upgrade guide to 3.x"); Terraform refuses them as blocks.
 */
export const OBJECT_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  helm: ['kubernetes', 'kubernetes.exec'],
};

/** Rewrites `name {` to `name = {` for the object attributes of each `provider "<name>"` block. */
export function repairObjectAttributes(hcl: string): string {
  const path: string[] = [];
  let provider: string | undefined;
  return hcl
    .split('\n')
    .map((line) => {
      const opened = /^\s*([A-Za-z_][\w-]*)(?:\s+"([^"]*)")?\s*\{\s*$/.exec(line);
      if (opened) {
        const [, name, label] = opened;
        if (path.length === 0) provider = name === 'provider' ? label : undefined;
        path.push(name!);
        const attribute = path.slice(1).join('.');
        if (provider && path.length > 1 && OBJECT_ATTRIBUTES[provider]?.includes(attribute)) return line.replace(/\{\s*$/, '= {');
        return line;
      }
      if (/^\s*\}\s*$/.test(line)) path.pop();
      return line;
    })
    .join('\n');
}
