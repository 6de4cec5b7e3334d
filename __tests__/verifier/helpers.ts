// Shared fixtures of the verifier tests: keys and tokens minted with jose (mint.js), a local key
// server standing in for the ALB key endpoint and the user pool's JWKS, and a valid config.
import { execFileSync } from 'node:child_process';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { createVerifier } from '../../verifier/server.js';

export const REGION = 'eu-west-1';
export const ACCOUNT = '123456789012';
export const ALB_ARN = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:loadbalancer/app/dev-central-auth/50dc6c495c0c9188`;
export const ALB_PATTERN = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:loadbalancer/app/dev-central-auth/*`;
export const PROD_ALB_ARN = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:loadbalancer/app/prod-central-auth/7a1c7b5a3b9e2d10`;
export const ISSUER = `https://cognito-idp.${REGION}.amazonaws.com/${REGION}_Dev1Pool`;
export const OTHER_ISSUER = `https://cognito-idp.${REGION}.amazonaws.com/${REGION}_OtherPool`;
export const CLIENT_A = '1example23456789abcdefghij';
export const CLIENT_B = '7other89abcdefghij01234567';
export const FOREIGN_CLIENT = '9foreign0123456789abcdefgh';
export const ALB_KID = '5d2b6a4c-1f0e-4f3a-9b8c-7d6e5f4a3b2c';
export const POOL_KID = 'pool-key-1';
export const OTHER_POOL_KID = 'other-pool-key-1';
export const GRAFANA = 'grafana.dev.example.com';
export const WIKI = 'wiki.dev.example.com';
export const STATUS = 'status.dev.example.com';
export const ALICE = { sub: '7c9e6679-7425-40de-944b-e07fc1f90ae7', username: 'alice', email: 'alice@example.com' };
export const BOB = { sub: 'b8a1f3d2-2c4e-4b6a-8f0e-1d2c3b4a5f60', username: 'bob', email: 'bob@example.com' };

type Claims = Record<string, unknown>;
export type TokenSpec = { key: string; header: Claims; payload: Claims; padded?: boolean };
export type Minted = { keys: Record<string, { pem: string; jwk: Claims }>; tokens: Record<string, string> };

const KEYS = [
  { name: 'alb', alg: 'ES256', kid: ALB_KID },
  // Same kid as the ALB's real key: a forger's key the endpoint does not serve.
  { name: 'forger', alg: 'ES256', kid: ALB_KID },
  { name: 'pool', alg: 'RS256', kid: POOL_KID },
  { name: 'otherPool', alg: 'RS256', kid: OTHER_POOL_KID },
];

/** x-amzn-oidc-data as the ALB writes it: header { alg, kid, signer, iss, client, exp }, padded base64url. */
export function albData(now: number, user: typeof ALICE, header: Claims = {}, payload: Claims = {}, key = 'alb'): TokenSpec {
  return {
    key,
    padded: true,
    header: { typ: 'JWT', kid: ALB_KID, alg: 'ES256', iss: ISSUER, client: CLIENT_A, signer: ALB_ARN, exp: now + 120, ...header },
    payload: { sub: user.sub, email_verified: 'true', email: user.email, username: user.username, exp: now + 120, iss: ISSUER, ...payload },
  };
}

/** A Cognito access token: RS256, token_use access, client_id, cognito:groups. */
export function access(now: number, user: typeof ALICE, groups: string[] | undefined, claims: Claims = {}, key = 'pool'): TokenSpec {
  return {
    key,
    header: { kid: key === 'pool' ? POOL_KID : OTHER_POOL_KID, alg: 'RS256' },
    payload: {
      sub: user.sub,
      ...(groups === undefined ? {} : { 'cognito:groups': groups }),
      iss: ISSUER,
      client_id: CLIENT_A,
      origin_jti: '0f7b5c1e-8d2a-4c3b-9e1f-6a5b4c3d2e1f',
      token_use: 'access',
      scope: 'openid email',
      auth_time: now - 60,
      exp: now + 3600,
      iat: now - 60,
      jti: '3a2b1c0d-9e8f-4a7b-8c6d-5e4f3a2b1c0d',
      username: user.username,
      ...claims,
    },
  };
}

