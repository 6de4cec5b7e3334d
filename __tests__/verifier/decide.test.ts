// The verifier's decision for every kind of request, with tokens minted by jose and keys served
// from a local stand-in for the ALB key endpoint and the user pool's JWKS. Clock fixed.
import { decide } from '../../verifier/decide.js';
import { createVerifier } from '../../verifier/server.js';
import { ALICE, CLIENT_A, GRAFANA, ISSUER, type KeyServer, type Minted, mint, STATUS, startKeyServer, testConfig, WIKI } from './helpers';

const NOW = 1_800_000_000; // seconds
let minted: Minted;
let keys: KeyServer;
let clock = NOW * 1000;
let verifier: ReturnType<typeof createVerifier>;

beforeAll(async () => {
  minted = mint(NOW);
  keys = await startKeyServer(minted);
  verifier = createVerifier(testConfig(keys), { insecureLoopbackEndpoints: true, now: () => clock, write: () => {} });
});
afterAll(() => keys.close());
beforeEach(() => {
  clock = NOW * 1000;
});

type Tokens = { data?: string; access?: string; identity?: string };

/** The auth subrequest ingress-nginx makes for a request to https://<host><uri>. */
function nginxHeaders(host: string, uri: string, tokens: Tokens = {}): Record<string, string[]> {
  const h: Record<string, string[]> = {
    host: ['verifier.central-auth.svc.cluster.local'],
    'x-original-url': [`https://${host}${uri}`],
    'x-original-uri': [uri],
    'x-original-method': ['GET'],
    'x-request-id': ['4e1c2a3b5d6f7a8b9c0d1e2f3a4b5c6d'],
  };
  if (tokens.data !== undefined) h['x-amzn-oidc-data'] = [tokens.data];
  if (tokens.access !== undefined) h['x-amzn-oidc-accesstoken'] = [tokens.access];
  if (tokens.identity !== undefined) h['x-amzn-oidc-identity'] = [tokens.identity];
  return h;
}

const signedIn = (data = 'data', access = 'access'): Tokens => ({ data: minted.tokens[data], access: minted.tokens[access] });
const run = (host: string, uri: string, tokens?: Tokens) => decide(verifier.ctx, nginxHeaders(host, uri, tokens));

/** A token with the given header and payload and a meaningless signature. */
function handmade(header: object, payload: object): string {
  const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
  return `${b64(header)}.${b64(payload)}.${Buffer.alloc(64, 1).toString('base64url')}`;
}

