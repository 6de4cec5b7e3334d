import { isType } from '../context';
import { parseAllDocuments } from 'yaml';
import { declaredJwtClaims } from '../facts';
import { isUnknown, list, resolvedValue, show } from '../inspect';
import type { PolicyRule } from './types';

/**
 * The last value the values documents give `env.<name>`: later documents win, as in Helm. A
 * computed document (a Terraform expression) gives the value declared for it, if any.
 */
function envValue(values: readonly unknown[], name: string, declared: unknown): unknown {
  let found: unknown;
  for (const doc of values) {
    if (typeof doc !== 'string') continue;
    if (isUnknown(doc)) {
      if (declared !== undefined) found = declared;
      continue;
    }
    for (const parsed of parseAllDocuments(doc)) {
      const env = (parsed.toJS() as { env?: Record<string, unknown> } | null)?.env;
      if (env && name in env) found = env[name];
    }
  }
  return found;
}

/** Which of iss, client_id and token_use = "access" a claims object fails to pin. */
function unpinnedClaims(claims: Readonly<Record<string, unknown>>): string[] {
  const missing = ['iss', 'client_id'].filter((claim) => typeof claims[claim] !== 'string' || claims[claim] === '');
  return claims.token_use === 'access' ? missing : [...missing, 'token_use = "access"'];
}

/** A literal GF_AUTH_JWT_EXPECT_CLAIMS value as an object (not JSON: nothing pinned). */
function parseClaims(value: unknown): Record<string, unknown> {
  try {
    const parsed: unknown = typeof value === 'string' ? JSON.parse(value) : undefined;
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export const GRAFANA_RULES: readonly PolicyRule[] = [
  {
    id: 'GRAFANA_JWT_CLAIMS',
    mirrors: [],
    description:
      'Grafana, when it signs users in from the ALB\'s token, pins the token\'s iss, client_id and token_use = "access" (GF_AUTH_JWT_EXPECT_CLAIMS).',
    fix: 'Pass GF_AUTH_JWT_EXPECT_CLAIMS = jsonencode({ iss, client_id, token_use = "access" }) in the chart values and declare the same object with declareJwtClaims (the cluster stack does).',
    severity: 'error',
    suppressible: false,
    check: (c, ctx) => {
      if (!isType(c, 'helm_release')) return [];
      const attrs = ctx.attributes(c);
      if (attrs.chart !== 'grafana') return [];
      const values = list(attrs.values);
      const declared = declaredJwtClaims(c);
      // A computed document without declared claims could switch JWT sign-in on unseen.
      if (!declared && values.some((doc) => isUnknown(doc)))
        return ['values compute a document in a Terraform expression but declare no expected claims (declareJwtClaims)'];
      const enabled = envValue(values, 'GF_AUTH_JWT_ENABLED', undefined);
      if (!(enabled === true || enabled === 'true')) return [];
      const claims = envValue(values, 'GF_AUTH_JWT_EXPECT_CLAIMS', declared);
      if (claims === undefined)
        return ['values set GF_AUTH_JWT_ENABLED but no env.GF_AUTH_JWT_EXPECT_CLAIMS, must pin iss, client_id and token_use = "access"'];
      const isDeclared = claims === declared;
      const missing = unpinnedClaims(isDeclared ? declared! : parseClaims(claims));
      const shown = show(isDeclared ? resolvedValue(c, claims) : claims);
      return missing.length ? [`env.GF_AUTH_JWT_EXPECT_CLAIMS is ${shown}, must pin ${missing.join(', ')}`] : [];
    },
  },
];