export const MACHINE_CLIENT = '4machine5678901234567abcde';
export const API_SCOPES = ['dev-central-auth/deploy.write', 'dev-central-auth/reports.read'];

/** A client_credentials access token as Cognito issues it: no user, the client as sub, space-separated scopes. */
export function bearer(now: number, claims: Claims = {}, key = 'pool'): TokenSpec {
  return {
    key,
    header: { kid: key === 'pool' ? POOL_KID : OTHER_POOL_KID, alg: 'RS256' },
    payload: {
      sub: MACHINE_CLIENT,
      token_use: 'access',
      scope: API_SCOPES.join(' '),
      auth_time: now - 60,
      iss: ISSUER,
      exp: now + 900,
      iat: now - 60,
      version: 2,
      jti: '5c4b3a29-1807-4f6e-9d5c-4b3a29180706',
      client_id: MACHINE_CLIENT,
      ...claims,
    },
  };
}

/** Every token the suites use, valid at `now` (seconds) unless named otherwise. */
export function tokenSpecs(now: number): Record<string, TokenSpec> {
  return {
    data: albData(now, ALICE),
    dataUnpadded: { ...albData(now, ALICE), padded: false },
    dataBob: albData(now, BOB),
    dataClientB: albData(now, ALICE, { client: CLIENT_B }),
    dataNoEmail: albData(now, ALICE, {}, { email: undefined }),
    dataOtherSigner: albData(now, ALICE, { signer: PROD_ALB_ARN }),
    dataExpired: albData(now, ALICE, { exp: now - 600 }),
    dataClaimsExpired: albData(now, ALICE, {}, { exp: now - 600 }),
    dataOtherIssuer: albData(now, ALICE, { iss: OTHER_ISSUER }),
    dataForeignClient: albData(now, ALICE, { client: FOREIGN_CLIENT }),
    dataForged: albData(now, ALICE, {}, {}, 'forger'),
    dataNoSub: albData(now, ALICE, {}, { sub: '' }),
    dataBadKid: albData(now, ALICE, { kid: '../../etc/passwd' }),
    dataNoKid: albData(now, ALICE, { kid: undefined }),
    dataUnknownKid: albData(now, ALICE, { kid: '00000000-0000-4000-8000-000000000000' }),
    access: access(now, ALICE, ['grafana-admins', 'wiki-editors']),
    accessSpaced: access(now, { ...ALICE, username: ' alice\t' }, ['wiki-editors']),
    dataSpaced: albData(now, ALICE, {}, { email: ' alice@example.com' }),
    accessBob: access(now, BOB, ['viewers']),
    accessNoGroups: access(now, ALICE, undefined),
    accessClientB: access(now, ALICE, ['grafana-admins'], { client_id: CLIENT_B }),
    accessOtherPool: access(now, ALICE, ['grafana-admins'], { iss: OTHER_ISSUER }, 'otherPool'),
    accessWrongIssuer: access(now, ALICE, ['grafana-admins'], { iss: OTHER_ISSUER }),
    idToken: access(now, ALICE, ['grafana-admins'], { token_use: 'id', client_id: undefined, aud: CLIENT_A }),
    accessExpired: access(now, ALICE, ['grafana-admins'], { exp: now - 600, iat: now - 4200 }),
    accessForeignClient: access(now, ALICE, ['grafana-admins'], { client_id: FOREIGN_CLIENT }),
    accessFutureIat: access(now, ALICE, ['grafana-admins'], { iat: now + 600 }),
    accessFutureNbf: access(now, ALICE, ['grafana-admins'], { nbf: now + 600 }),
    accessBadIat: access(now, ALICE, ['grafana-admins'], { iat: 'yesterday' }),
    accessNoUsername: access(now, ALICE, ['grafana-admins'], { username: undefined }),
    accessBadGroups: access(now, ALICE, ['grafana-admins'], { 'cognito:groups': 'grafana-admins' }),
    accessNoKid: { ...access(now, ALICE, []), header: { alg: 'RS256' } },
    accessUnicode: access(now, { ...ALICE, username: 'Zoë, 100%' }, ['grafana-admins', 'ops,team', 'Équipe']),
    bearer: bearer(now),
    bearerMissingScope: bearer(now, { scope: API_SCOPES[1] }),
    bearerIdToken: bearer(now, { token_use: 'id', aud: MACHINE_CLIENT }),
    bearerOtherPool: bearer(now, { iss: OTHER_ISSUER }, 'otherPool'),
    bearerExpired: bearer(now, { exp: now - 600, iat: now - 1500 }),
  };
}