describe('a signed-in user', () => {
  test('inside the allowed groups gets 200 with identity headers and, where forwarded, the verified tokens', async () => {
    const d = await run(GRAFANA, '/d/home?orgId=1', signedIn());
    expect(d).toMatchObject({ status: 200, reason: 'verified', facts: { host: GRAFANA, path: '/d/home', app: 'grafana', user: 'alice' } });
    expect(Object.fromEntries(d.headers)).toEqual({
      'X-Auth-Request-User': 'alice',
      'X-Auth-Request-Email': ALICE.email,
      'X-Auth-Request-Groups': 'grafana-admins,wiki-editors',
      'X-Auth-Request-Access-Token': minted.tokens.access,
      'X-Amzn-Oidc-Accesstoken': minted.tokens.access,
      'X-Amzn-Oidc-Data': minted.tokens.data,
      'X-Amzn-Oidc-Identity': ALICE.sub,
    });
  });

  test('on a host without forwardAccessToken or allowed groups gets identity headers only', async () => {
    const d = await run(WIKI, '/page', signedIn('dataNoEmail', 'accessNoGroups'));
    expect(d.status).toBe(200);
    expect(d.headers).toEqual([['X-Auth-Request-User', 'alice']]);
  });

  test("is accepted with the ALB's padded encoding and with the plain RFC 7515 one", async () => {
    expect(minted.tokens.data).toMatch(/=\./);
    expect(minted.tokens.dataUnpadded).not.toContain('=');
    expect((await run(GRAFANA, '/', signedIn('dataUnpadded'))).status).toBe(200);
  });

  test('outside the allowed groups gets 403 and a page naming the app, the groups and the sign-out link', async () => {
    const d = await run(GRAFANA, '/admin', signedIn('dataBob', 'accessBob'));
    expect(d).toMatchObject({ status: 403, reason: 'user is in none of the allowed groups', headers: [], facts: { user: 'bob' } });
    expect(d.html).toContain('not allowed to use grafana');
    expect(d.html).toContain('<li><code>grafana-admins</code></li>');
    expect(d.html).toContain(`href="https://${GRAFANA}/_auth/signout"`);
  });

  test('the 403 page escapes the app and group names', async () => {
    const v = createVerifier(
      testConfig(keys, { hosts: { [GRAFANA]: { app: 'Graf<ana> & "co"', allowedGroups: ["<script>alert('x')</script>", 'ops'] } } }),
      { insecureLoopbackEndpoints: true, now: () => clock, write: () => {} },
    );
    const d = await decide(v.ctx, nginxHeaders(GRAFANA, '/', signedIn()));
    expect(d.status).toBe(403);
    expect(d.html).toContain('Graf&#60;ana&#62; &#38; &#34;co&#34;');
    expect(d.html).toContain('&#60;script&#62;alert(&#39;x&#39;)&#60;/script&#62;');
    expect(d.html).not.toContain('<script>');
    expect(d.html).toContain('members of these groups');
  });

  test('names with commas, "%" or non-ASCII characters are percent-encoded, so commas separate groups', async () => {
    const d = await run(GRAFANA, '/', signedIn('data', 'accessUnicode'));
    const h = Object.fromEntries(d.headers);
    expect(h['X-Auth-Request-User']).toBe('Zo%C3%AB%2C%20100%25');
    expect(decodeURIComponent(h['X-Auth-Request-User'])).toBe('Zoë, 100%');
    expect(h['X-Auth-Request-Groups'].split(',').map(decodeURIComponent)).toEqual(['grafana-admins', 'ops,team', 'Équipe']);
  });

  test('x-amzn-oidc-identity, when present, must be the verified sub', async () => {
    expect((await run(GRAFANA, '/', { ...signedIn(), identity: ALICE.sub })).status).toBe(200);
    expect(await run(GRAFANA, '/', { ...signedIn(), identity: 'someone-else' })).toMatchObject({
      status: 401,
      reason: 'x-amzn-oidc-identity is not the verified sub',
    });
  });

  test('expiry allows the configured clock skew (60 s) and no more', async () => {
    clock = (NOW + 120 + 59) * 1000; // ALB data exp is now + 120
    expect((await run(GRAFANA, '/', signedIn())).status).toBe(200);
    clock = (NOW + 120 + 61) * 1000;
    expect(await run(GRAFANA, '/', signedIn())).toMatchObject({ status: 401, reason: 'ALB data: expired or no exp' });
  });
});

