/**
 * What a correct deployment answers, read from the synthesized stacks (and the config for the
 * environment's name, region and hosts), never from constants: the listener's rules and headers,
 * the app clients' names and callback URLs, the Cognito domains and endpoints the auth stack
 * outputs, the sign-out function's packaged config, the web ACL associations.
 */
import type { ResolvedConfig } from '../../modules/config/defaults';
import { readListener, route } from './routes';
import { clientKeysIn, type KnownValues, outputOf, parseReference, resolveText, resourcesOf } from './terraform';
import type { Expectations, HostPlan, SignoutPlan, StackJson, SynthesizedStacks, WafPlan } from './types';

/** The stacks and the config disagree, or a stack lacks what the checks need: nothing can be judged. */
export class ExpectationError extends Error {}

/** Where the pool's id goes in the issuer and JWKS URL until the AWS API names it. */
export const POOL_ID_SLOT = '{poolId}';

export function readExpectations(stacks: SynthesizedStacks, config: ResolvedConfig): Expectations {
  const { auth, edge } = stacks;
  const hosts = config.apps.map((a) => a.host).sort();
  const published = outputOf(edge, 'hosts');
  if (!Array.isArray(published) || [...published].sort().join(' ') !== hosts.join(' ')) {
    throw new ExpectationError(
      `the edge stack's hosts output (${JSON.stringify(published)}) is not the config's hosts (${hosts.join(', ')})`,
    );
  }
  const listener = readListener(edge);
  const clients = appClients(auth);
  const output = (name: string, known: KnownValues = {}): string => {
    const value = resolveText(auth, outputOf(auth, name), known);
    if (value === undefined)
      throw new ExpectationError(`the auth stack's ${name} output cannot be read (${JSON.stringify(outputOf(auth, name))})`);
    return value;
  };
  const poolSlot = { 'aws_cognito_user_pool.id': POOL_ID_SLOT };
  const issuer = output('issuer_url', poolSlot);
  const signInDomain = output('cognito_domain');
  const logoutEndpoint = output('logout_endpoint');
  const tokenEndpoint = outputOf(auth, 'token_endpoint') === undefined ? undefined : output('token_endpoint');
  const cognitoHosts = [...new Set([signInDomain, new URL(logoutEndpoint).hostname, new URL(issuer.replace(POOL_ID_SLOT, 'x')).hostname])];
  if (tokenEndpoint) cognitoHosts.push(new URL(tokenEndpoint).hostname);

  const plans = hosts.map((host) => hostPlan(host, listener, clients));
  for (const plan of plans) {
    const { outcome } = route(listener, { host: plan.host, path: '/' });
    if (outcome.kind === 'sign-in' && plan.callback?.client !== outcome.client) {
      throw new ExpectationError(
        `${plan.host} signs in with app client "${outcome.client}" (edge stack), but ${plan.callback ? `its callback URL is registered on "${plan.callback.client}"` : 'no app client registers its callback URL'} (auth stack)`,
      );
    }
  }
  const extra = listener.attributes.default_action?.find((a: any) => a.type === 'authenticate-cognito')?.authenticate_cognito
    ?.authentication_request_extra_params;
  const pools = resourcesOf(auth, 'aws_cognito_user_pool');
  if (pools.length !== 1) throw new ExpectationError(`the auth stack has ${pools.length} user pools, expected one`);
  const http = resourcesOf(edge, 'aws_lb_listener').find(([, l]) => l.protocol === 'HTTP')?.[1];
  const redirect = http?.default_action?.find((a: any) => a.type === 'redirect')?.redirect;
  const alb = resourcesOf(edge, 'aws_lb').find(([, lb]) => lb.load_balancer_type === 'application');
  if (!alb) throw new ExpectationError('the edge stack has no application load balancer');

  return {
    environment: config.environment,
    region: config.region,
    hosts: plans,
    cognitoHosts: cognitoHosts.sort(),
    pool: { name: String(pools[0]![1].name), issuer, jwksUrl: output('jwks_url', poolSlot) },
    signInDomain,
    extraAuthorizeParams: extra && typeof extra === 'object' ? (extra as Record<string, string>) : {},
    logoutEndpoint,
    ...(tokenEndpoint ? { tokenEndpoint } : {}),
    clients: new Map([...clients].map(([key, c]) => [key, { name: c.name }])),
    machineClients: machineClients(auth),
    listener: {
      rules: listener.rules,
      defaultOutcome: listener.defaultOutcome,
      ...securityHeaders(listener.attributes),
      serverHeaderOff:
        listener.attributes.routing_http_response_server_enabled === false && http?.routing_http_response_server_enabled === false,
      httpRedirectStatus: Number(/^HTTP_(\d{3})$/.exec(String(redirect?.status_code ?? ''))?.[1] ?? 0),
    },
    ...signoutPlan(stacks, clients),
    albName: String(alb[1].name),
    waf: webAcls(edge),
  };
}

