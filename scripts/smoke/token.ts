/**
 * Tokens for the bearer-token hosts: a malformed one, a forged one (well-formed, this pool's issuer
 * and the rule's scopes, signed by no key of the pool), and with --with-machine-token a real one from
 * the pool's token endpoint (client_credentials). A real token or secret is never printed: `mask`
 * is applied to anything echoed from the token endpoint.
 */
import { randomBytes } from 'crypto';
import { machineClientSecret } from './aws';
import { NoAnswer, type Prober } from './http';
import type { AwsRunner, CheckResult, Expectations, LiveValues } from './types';

/** Not a JWT at all: three segments are missing. */
export const MALFORMED_TOKEN = 'not-a-jwt';

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A token that passes every check but the signature: the ALB must still answer 401. */
export function forgedToken(issuer: string, scopes: readonly string[], now: Date): string {
  const iat = Math.floor(now.getTime() / 1000);
  const header = { alg: 'RS256', typ: 'JWT', kid: 'central-auth-smoke-forged' };
  const payload = { iss: issuer, token_use: 'access', scope: scopes.join(' '), client_id: 'central-auth-smoke', iat, exp: iat + 300 };
  return `${base64url(header)}.${base64url(payload)}.${randomBytes(256).toString('base64url')}`;
}

/** Replaces every occurrence of the secrets in `text` with `***`. */
export function mask(text: string, secrets: readonly string[]): string {
  return secrets.filter((s) => s.length >= 4).reduce((out, s) => out.split(s).join('***'), text);
}

/** An access token for `scopes` by the client-credentials grant (Cognito's token endpoint, HTTP Basic). */
export async function machineToken(
  prober: Prober,
  tokenEndpoint: string,
  client: { id: string; secret: string },
  scopes: readonly string[],
): Promise<{ token: string } | { error: string }> {
  const answer = await prober.fetch({
    url: tokenEndpoint,
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${client.id}:${client.secret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: scopes.join(' ') }).toString(),
  });
  let body: { access_token?: unknown; error?: unknown } = {};
  try {
    body = JSON.parse(answer.body);
  } catch {
    // Not JSON: the status says enough.
  }
  if (answer.status === 200 && typeof body.access_token === 'string') return { token: body.access_token };
  const reason = typeof body.error === 'string' ? ` ${mask(body.error, [client.secret])}` : '';
  return { error: `${answer.status}${reason}` };
}

/**
 * One real token per bearer scope set, from the first machine client (by name) holding all its
 * scopes: its secret read through the AWS API, the token from the pool's token endpoint. Tokens by
 * scope set, and one result per client used (or per scope set no client can serve).
 */
export async function obtainMachineTokens(
  scopeSets: readonly (readonly string[])[],
  context: {
    readonly exp: Expectations;
    readonly live: LiveValues;
    readonly aws: AwsRunner;
    readonly prober: Prober;
  },
): Promise<{ tokens: Map<string, string>; results: CheckResult[] }> {
  const { exp, live, aws, prober } = context;
  const tokens = new Map<string, string>();
  const results: CheckResult[] = [];
  const secrets = new Map<string, { id: string; secret: string } | undefined>();
  for (const scopes of scopeSets) {
    const key = scopes.join(' ');
    if (tokens.has(key)) continue;
    const client = exp.machineClients.find((c) => scopes.every((s) => c.scopes.includes(s)));
    const fail = (target: string, expected: string, saw: string, lookAt: string) =>
      results.push({ status: 'FAIL', check: 'machine-token', target, expected, saw, lookAt });
    if (!client) {
      results.push({
        status: 'WARN',
        check: 'machine-token',
        target: key,
        expected: `a machine client holding ${key}`,
        saw: 'none',
        lookAt: 'machineClients in the config (BEARER_SCOPE_UNOBTAINABLE)',
      });
      continue;
    }
    const id = live.clientIds.get(client.name);
    if (live.poolId === undefined || id === undefined || exp.tokenEndpoint === undefined) continue; // reported by the lookups
    if (!secrets.has(client.name)) {
      const read = machineClientSecret(aws, exp.region, live.poolId, id);
      if ('error' in read)
        fail(client.name, "the client's secret", read.error, "the job's AWS credentials (cognito-idp:DescribeUserPoolClient)");
      secrets.set(client.name, 'secret' in read ? { id, secret: read.secret } : undefined);
    }
    const credentials = secrets.get(client.name);
    if (!credentials) continue;
    let got: Awaited<ReturnType<typeof machineToken>>;
    try {
      got = await machineToken(prober, exp.tokenEndpoint, credentials, scopes);
    } catch (err) {
      if (!(err instanceof NoAnswer)) throw err;
      got = { error: `no answer (${err.message})` };
    }
    if ('error' in got) {
      fail(
        client.name,
        `an access token for ${key} from ${exp.tokenEndpoint}`,
        got.error,
        "the machine client's allowed scopes and the resource server (auth stack)",
      );
    } else {
      tokens.set(key, got.token);
      results.push({ status: 'ok', check: 'machine-token', target: client.name });
    }
  }
  return { tokens, results };
}
