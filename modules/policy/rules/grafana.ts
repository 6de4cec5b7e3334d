import { Release } from '@cdktf/provider-helm/lib/release';
import { parseAllDocuments } from 'yaml';
import { isUnknown, list, show } from '../inspect';
import type { PolicyRule } from './types';

/** The last value a chart's values documents give `env.<name>` (later documents win, as in Helm). */
function chartEnv(values: readonly unknown[], name: string): { value: unknown; hcl: boolean } | undefined {
  let found: { value: unknown; hcl: boolean } | undefined;
  for (const doc of values) {
    if (typeof doc !== 'string') continue;
    if (doc.trimStart().startsWith('${')) {
      const expr = hclValue(doc, name);
      if (expr !== undefined) found = { value: expr, hcl: true };
      continue;
    }
    for (const parsed of parseAllDocuments(doc)) {
      const env = (parsed.toJS() as { env?: Record<string, unknown> } | null)?.env;
      if (env && name in env) found = { value: env[name], hcl: isUnknown(env[name]) };
    }
  }
  return found;
}

/** The text of `"name" = <expression>` inside a `${yamlencode({...})}` document, brackets balanced. */
function hclValue(doc: string, name: string): string | undefined {
  const start = doc.indexOf(`"${name}" = `);
  if (start < 0) return undefined;
  let i = start + name.length + 5;
  let depth = 0;
  let inString = false;
  const from = i;
  for (; i < doc.length; i++) {
    const ch = doc[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if ('({['.includes(ch!)) depth++;
    else if (')}]'.includes(ch!)) {
      if (depth === 0) break;
      depth--;
    } else if (ch === ',' && depth === 0) break;
  }
  return doc.slice(from, i).trim();
}

/** Which of iss, client_id and token_use = "access" an expect-claims value fails to pin. */
function unpinnedClaims(value: unknown, hcl: boolean): string[] {
  const missing: string[] = [];
  if (hcl && typeof value === 'string') {
    for (const claim of ['iss', 'client_id']) if (!new RegExp(`"${claim}"\\s*=\\s*(?!""|null)\\S`).test(value)) missing.push(claim);
    if (!/"token_use"\s*=\s*"access"/.test(value)) missing.push('token_use = "access"');
    return missing;
  }
  let claims: Record<string, unknown> = {};
  try {
    claims = typeof value === 'string' ? JSON.parse(value) : {};
  } catch {
    // Not JSON: every claim counts as missing.
  }
  for (const claim of ['iss', 'client_id']) if (typeof claims[claim] !== 'string' || claims[claim] === '') missing.push(claim);
  if (claims.token_use !== 'access') missing.push('token_use = "access"');
  return missing;
}

export const GRAFANA_RULES: readonly PolicyRule[] = [
  {
    id: 'GRAFANA_JWT_CLAIMS',
    mirrors: [],
    description:
      'Grafana, when it signs users in from the ALB\'s token, pins the token\'s iss, client_id and token_use = "access" (GF_AUTH_JWT_EXPECT_CLAIMS).',
    fix: 'Pass GF_AUTH_JWT_EXPECT_CLAIMS = jsonencode({ iss, client_id, token_use = "access" }) in the chart values (grafanaJwtEnv does).',
    severity: 'error',
    suppressible: false,
    check: (c, ctx) => {
      if (!(c instanceof Release)) return [];
      const attrs = ctx.attributes(c);
      if (attrs.chart !== 'grafana') return [];
      const values = list(attrs.values);
      const enabled = chartEnv(values, 'GF_AUTH_JWT_ENABLED');
      if (!enabled || !(enabled.value === true || enabled.value === 'true')) return [];
      const claims = chartEnv(values, 'GF_AUTH_JWT_EXPECT_CLAIMS');
      if (!claims)
        return ['values set GF_AUTH_JWT_ENABLED but no env.GF_AUTH_JWT_EXPECT_CLAIMS, must pin iss, client_id and token_use = "access"'];
      const missing = unpinnedClaims(claims.value, claims.hcl);
      return missing.length ? [`env.GF_AUTH_JWT_EXPECT_CLAIMS is ${show(claims.value)}, must pin ${missing.join(', ')}`] : [];
    },
  },
];
