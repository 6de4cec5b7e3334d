import type { TerraformResource } from 'cdktf';
import { isType, type PolicyContext } from '../context';
import { block, list, show } from '../inspect';
import { actions, LISTENER_RULES } from './helpers';
import type { PolicyRule, Problem } from './types';

/** A scope's name: what follows its resource server identifier (a literal or a reference). */
function scopeName(scope: unknown): string | undefined {
  return typeof scope === 'string' ? scope.slice(scope.lastIndexOf('/') + 1) : undefined;
}

/** Each bearer-token rule and the scope names its jwt-validation action demands. */
function bearerRules(ctx: PolicyContext): { rule: TerraformResource; hosts: unknown[]; scopes: Set<string> }[] {
  return ctx.resources.flatMap((rule) => {
    if (!isType(rule, ...LISTENER_RULES)) return [];
    const attrs = ctx.attributes(rule);
    const validation = actions(attrs, 'action').find((a) => a.type === 'jwt-validation');
    if (!validation) return [];
    const claims = list(block(validation.attrs.jwt_validation)?.additional_claim);
    const scope = claims.find((c) => block(c)?.name === 'scope');
    const hosts = list(attrs.condition).flatMap((c) => list(block(block(c)?.host_header)?.values));
    const names = list(block(scope)?.values).map(scopeName);
    return [{ rule, hosts, scopes: new Set(names.filter((n): n is string => n !== undefined)) }];
  });
}

/** Each machine client (client_credentials) and the scope names it may obtain. */
function machineClients(ctx: PolicyContext): { client: TerraformResource; name: unknown; scopes: Set<string> }[] {
  return ctx.resources.flatMap((client) => {
    if (!isType(client, 'aws_cognito_user_pool_client')) return [];
    const attrs = ctx.attributes(client);
    const flows = list(attrs.allowed_oauth_flows);
    if (!flows.includes('client_credentials')) return [];
    const names = list(attrs.allowed_oauth_scopes).map(scopeName);
    return [{ client, name: attrs.name, scopes: new Set(names.filter((n): n is string => n !== undefined)) }];
  });
}

const holdsAll = (granted: Set<string>, needed: Set<string>) => [...needed].every((s) => granted.has(s));

export const MACHINE_RULES: readonly PolicyRule[] = [
  {
    id: 'MACHINE_CLIENT_SCOPES',
    mirrors: [],
    description: 'Every machine client can call some app: at least one bearer-token rule demands only scopes the client may obtain.',
    fix: "Give the machine client every scope of some app's bearerTokens, or remove it.",
    severity: 'error',
    suppressible: false,
    checkAll: (ctx) => {
      const rules = bearerRules(ctx);
      return machineClients(ctx)
        .filter(({ scopes }) => !rules.some((r) => holdsAll(scopes, r.scopes)))
        .map(
          ({ client, name, scopes }): Problem => ({
            construct: client,
            message: `machine client ${show(name)} with scopes ${show([...scopes].sort())} can call no app: every bearer-token rule demands a scope it lacks (a token must carry all of a rule's scopes)`,
          }),
        );
    },
  },
  {
    id: 'BEARER_SCOPE_UNOBTAINABLE',
    mirrors: [],
    description: 'Every bearer-token rule can be satisfied: some machine client may obtain all of its scopes.',
    fix: 'Add a machine client with those scopes, or suppress the rule with the reason (clients added later).',
    severity: 'warning',
    suppressible: true,
    checkAll: (ctx) => {
      const clients = machineClients(ctx);
      return bearerRules(ctx)
        .filter(({ scopes }) => !clients.some((c) => holdsAll(c.scopes, scopes)))
        .map(
          ({ rule, hosts, scopes }): Problem => ({
            construct: rule,
            message: `hosts ${show(hosts)} accept bearer tokens with scopes ${show([...scopes].sort())}, which no machine client can obtain all of`,
          }),
        );
    },
  },
];
