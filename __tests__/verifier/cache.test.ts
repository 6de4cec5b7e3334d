// The verified-token cache: a session's requests are verified once, until the token's own expiry;
// failures never enter it; it stays bounded under a flood; host, path, groups and scopes are still
// decided per request. Tokens minted by jose, keys from the local stand-in, clock fixed.
import { createVerifiedCache, ENTRY_OVERHEAD_BYTES, keyOf } from '../../verifier/cache.js';
import { decide } from '../../verifier/decide.js';
import { createVerifier } from '../../verifier/server.js';
import { API_SCOPES, GRAFANA, type KeyServer, type Minted, mint, startKeyServer, testConfig, WIKI } from './helpers';

const NOW = 1_800_000_000;
const API = 'deploy.dev.example.com';
const OTHER_API = 'billing.dev.example.com';
let minted: Minted;
let keys: KeyServer;
let clock = NOW * 1000;
const logLines: string[] = [];

beforeAll(async () => {
  minted = mint(NOW);
  keys = await startKeyServer(minted);
});
afterAll(() => keys.close());

function verifierWith(extra: Record<string, unknown> = {}) {
  const base = testConfig(keys, extra, {
    [API]: { app: 'deploy', bearerScopes: API_SCOPES },
    [OTHER_API]: { app: 'billing', bearerScopes: ['dev-central-auth/billing.read'] },
  });
  return createVerifier(base, { insecureLoopbackEndpoints: true, now: () => clock, write: (l) => logLines.push(l) });
}

const asked = (host: string, uri: string, tokens: Record<string, string | undefined>) => ({
  'x-original-url': [`https://${host}${uri}`],
  'x-original-uri': [uri],
  ...Object.fromEntries(Object.entries(tokens).map(([k, v]) => [k, [v!]])),
});
const session = (data = 'data', access = 'access') => ({
  'x-amzn-oidc-data': minted.tokens[data],
  'x-amzn-oidc-accesstoken': minted.tokens[access],
});

describe('a signed-in session', () => {
  test('is verified once: later requests hit the cache and get the same answer', async () => {
    clock = NOW * 1000;
    const v = verifierWith();
    const hitsBefore = keys.hits.length;
    const first = await decide(v.ctx, asked(GRAFANA, '/d/home', session()));
    const second = await decide(v.ctx, asked(GRAFANA, '/d/other', session()));
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(second.headers).toEqual(first.headers);
    // Both tokens: one entry each, then two hits; no key was downloaded again.
    expect(v.ctx.cache!.stats()).toMatchObject({ entries: 2, hits: 2, misses: 2 });
    expect(keys.hits.length - hitsBefore).toBeLessThanOrEqual(2);
  });

  test('a token valid for one host is still refused on a host whose groups it lacks, cached or not', async () => {
    clock = NOW * 1000;
    const v = verifierWith();
    expect((await decide(v.ctx, asked(WIKI, '/page', session('dataBob', 'accessBob')))).status).toBe(200);
    // GRAFANA admits grafana-admins only; bob is in viewers: the cached verification changes nothing.
    const d = await decide(v.ctx, asked(GRAFANA, '/d/home', session('dataBob', 'accessBob')));
    expect([d.status, d.reason]).toEqual([403, 'user is in none of the allowed groups']);
    expect(v.ctx.cache!.stats().hits).toBe(2);
  });

  test('an entry ends at exp exactly: the next request is verified again (and then allowed by the clock skew, not by the cache)', async () => {
    clock = NOW * 1000;
    const v = verifierWith();
    await decide(v.ctx, asked(GRAFANA, '/d/home', session()));
    // The ALB data expires first (now + 120 s); one millisecond before, both tokens are hits.
    clock = (NOW + 120) * 1000 - 1;
    await decide(v.ctx, asked(GRAFANA, '/d/home', session()));
    expect(v.ctx.cache!.stats()).toMatchObject({ hits: 2, misses: 2 });
    clock = (NOW + 120) * 1000;
    const d = await decide(v.ctx, asked(GRAFANA, '/d/home', session()));
    expect(d.status).toBe(200);
    expect(v.ctx.cache!.stats()).toMatchObject({ hits: 3, misses: 3 });
    // Past the skew, the verification refuses it: the cache never extended a token's life.
    clock = (NOW + 120 + 61) * 1000;
    expect((await decide(v.ctx, asked(GRAFANA, '/d/home', session()))).reason).toBe('ALB data: expired or no exp');
  });

  test('a failure is never cached: a forged signature is refused every time, and stays out of the cache', async () => {
    clock = NOW * 1000;
    const v = verifierWith();
    for (let i = 0; i < 3; i++)
      expect((await decide(v.ctx, asked(GRAFANA, '/d/home', session('dataForged')))).reason).toBe('ALB data: bad signature');
    // The valid access token beside it was verified and kept; the forged data never was.
    expect(v.ctx.cache!.stats().entries).toBe(1);
  });

  test('debug logs name each token by a hash prefix and say hit or miss (to tell whether the ALB re-signs its data token)', async () => {
    clock = NOW * 1000;
    const v = verifierWith({ logLevel: 'debug' });
    const first = await decide(v.ctx, asked(GRAFANA, '/d/home', session()));
    const second = await decide(v.ctx, asked(GRAFANA, '/d/home', session()));
    const dataHash = keyOf('alb', minted.tokens.data!).slice(4, 16);
    expect([first.facts.dataToken, second.facts.dataToken]).toEqual([`${dataHash} miss`, `${dataHash} hit`]);
    expect(second.facts.accessToken).toMatch(/^[A-Za-z0-9_-]{12} hit$/);
    expect(JSON.stringify(second.facts)).not.toContain(minted.tokens.data!.slice(0, 20));
    // At the default level there is nothing of the kind.
    expect((await decide(verifierWith().ctx, asked(GRAFANA, '/d/home', session()))).facts.dataToken).toBeUndefined();
  });

  test('tokenCacheEntries 0 verifies every request', async () => {
    clock = NOW * 1000;
    const v = verifierWith({ tokenCacheEntries: 0 });
    await decide(v.ctx, asked(GRAFANA, '/d/home', session()));
    await decide(v.ctx, asked(GRAFANA, '/d/home', session()));
    expect(v.ctx.cache!.stats()).toMatchObject({ entries: 0, hits: 0 });
  });
});

