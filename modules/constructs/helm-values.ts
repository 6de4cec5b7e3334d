import { Fn, Token } from 'cdktf';
import { readFileSync } from 'fs';
import { join } from 'path';
import { stringify as toYaml } from 'yaml';
import { terraformLiteral } from '../config/strings';

export const HELM_VALUES_DIR = join(__dirname, '..', '..', 'helm-values');

/** A chart's static values file from helm-values/, as Terraform must read it: literally. */
export function staticValues(file: string): string {
  return terraformLiteral(readFileSync(join(HELM_VALUES_DIR, file), 'utf8'));
}

type Scalar = string | number | boolean;
export type Values = { readonly [key: string]: Scalar | readonly string[] | readonly Values[] | Values };

const isComputed = (value: unknown): boolean =>
  (typeof value === 'string' && Token.isUnresolved(value)) || (Array.isArray(value) && value.some((x) => Token.isUnresolved(x)));

/**
 * Splits chart values into a plain YAML document and a `yamlencode(...)` of the values that are
 * Terraform references. Literal strings never go inside the Terraform expression, where quotes
 * (as in Grafana's JMESPath) would need HCL escaping that cdktf does not do. Helm merges the
 * documents in order, so the two halves give back the whole.
 */
export function overlayValues(values: Values): string[] {
  const split = (v: Values): [Values, Values] => {
    const plain: Record<string, unknown> = {};
    const computed: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(v)) {
      if (typeof value !== 'object' || Array.isArray(value)) {
        (isComputed(value) ? computed : plain)[key] = value;
      } else {
        const [p, c] = split(value as Values);
        if (Object.keys(p).length) plain[key] = p;
        if (Object.keys(c).length) computed[key] = c;
      }
    }
    return [plain as Values, computed as Values];
  };
  const [plain, computed] = split(values);
  return [
    // Plain values hold users' text (Grafana's role mapping names their groups): Terraform reads it literally.
    ...(Object.keys(plain).length ? [terraformLiteral(toYaml(plain, { lineWidth: 0 }))] : []),
    ...(Object.keys(computed).length ? [Token.asString(Fn.yamlencode(computed))] : []),
  ];
}
