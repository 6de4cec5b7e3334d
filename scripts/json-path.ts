/**
 * Terraform-style rendering of an attribute path, e.g. `default_action[0].authenticate_oidc.scope`.
 * Shared so that the offline summary (diff) and the plan comment name attributes the same way.
 */
export function formatPath(segs: readonly (string | number)[]): string {
  let out = '';
  for (const seg of segs) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}