describe('a bearer token', () => {
  test('is cached by itself; the scopes each host demands are checked on every request', async () => {
    clock = NOW * 1000;
    const v = verifierWith();
    const bearer = (host: string) => decide(v.ctx, { ...asked(host, '/v1', {}), authorization: [`Bearer ${minted.tokens.bearer}`] });
    expect((await bearer(API)).status).toBe(200);
    expect((await bearer(API)).status).toBe(200);
    const other = await bearer(OTHER_API);
    expect([other.status, other.reason]).toEqual([401, 'bearer token: lacks scope dev-central-auth/billing.read']);
    expect(v.ctx.cache!.stats()).toMatchObject({ entries: 1, hits: 2, misses: 1 });
  });
});

describe('the cache itself', () => {
  test('a flood of distinct entries stays within its entries and bytes, least recently used out first', () => {
    let now = 0;
    const cache = createVerifiedCache({ maxEntries: 100, maxBytes: 100 * (ENTRY_OVERHEAD_BYTES + 100), now: () => now });
    const real = keyOf('access', 'the real session');
    cache.set(real, { user: 'alice' }, 10_000, 100);
    for (let i = 0; i < 10_000; i++) {
      if (i % 50 === 0) expect(cache.get(real)).toEqual({ user: 'alice' }); // a session in use stays
      cache.set(keyOf('access', `flood-${i}`), { i }, 10_000, 100);
    }
    expect(cache.stats()).toMatchObject({ entries: 100, bytes: 100 * (ENTRY_OVERHEAD_BYTES + 100) });
    expect(cache.get(keyOf('access', 'flood-0'))).toBeUndefined();
    // By bytes too: ten large values fill what a hundred small ones did.
    const bytes = createVerifiedCache({ maxEntries: 1000, maxBytes: 10 * (ENTRY_OVERHEAD_BYTES + 1000), now: () => now });
    for (let i = 0; i < 50; i++) bytes.set(keyOf('alb', `big-${i}`), { i }, 10_000, 1000);
    expect(bytes.stats().entries).toBe(10);
    // Nothing is kept past its expiry, nor stored already expired.
    now = 10_000;
    expect(cache.get(real)).toBeUndefined();
    cache.set(keyOf('alb', 'late'), {}, 10_000, 10);
    expect(cache.get(keyOf('alb', 'late'))).toBeUndefined();
  });

  test('keys are the kind and the SHA-256 of the token, never the token', () => {
    expect(keyOf('alb', 'abc')).toBe('alb:ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0');
    expect(keyOf('access', 'abc')).not.toContain('abc');
  });
});
