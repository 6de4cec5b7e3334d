// What a correct deployment of synthesized stacks answers, derived in the test from the stacks' JSON
// (never from constants), for the exact sets the smoke check's reports are compared with.
import { samplePath } from '../../../scripts/smoke/routes';
import type { SynthesizedStacks } from '../../../scripts/smoke/types';

type Obj = Record<string, any>;

export interface StackFacts {
  readonly poolName: string;
  readonly albName: string;
  readonly hosts: readonly string[];
  /** The Cognito name and callback URL of the app client registering each protected host. */
  readonly clientOf: (host: string) => { name: string; callback: string } | undefined;
  readonly clientNames: readonly string[];
  /** Where the ALB signs in (the auth stack's cognito_domain output, its reference resolved). */
  readonly signInDomain: string;
  readonly hsts: string;
  /** The sign-out function's cookie shards, from its packaged config.json. */
  readonly cookieShards: readonly string[];
  readonly rules: readonly [string, Obj][];
  /** Every `ok` line of a correct deployment, sorted. */
  readonly okLines: readonly string[];
}

export function factsOf(stacks: SynthesizedStacks): StackFacts {
  const auth = stacks.auth as Obj;
  const edge = stacks.edge as Obj;
  const values = (o: Obj | undefined): Obj[] => Object.values(o ?? {});
  const poolName = values(auth.resource.aws_cognito_user_pool)[0]!.name;
  const albName = values(edge.resource.aws_lb)[0]!.name;
  const hosts: string[] = [...edge.output.hosts.value].sort();
  const clients = values(auth.resource.aws_cognito_user_pool_client);
  const clientOf = (host: string) => {
    const c = clients.find((c) => (c.callback_urls ?? []).some((u: string) => new URL(u).hostname === host));
    return c && { name: c.name as string, callback: (c.callback_urls as string[]).find((u) => new URL(u).hostname === host)! };
  };
  const signInDomain = String(auth.output.cognito_domain.value).replace(
    /\$\{([a-z_]+)\.([\w-]+)\.([a-z_]+)\}/g,
    (_: string, t: string, n: string, a: string) => auth.resource[t][n][a],
  );
  const https = values(edge.resource.aws_lb_listener).find((l) => l.protocol === 'HTTPS')!;
  const rules = Object.entries(edge.resource.aws_lb_listener_rule as Obj);
  const config = stacks.signoutConfig!;
  const cookieShards = Array.from({ length: config.shardCount }, (_, i) => `${config.cookieName}-${i}`);

  const ok = [
    `ok   user-pool ${poolName}`,
    ...clients.map((c) => `ok   app-client ${c.name}`),
    `ok   alb ${albName}`,
    ...values(edge.resource.aws_wafv2_web_acl_association).map((a) => `ok   waf ${/aws_lb\./.test(a.resource_arn) ? albName : poolName}`),
    `ok   discovery ${poolName}`,
    `ok   jwks ${poolName}`,
  ];
  for (const host of hosts) {
    const signs = clientOf(host) !== undefined;
    ok.push(`ok   dns ${host}`, `ok   certificate ${host}`, `ok   http-redirect ${host}`, `ok   ${signs ? 'sign-in' : 'public'} ${host}`);
    ok.push(`ok   hsts ${host}`, `ok   nosniff ${host}`, `ok   server-header ${host}`);
    for (const [, rule] of rules) {
      const conditions: Obj[] = rule.condition;
      if (!conditions.some((c) => c.host_header?.values.includes(host))) continue;
      const first = rule.action.find((a: Obj) => a.order === 1);
      const kind =
        first.type === 'forward'
          ? 'public-path'
          : first.authenticate_cognito?.on_unauthenticated_request === 'deny'
            ? 'deny-path'
            : undefined;
      for (const c of conditions) for (const p of c.path_pattern?.values ?? []) if (kind) ok.push(`ok   ${kind} ${host}${samplePath(p)}`);
      if (conditions.some((c) => c.http_header)) ok.push(`ok   bearer-malformed ${host}`, `ok   bearer-forged ${host}`);
    }
    if (config.hosts[host]) ok.push(`ok   sign-out ${host}`);
  }
  return {
    poolName,
    albName,
    hosts,
    clientOf,
    clientNames: clients.map((c) => c.name),
    signInDomain,
    hsts: https.routing_http_response_strict_transport_security_header_value,
    cookieShards,
    rules,
    okLines: ok.sort(),
  };
}