/** Runs mint.js once (keys are made fresh each run). */
export function mint(now: number): Minted {
  return mintSpecs(tokenSpecs(now));
}

/** Mints the given tokens with fresh keys (one run of mint.js). */
export function mintSpecs(tokens: Record<string, TokenSpec>): Minted {
  const request = { keys: KEYS, tokens };
  const out = execFileSync(process.execPath, [path.join(__dirname, 'mint.js')], {
    input: JSON.stringify(request),
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  return JSON.parse(out) as Minted;
}

export type KeyServer = {
  albKeyEndpoint: string;
  jwksUrl: string;
  /** Requests seen, by path. */
  hits: string[];
  /** Replaces the response for a path: status, body, delay. */
  override: (path: string, response: { status?: number; body?: string; delayMs?: number } | undefined) => void;
  close: () => Promise<void>;
};

/** Serves /alb/<kid> (PEM) and /jwks.json like the real endpoints, on 127.0.0.1. */
export async function startKeyServer(minted: Minted): Promise<KeyServer> {
  const hits: string[] = [];
  const overrides = new Map<string, { status?: number; body?: string; delayMs?: number }>();
  const jwks = JSON.stringify({ keys: [minted.keys.pool.jwk] });
  const server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    hits.push(url);
    const o = overrides.get(url);
    const normal = url === `/alb/${ALB_KID}` ? minted.keys.alb.pem : url === '/jwks.json' ? jwks : undefined;
    const body = o?.body ?? normal;
    const status = o?.status ?? (body === undefined ? 404 : 200);
    setTimeout(() => {
      res.statusCode = status;
      res.end(body ?? 'not found');
    }, o?.delayMs ?? 0);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    albKeyEndpoint: `${base}/alb`,
    jwksUrl: `${base}/jwks.json`,
    hits,
    override: (p, response) => (response === undefined ? overrides.delete(p) : overrides.set(p, response)),
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * A valid config (as config.json plus env would give), its endpoints on the key server; `hosts`
 * join the default ones (a suite's own apps).
 */
export function testConfig(
  keys: { albKeyEndpoint: string; jwksUrl: string },
  extra: Record<string, unknown> = {},
  hosts: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    region: REGION,
    albArns: [ALB_PATTERN],
    issuer: ISSUER,
    clientIds: [CLIENT_A, CLIENT_B],
    albKeyEndpoint: keys.albKeyEndpoint,
    jwksUrl: keys.jwksUrl,
    hosts: {
      [GRAFANA]: { app: 'grafana', allowedGroups: ['grafana-admins'], publicPaths: ['/api/health', '/public/*'], forwardAccessToken: true },
      [WIKI]: { app: 'wiki <team>', allowedGroups: [], publicPaths: ['/static/??/*.css'] },
      ...hosts,
    },
    publicHosts: [STATUS],
    signoutPath: '/_auth/signout',
    clockSkewSeconds: 60,
    ...extra,
  };
}

/**
 * A verifier whose clock stands at `now` (seconds), over the test hosts plus `hosts`, with the
 * tokens it is asked about and the key server it reads; a suite closes `keys` after.
 */
export async function startFrozenVerifier(
  now: number,
  hosts: Record<string, unknown>,
): Promise<{ minted: Minted; keys: KeyServer; verifier: ReturnType<typeof createVerifier> }> {
  const minted = mint(now);
  const keys = await startKeyServer(minted);
  const verifier = createVerifier(testConfig(keys, {}, hosts), { insecureLoopbackEndpoints: true, now: () => now * 1000, write: () => {} });
  return { minted, keys, verifier };
}
