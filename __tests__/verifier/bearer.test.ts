// The verifier on an API host: a bearer token from code is checked by itself (RS256 by the pool's
// JWKS, iss, token_use, every scope the host needs), and the machine client is passed on.
import { decide } from '../../verifier/decide.js';
import type { createVerifier } from '../../verifier/server.js';
import { API_SCOPES, GRAFANA, type KeyServer, MACHINE_CLIENT, type Minted, startFrozenVerifier } from './helpers';

const NOW = 1_800_000_000;
const API = 'deploy.dev.example.com';
let minted: Minted;
let keys: KeyServer;
let verifier: ReturnType<typeof createVerifier>;

beforeAll(async () => {
  ({ minted, keys, verifier } = await startFrozenVerifier(NOW, {
    [API]: { app: 'deploy', publicPaths: ['/healthz'], bearerScopes: API_SCOPES },
  }));
});
afterAll(() => keys.close());

/** The auth subrequest ingress-nginx makes for a request from code, with the client's own headers. */
function asked(host: string, authorization: string | undefined, extra: Record<string, string[]> = {}): Record<string, string[]> {
  return {
    host: ['verifier.central-auth.svc.cluster.local'],
    'x-original-url': [`https://${host}/deployments`],
    'x-original-uri': ['/deployments'],
    'x-original-method': ['POST'],
    ...(authorization === undefined ? {} : { authorization: [authorization] }),
    ...extra,
  };
}

describe('a bearer token on an API host', () => {
  test('with every scope the host needs: 200, with the machine client and its scopes as headers, no user', async () => {
    const d = await decide(verifier.ctx, asked(API, `Bearer ${minted.tokens.bearer}`));
    expect(d).toMatchObject({ status: 200, reason: 'verified bearer token', facts: { host: API, app: 'deploy', client: MACHINE_CLIENT } });
    expect(Object.fromEntries(d.headers)).toEqual({
      'X-Auth-Request-Client-Id': MACHINE_CLIENT,
      'X-Auth-Request-Scopes': API_SCOPES.join(' '),
    });
  });

  test('the scheme is case-insensitive, as RFC 7235 has it', async () => {
    expect(await decide(verifier.ctx, asked(API, `bearer ${minted.tokens.bearer}`))).toMatchObject({ status: 200 });
  });

  test.each([
    ['lacks a scope', 'bearerMissingScope', 'bearer token: lacks scope dev-central-auth/deploy.write'],
    ['is an ID token', 'bearerIdToken', 'bearer token: token_use is id, not access'],
    ['comes from another pool', 'bearerOtherPool', "bearer token: kid is not in the user pool's JWKS"],
    ['has expired', 'bearerExpired', 'bearer token: expired or no exp'],
    [
      'is a user’s access token (no scope of the API)',
      'access',
      'bearer token: lacks scope dev-central-auth/deploy.write dev-central-auth/reports.read',
    ],
  ])('fails when the token %s: 401', async (_label, name, reason) => {
    expect(await decide(verifier.ctx, asked(API, `Bearer ${minted.tokens[name]}`))).toMatchObject({ status: 401, reason });
  });

  test('fails when Authorization is sent twice', async () => {
    const h = asked(API, `Bearer ${minted.tokens.bearer}`);
    h.authorization!.push(`Bearer ${minted.tokens.bearer}`);
    expect(await decide(verifier.ctx, h)).toMatchObject({ status: 401, reason: 'Authorization repeated' });
  });

  test('without a bearer token the host still wants a browser session, and a public path stays public', async () => {
    expect(await decide(verifier.ctx, asked(API, undefined))).toMatchObject({ status: 401 });
    expect(await decide(verifier.ctx, asked(API, 'Basic dXNlcjpwYXNz'))).toMatchObject({ status: 401 });
    const health = asked(API, undefined, { 'x-original-url': [`https://${API}/healthz`], 'x-original-uri': ['/healthz'] });
    expect(await decide(verifier.ctx, health)).toMatchObject({ status: 200, reason: 'public path' });
  });

  test('a host without bearerTokens never takes one: 401 without a browser session', async () => {
    expect(await decide(verifier.ctx, asked(GRAFANA, `Bearer ${minted.tokens.bearer}`))).toMatchObject({ status: 401 });
  });
});
