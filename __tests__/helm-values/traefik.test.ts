import Ajv2020 from 'ajv/dist/2020';
import { readFileSync } from 'fs';
import { join } from 'path';
import { parse } from 'yaml';
import { HELM_VALUES_DIR } from '../../modules/constructs/helm-values';

/**
 * The Traefik chart (v41.3.0) publishes a JSON schema of its values; Helm checks the merged values
 * against it at install. It is strict at the top level and for most blocks, but not inside
 * `ports.<name>.http`, `forwardedHeaders`, `expose` or `service.spec`: there a misspelt key would be
 * ignored silently, so those are checked against the keys the chart's own values.yaml documents.
 */
const SCHEMA = JSON.parse(readFileSync(join(HELM_VALUES_DIR, 'schemas', 'traefik-41.3.0.values.schema.json'), 'utf8'));
const CHART_VALUES = parse(readFileSync(join(HELM_VALUES_DIR, 'schemas', 'traefik-41.3.0.values.yaml'), 'utf8'));
const OURS = parse(readFileSync(join(HELM_VALUES_DIR, 'traefik.yaml'), 'utf8'));

const validate = new Ajv2020({ allErrors: true, strict: false }).compile(SCHEMA);
const errorsOf = (values: unknown): string[] =>
  validate(values) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message} ${JSON.stringify(e.params)}`);

/** Every key path of an object, `*` standing for any port name. */
function keyPaths(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  return Object.entries(value).flatMap(([k, v]) => {
    const key = prefix === 'ports' ? `${prefix}.*` : prefix ? `${prefix}.${k}` : k;
    return [key, ...keyPaths(v, key)];
  });
}
/** Free-form maps: any key is legal (annotations, Kubernetes fields, resource quantities). */
const FREE_FORM = [/^service\.annotations\./, /^service\.spec\./, /^resources\./, /^gateway\.listeners\.web\.namespacePolicy\./];

describe('helm-values/traefik.yaml against the Traefik chart v41.3.0', () => {
  test("passes the chart's values.schema.json", () => {
    expect(errorsOf(OURS)).toEqual([]);
  });

  test('fails when a key is misspelt where the schema is strict', () => {
    expect(errorsOf({ ...OURS, provider: {} })).toEqual(['(root) must NOT have additional properties {"additionalProperty":"provider"}']);
    expect(errorsOf({ ...OURS, providers: { ...OURS.providers, kubernetesIngressNginx: { enabled: true } } })).toEqual([
      '/providers must NOT have additional properties {"additionalProperty":"kubernetesIngressNginx"}',
    ]);
    expect(errorsOf({ ...OURS, podDisruptionBudget: { enabled: true, minAvailabe: 1 } })).toEqual([
      '/podDisruptionBudget must NOT have additional properties {"additionalProperty":"minAvailabe"}',
    ]);
  });

  test("every key the schema does not police is one the chart's values.yaml documents", () => {
    const documented = new Set(keyPaths(CHART_VALUES));
    const undocumented = keyPaths(OURS).filter((k) => !documented.has(k) && !FREE_FORM.some((re) => re.test(k)));
    expect(undocumented).toEqual([]);
    // THEN a misspelling inside a non-strict block is caught here
    const typo = keyPaths({ ports: { web: { http: { maxHeaderByte: 1 } } } }).filter((k) => !documented.has(k));
    expect(typo).toEqual(['ports.*.http.maxHeaderByte']);
  });
});