/** ALB app clients by key (the auth stack's client_ids output): their names and callback URLs. */
function appClients(auth: StackJson): Map<string, { name: string; callbacks: string[] }> {
  const ids = outputOf(auth, 'client_ids');
  if (!ids || typeof ids !== 'object') throw new ExpectationError('the auth stack has no client_ids output');
  const clients = new Map<string, { name: string; callbacks: string[] }>();
  for (const [key, ref] of Object.entries(ids as Record<string, unknown>)) {
    const client = auth.resource?.aws_cognito_user_pool_client?.[parseReference(ref)?.name ?? ''];
    if (!client) throw new ExpectationError(`the auth stack's client_ids.${key} names no app client`);
    clients.set(key, { name: String(client.name), callbacks: client.callback_urls ?? [] });
  }
  return clients;
}

/** Each host's callback URL and client, its path rules and its bearer rules' scope sets. */
function hostPlan(
  host: string,
  listener: ReturnType<typeof readListener>,
  clients: ReadonlyMap<string, { callbacks: readonly string[] }>,
): HostPlan {
  let callback: HostPlan['callback'];
  for (const [client, { callbacks }] of clients) {
    const url = callbacks.find((u) => new URL(u).hostname === host);
    if (url) callback = { client, url };
  }
  const named = listener.rules.filter((r) => r.hosts?.includes(host));
  return {
    host,
    ...(callback ? { callback } : {}),
    paths: [...new Set(named.flatMap((r) => r.paths ?? []))].sort(),
    bearerScopes: named.flatMap((r) => (r.header && r.outcome.kind === 'token' ? [r.outcome.scopes] : [])),
  };
}

/** client_credentials clients and the full scopes (`<resource server>/<name>`) they may obtain. */
function machineClients(auth: StackJson): Expectations['machineClients'] {
  return resourcesOf(auth, 'aws_cognito_user_pool_client')
    .filter(([, c]) => (c.allowed_oauth_flows ?? []).includes('client_credentials'))
    .map(([, c]) => ({
      name: String(c.name),
      scopes: (c.allowed_oauth_scopes ?? []).map((s: string) => resolveText(auth, s) ?? s),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

function securityHeaders(https: Record<string, any>): Pick<Expectations['listener'], 'headers'> {
  const hsts = https.routing_http_response_strict_transport_security_header_value;
  const contentTypeOptions = https.routing_http_response_x_content_type_options_header_value;
  return typeof hsts === 'string' && typeof contentTypeOptions === 'string' ? { headers: { hsts, contentTypeOptions } } : {};
}

/**
 * The sign-out function's hosts with the client key each signs out through: config.json gives an
 * index into CLIENT_IDS, whose expression reads the auth stack's client_ids in that order.
 */
function signoutPlan(stacks: SynthesizedStacks, clients: ReadonlyMap<string, unknown>): { signout?: SignoutPlan } {
  const file = stacks.signoutConfig;
  if (!file) return {};
  const fn = resourcesOf(stacks.edge, 'aws_lambda_function').find(([, f]) => f.environment?.variables?.CLIENT_IDS !== undefined)?.[1];
  const order = clientKeysIn(fn?.environment?.variables?.CLIENT_IDS);
  const hosts = new Map<string, { client: string; logoutUri: string }>();
  for (const [host, entry] of Object.entries(file.hosts)) {
    const client = order[entry.client];
    if (client === undefined || !clients.has(client)) {
      throw new ExpectationError(
        `the sign-out function's config names client ${entry.client} for ${host}, which its CLIENT_IDS do not hold`,
      );
    }
    hosts.set(host, { client, logoutUri: entry.logoutUri });
  }
  return { signout: { path: file.signoutPath, cookieName: file.cookieName, shardCount: file.shardCount, hosts } };
}

/** The edge stack's web ACL associations: with the ALB, and with the user pool (the auth stack's ARN). */
function webAcls(edge: StackJson): WafPlan[] {
  return resourcesOf(edge, 'aws_wafv2_web_acl_association').map(([id, assoc]) => {
    const on =
      parseReference(assoc.resource_arn)?.type === 'aws_lb'
        ? 'alb'
        : /user_pool_arn/.test(String(assoc.resource_arn))
          ? 'user-pool'
          : undefined;
    if (!on) throw new ExpectationError(`web ACL association "${id}" is on neither the ALB nor the user pool: ${assoc.resource_arn}`);
    const ref = parseReference(assoc.web_acl_arn);
    const managed = ref?.type === 'aws_wafv2_web_acl' ? edge.resource?.aws_wafv2_web_acl?.[ref.name]?.name : undefined;
    if (typeof managed === 'string') return { on, acl: { name: managed } };
    if (typeof assoc.web_acl_arn === 'string' && assoc.web_acl_arn.startsWith('arn:')) return { on, acl: { arn: assoc.web_acl_arn } };
    throw new ExpectationError(`web ACL association "${id}" names no web ACL the smoke check can read: ${assoc.web_acl_arn}`);
  });
}