describe('without a usable token: 401', () => {
  test.each([
    ['no tokens', { data: null, access: null }, 'x-amzn-oidc-data or x-amzn-oidc-accesstoken missing or repeated'],
    ['only the ALB data', { access: null }, 'x-amzn-oidc-data or x-amzn-oidc-accesstoken missing or repeated'],
    ['only the access token', { data: null }, 'x-amzn-oidc-data or x-amzn-oidc-accesstoken missing or repeated'],
    ["another environment's ALB as signer", { data: 'dataOtherSigner' }, "ALB data: signer is not this environment's ALB"],
    ['expired ALB data', { data: 'dataExpired' }, 'ALB data: expired or no exp'],
    ['expired claims in the ALB data', { data: 'dataClaimsExpired' }, 'ALB data: claims expired'],
    ["another pool's issuer in the ALB data", { data: 'dataOtherIssuer' }, 'ALB data: iss is not this user pool'],
    ["an app client outside the environment's", { data: 'dataForeignClient' }, 'ALB data: client is not an app client of this environment'],
    ['ALB data signed by another key under the same kid', { data: 'dataForged' }, 'ALB data: bad signature'],
    ['ALB data without sub', { data: 'dataNoSub' }, 'ALB data: no sub'],
    ['ALB data without kid', { data: 'dataNoKid' }, 'ALB data: no kid'],
    ['a kid that would walk the key endpoint', { data: 'dataBadKid' }, 'ALB data: key unavailable (ALB key id has unexpected characters)'],
    ["another pool's access token", { access: 'accessOtherPool' }, "access token: kid is not in the user pool's JWKS"],
    ["an access token naming another pool's issuer", { access: 'accessWrongIssuer' }, 'access token: iss is not this user pool'],
    ['an ID token instead of an access token', { access: 'idToken' }, 'access token: token_use is id, not access'],
    ['an expired access token', { access: 'accessExpired' }, 'access token: expired or no exp'],
    [
      "an access token of a client outside the environment's",
      { access: 'accessForeignClient' },
      'access token: client_id is not an app client of this environment',
    ],
    ['an access token issued in the future', { access: 'accessFutureIat' }, 'access token: iat is in the future'],
    ['an access token not valid yet', { access: 'accessFutureNbf' }, 'access token: nbf is in the future'],
    ['an access token with a non-numeric iat', { access: 'accessBadIat' }, 'access token: iat is in the future'],
    ['an access token without username', { access: 'accessNoUsername' }, 'access token: no sub or username'],
    ['cognito:groups that is not a list', { access: 'accessBadGroups' }, 'access token: cognito:groups is not a list of names'],
    ['an access token without kid', { access: 'accessNoKid' }, 'access token: no kid'],
    ["tokens of two users (the ALB data is bob's)", { data: 'dataBob' }, 'ALB data and access token name different users (sub)'],
    ['tokens of two app clients', { data: 'dataClientB' }, 'ALB data and access token come from different app clients'],
  ])('%s', async (_name, pick: { data?: string | null; access?: string | null }, reason) => {
    // A name picks a minted token, null leaves the header out, undefined takes the valid one.
    const token = (name: string | null | undefined, valid: string) => (name === null ? undefined : minted.tokens[name ?? valid]);
    const tokens = { data: token(pick.data, 'data'), access: token(pick.access, 'access') };
    expect(await run(GRAFANA, '/d/home', tokens)).toMatchObject({ status: 401, reason, headers: [] });
  });

  test('a user pool JWKS that cannot be downloaded', async () => {
    keys.override('/jwks-broken.json', { status: 500 });
    const v = createVerifier(testConfig(keys, { jwksUrl: keys.jwksUrl.replace('jwks.json', 'jwks-broken.json') }), {
      insecureLoopbackEndpoints: true,
      now: () => clock,
      write: () => {},
    });
    const d = await decide(v.ctx, nginxHeaders(GRAFANA, '/', signedIn()));
    expect(d.status).toBe(401);
    expect(d.reason).toMatch(/^access token: JWKS unavailable \(GET http:\/\/127\.0\.0\.1:\d+\/jwks-broken\.json answered 500\)$/);
  });

  test('a kid the ALB key endpoint does not know', async () => {
    const d = await run(GRAFANA, '/', signedIn('dataUnknownKid'));
    expect(d.status).toBe(401);
    expect(d.reason).toMatch(
      /^ALB data: key unavailable \(GET http:\/\/127\.0\.0\.1:\d+\/alb\/00000000-0000-4000-8000-000000000000 answered 404\)$/,
    );
  });

  test('a signature over other bytes (payload swapped) fails', async () => {
    const [h, , s] = minted.tokens.data.split('.');
    const p = minted.tokens.dataBob.split('.')[1];
    expect(await run(GRAFANA, '/', { data: `${h}.${p}.${s}`, access: minted.tokens.access })).toMatchObject({
      reason: 'ALB data: bad signature',
    });
    const [ah, , as] = minted.tokens.access.split('.');
    const ap = minted.tokens.accessBob.split('.')[1];
    expect(await run(GRAFANA, '/', { data: minted.tokens.data, access: `${ah}.${ap}.${as}` })).toMatchObject({
      reason: 'access token: bad signature',
    });
  });

  test('the padding is part of what the ALB signed: stripping it breaks the signature', async () => {
    const stripped = minted.tokens.data
      .split('.')
      .map((s) => s.replace(/=+$/, ''))
      .join('.');
    expect(await run(GRAFANA, '/', { data: stripped, access: minted.tokens.access })).toMatchObject({ reason: 'ALB data: bad signature' });
  });

  test.each([
    ['alg none', { alg: 'none', kid: 'x' }, 'ALB data: alg none is not ES256'],
    ['HS256 (key confusion)', { alg: 'HS256', kid: 'x' }, 'ALB data: alg HS256 is not ES256'],
    ['RS256 in the ALB data', { alg: 'RS256', kid: 'x' }, 'ALB data: alg RS256 is not ES256'],
  ])('ALB data with %s', async (_n, header, reason) => {
    const data = handmade(header, { sub: ALICE.sub });
    expect(await run(GRAFANA, '/', { data, access: minted.tokens.access })).toMatchObject({ status: 401, reason });
  });

  test.each([
    ['alg none', 'none'],
    ['ES256 in the access token', 'ES256'],
    ['HS256 (key confusion)', 'HS256'],
  ])('access token with %s', async (_n, alg) => {
    const access = handmade({ alg, kid: 'pool-key-1' }, { sub: ALICE.sub, iss: ISSUER, client_id: CLIENT_A, token_use: 'access' });
    expect(await run(GRAFANA, '/', { data: minted.tokens.data, access })).toMatchObject({
      status: 401,
      reason: `access token: alg ${alg} is not RS256`,
    });
  });

  test('malformed tokens', async () => {
    expect(await run(GRAFANA, '/', { data: 'not-a-jwt', access: minted.tokens.access })).toMatchObject({
      reason: 'ALB data: not three dot-separated segments',
    });
    expect(await run(GRAFANA, '/', { data: minted.tokens.data, access: 'a.b' })).toMatchObject({
      reason: 'access token: not three dot-separated segments',
    });
  });

  test('a header sent twice is refused, not joined', async () => {
    const h = nginxHeaders(GRAFANA, '/', signedIn());
    h['x-amzn-oidc-accesstoken'].push(minted.tokens.accessBob);
    expect(await decide(verifier.ctx, h)).toMatchObject({
      status: 401,
      reason: 'x-amzn-oidc-data or x-amzn-oidc-accesstoken missing or repeated',
    });
    const i = nginxHeaders(GRAFANA, '/', { ...signedIn(), identity: ALICE.sub });
    i['x-amzn-oidc-identity'].push(ALICE.sub);
    expect(await decide(verifier.ctx, i)).toMatchObject({ status: 401, reason: 'x-amzn-oidc-identity is not the verified sub' });
  });
});

