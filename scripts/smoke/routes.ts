/**
 * The HTTPS listener as the edge stack synthesizes it, evaluated the way the ALB evaluates it:
 * rules in priority order, the first whose conditions all match decides, else the default action.
 * What a request without a session should get is read from here, never assumed per host kind.
 */
import { pathPatternToRegExp } from '../../modules/config/patterns';
import { clientKeysIn, parseReference, resourcesOf } from './terraform';
import type { ListenerRule, Outcome, StackJson } from './types';

/** The HTTPS listener's logical id, its default outcome and its rules (sorted by priority). */
export function readListener(edge: StackJson): {
  id: string;
  attributes: Record<string, any>;
  defaultOutcome: Outcome;
  rules: ListenerRule[];
} {
  const https = resourcesOf(edge, 'aws_lb_listener').find(([, l]) => l.protocol === 'HTTPS');
  if (!https) throw new Error('the edge stack has no HTTPS listener');
  const [id, attributes] = https;
  const rules = resourcesOf(edge, 'aws_lb_listener_rule')
    .filter(([, r]) => parseReference(r.listener_arn)?.name === id)
    .map(([ruleId, r]) => readRule(edge, ruleId, r))
    .sort((a, b) => a.priority - b.priority);
  return { id, attributes, defaultOutcome: outcomeOf(edge, attributes.default_action, `the listener "${id}"`), rules };
}

function readRule(edge: StackJson, id: string, rule: Record<string, any>): ListenerRule {
  const conditions: Record<string, any>[] = rule.condition ?? [];
  const hosts = conditions.flatMap((c) => c.host_header?.values ?? []);
  const paths = conditions.flatMap((c) => c.path_pattern?.values ?? []);
  const header = conditions.find((c) => c.http_header)?.http_header;
  return {
    id,
    priority: Number(rule.priority),
    ...(hosts.length ? { hosts } : {}),
    ...(paths.length ? { paths } : {}),
    ...(header ? { header: { name: String(header.http_header_name), values: header.values ?? [] } } : {}),
    outcome: outcomeOf(edge, rule.action, `rule "${id}"`),
  };
}

/**
 * What the actions do with a request that has no session: the first authenticate action that does
 * not `allow` it decides (sign in or 401), a jwt-validation answers 401 to a bad token, and a
 * forward reaches the sign-out function (a Lambda target group) or the apps.
 */
function outcomeOf(edge: StackJson, actions: Record<string, any>[] | undefined, where: string): Outcome {
  for (const action of [...(actions ?? [])].sort((a, b) => (a.order ?? 0) - (b.order ?? 0))) {
    if (action.type === 'authenticate-cognito') {
      const settings = action.authenticate_cognito ?? {};
      if (settings.on_unauthenticated_request === 'allow') continue;
      if (settings.on_unauthenticated_request === 'deny') return { kind: 'deny' };
      const [client] = clientKeysIn(settings.user_pool_client_id);
      if (client === undefined) throw new Error(`${where} signs in with an app client the auth stack's client_ids output does not name`);
      return { kind: 'sign-in', client };
    }
    if (action.type === 'jwt-validation') {
      const claims: Record<string, any>[] = action.jwt_validation?.additional_claim ?? [];
      return { kind: 'token', scopes: claims.find((c) => c.name === 'scope')?.values ?? [] };
    }
    if (action.type === 'forward') {
      const group = parseReference(action.target_group_arn);
      const lambda = group && edge.resource?.aws_lb_target_group?.[group.name]?.target_type === 'lambda';
      return lambda ? { kind: 'sign-out' } : { kind: 'app' };
    }
  }
  throw new Error(`${where} has no action the smoke check understands`);
}

/** An ALB pattern (`*` any run of characters, `?` one) as a RegExp; host names compare case-insensitively. */
function matcher(pattern: string, caseInsensitive: boolean): RegExp {
  const re = pathPatternToRegExp(pattern);
  return caseInsensitive ? new RegExp(re.source, 'i') : re;
}

export interface RouteRequest {
  readonly host: string;
  readonly path: string;
  /** Request headers by lower-case name. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** The rule that takes the request (undefined: the default action) and what it does. */
export function route(
  listener: { rules: readonly ListenerRule[]; defaultOutcome: Outcome },
  request: RouteRequest,
): { rule?: ListenerRule; outcome: Outcome } {
  const path = request.path.split('?')[0]!;
  for (const rule of listener.rules) {
    if (rule.hosts && !rule.hosts.some((p) => matcher(p, true).test(request.host))) continue;
    if (rule.paths && !rule.paths.some((p) => matcher(p, false).test(path))) continue;
    if (rule.header) {
      const value = request.headers?.[rule.header.name.toLowerCase()];
      if (value === undefined || !rule.header.values.some((p) => matcher(p, true).test(value))) continue;
    }
    return { rule, outcome: rule.outcome };
  }
  return { outcome: listener.defaultOutcome };
}

/** A concrete path a pattern matches: `/api/*` → `/api/smoke`, `/v?` → `/vx`. */
export function samplePath(pattern: string): string {
  return pattern.replace(/\*/g, 'smoke').replace(/\?/g, 'x');
}