describe('paths and hosts', () => {
  test.each([
    [GRAFANA, '/api/health', 'public path'],
    [GRAFANA, '/api/health?verbose=1', 'public path'],
    [GRAFANA, '/public/img/logo.svg', 'public path'],
    [WIKI, '/static/en/site.css', 'public path'],
    [GRAFANA, '/_auth/signout', 'sign-out path'],
    [GRAFANA, '/_auth/signout?redirect=x', 'sign-out path'],
    [STATUS, '/anything', 'public host'],
    [`${STATUS}:443`, '/', 'public host'],
    ['STATUS.dev.example.com.', '/', 'public host'],
  ])('%s%s is allowed without a token (%s), with no identity headers', async (host, uri, reason) => {
    expect(await run(host, uri)).toMatchObject({ status: 200, reason, headers: [] });
  });

  test.each([
    [GRAFANA, '/api/healthz'],
    [GRAFANA, '/API/health'],
    [GRAFANA, '/api/he%61lth'],
    [WIKI, '/static/eng/site.css'],
    [GRAFANA, '/_auth/signout/x'],
  ])('%s%s is protected', async (host, uri) => {
    expect(await run(host, uri)).toMatchObject({ status: 401, reason: 'x-amzn-oidc-data or x-amzn-oidc-accesstoken missing or repeated' });
  });

  test.each([
    ['/public/..%2Fadmin', 'path has a percent-encoded ".", "/", "\\", "%", ";", "?", "#" or control character'],
    ['/public/%2e%2e/admin', 'path has a percent-encoded ".", "/", "\\", "%", ";", "?", "#" or control character'],
    ['/public/%252e%252e/admin', 'path has a percent-encoded ".", "/", "\\", "%", ";", "?", "#" or control character'],
    ['/public/../admin', 'path has a "." or ".." segment'],
    ['/public/./x', 'path has a "." or ".." segment'],
    ['/public/..;/admin', 'path has a ";" (path parameters, which apps drop)'],
    ['/public/..\\admin', 'path has a backslash'],
    ['/public/\u00e9', 'path has spaces, control or non-ASCII characters'],
    ['/public/a b', 'path has spaces, control or non-ASCII characters'],
  ])('%s is refused before any pattern is matched, even signed in', async (uri, reason) => {
    expect(await run(GRAFANA, uri, signedIn())).toMatchObject({ status: 401, reason });
  });

  test('an unknown host is refused (fail closed)', async () => {
    expect(await run('other.example.com', '/', signedIn())).toMatchObject({
      status: 401,
      reason: 'host is not protected by this verifier',
    });
  });

  test('a request the router did not describe is refused', async () => {
    const h = nginxHeaders(GRAFANA, '/', signedIn());
    delete h['x-original-url'];
    expect(await decide(verifier.ctx, h)).toMatchObject({ status: 401, reason: 'X-Original-URL missing or repeated' });
  });

  test('a client-sent X-Original-URI that disagrees with X-Original-URL is refused', async () => {
    const h = nginxHeaders(GRAFANA, '/admin');
    h['x-original-uri'] = ['/api/health'];
    expect(await decide(verifier.ctx, h)).toMatchObject({ status: 401, reason: 'X-Original-URI disagrees with X-Original-URL' });
  });

  test("the ALB's health check on the NLB's address: exactly its path, with or without a port; nothing else there", async () => {
    // GIVEN a verifier that knows the Traefik NLB's addresses (the ALB sends the target's address as Host)
    const v = createVerifier(testConfig(keys, { healthCheck: { hosts: ['10.0.31.229', '10.0.47.229'] } }), {
      insecureLoopbackEndpoints: true,
      now: () => clock,
      write: () => {},
    });
    const asked = (host: string, uri: string) => ({ 'x-forwarded-host': [host], 'x-forwarded-uri': [uri], 'x-forwarded-method': ['GET'] });
    // THEN /healthz there is allowed without a token; any other path, or another address, is not
    expect(await decide(v.ctx, asked('10.0.31.229', '/healthz'), 'traefik')).toMatchObject({ status: 200, reason: 'health check' });
    expect(await decide(v.ctx, asked('10.0.47.229:80', '/healthz'), 'traefik')).toMatchObject({ status: 200 });
    expect(await decide(v.ctx, asked('10.0.31.229', '/healthz/x'), 'traefik')).toMatchObject({
      status: 401,
      reason: 'health check host: only its path',
    });
    expect(await decide(v.ctx, asked('10.0.31.229', '/admin'), 'traefik')).toMatchObject({ status: 401 });
    expect(await decide(v.ctx, asked('10.0.31.230', '/healthz'), 'traefik')).toMatchObject({ status: 401 });
    expect(await decide(v.ctx, asked(GRAFANA, '/healthz'), 'traefik')).toMatchObject({ status: 401 });
  });

  test('Traefik: the request comes from X-Forwarded-Host/-Uri/-Method; a client X-Original-URL (which apps may honour) is refused', async () => {
    const h: Record<string, string[]> = {
      'x-forwarded-host': [GRAFANA],
      'x-forwarded-uri': ['/api/health'],
      'x-forwarded-method': ['GET'],
      'x-original-url': [`https://${STATUS}/`],
    };
    expect(await decide(verifier.ctx, h, 'traefik')).toMatchObject({
      status: 401,
      reason: "x-original-url names another host or path than the request's",
    });
    delete h['x-original-url'];
    expect(await decide(verifier.ctx, h, 'traefik')).toMatchObject({ status: 200, reason: 'public path', facts: { host: GRAFANA } });
    h['x-forwarded-uri'] = ['/admin'];
    expect(await decide(verifier.ctx, h, 'traefik')).toMatchObject({ status: 401 });
    delete h['x-forwarded-host'];
    expect(await decide(verifier.ctx, h, 'traefik')).toMatchObject({
      status: 401,
      reason: 'X-Forwarded-Host or X-Forwarded-Uri missing or repeated',
    });
  });
});
