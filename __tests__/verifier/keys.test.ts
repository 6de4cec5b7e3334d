// Key downloads: the bounded GET, the ALB key cache and the user pool's JWKS with rate-limited refetch.
import * as crypto from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAlbKeyStore, FETCHES_PER_SECOND, MAX_FAILURES } from '../../verifier/alb-keys.js';
import { createFetcher, FetchError, fetchText } from '../../verifier/fetch.js';
import { createJwksStore, parseJwks } from '../../verifier/jwks.js';

const ec = (namedCurve = 'prime256v1') => crypto.generateKeyPairSync('ec', { namedCurve }).publicKey;
const rsa = () => crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
const pem = (key: crypto.KeyObject) => key.export({ type: 'spki', format: 'pem' }).toString();
const jwk = (key: crypto.KeyObject, extra: Record<string, unknown>) => ({ ...key.export({ format: 'jwk' }), ...extra });

/** A fetchText stand-in: answers from a table, counts calls by URL. */
function fakeFetch(table: Record<string, string | Error>) {
  const calls: string[] = [];
  const fetch = async (url: string) => {
    calls.push(url);
    const answer = table[url];
    if (answer === undefined) throw new Error(`GET ${url} answered 404`);
    if (answer instanceof Error) throw answer;
    return answer;
  };
  return { fetch, calls, table };
}

describe('fetchText', () => {
  let server: http.Server;
  let base: string;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.url === '/slow') setTimeout(() => res.end('late'), 300);
      else if (req.url === '/big') res.end('x'.repeat(5000));
      else if (req.url === '/ok') res.end('hello');
      else {
        res.statusCode = 404;
        res.end('nope');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  const opts = { timeoutMs: 100, maxBytes: 1000, allowLoopbackHttp: true };

  test('http only to 127.0.0.1 and only when a test allows it', async () => {
    await expect(fetchText(`${base}/ok`, { timeoutMs: 100, maxBytes: 1000 })).rejects.toThrow(`refusing to fetch ${base}/ok: not https`);
    await expect(fetchText('http://localhost:1/ok', opts)).rejects.toBeInstanceOf(FetchError);
    await expect(fetchText(`${base}/ok`, opts)).resolves.toBe('hello');
    await expect(createFetcher(opts)(`${base}/ok`)).resolves.toBe('hello');
  });

  test('refuses non-200 answers, oversized bodies and slow servers', async () => {
    await expect(fetchText(`${base}/missing`, opts)).rejects.toThrow(`GET ${base}/missing answered 404`);
    await expect(fetchText(`${base}/big`, opts)).rejects.toThrow(`GET ${base}/big sent more than 1000 bytes`);
    await expect(fetchText(`${base}/slow`, opts)).rejects.toThrow(`GET ${base}/slow took longer than 100 ms`);
  });

  test('https connection errors reject', async () => {
    const port = (server.address() as AddressInfo).port;
    await expect(fetchText(`https://127.0.0.1:${port}/ok`, opts)).rejects.toThrow();
  });
});

describe('ALB key store', () => {
  const E = 'https://public-keys.auth.elb.eu-west-1.amazonaws.com';
  const keyA = ec();
  const keyB = ec();
  const keyC = ec();
  const table = { [`${E}/a`]: pem(keyA), [`${E}/b`]: pem(keyB), [`${E}/c`]: pem(keyC) };

  test('fetches a key once and keeps it', async () => {
    const f = fakeFetch(table);
    const store = createAlbKeyStore({ endpoint: E, fetchText: f.fetch, cacheSize: 4 });
    expect((await store.get('a')).equals(keyA)).toBe(true);
    expect((await store.get('a')).equals(keyA)).toBe(true);
    expect(f.calls).toEqual([`${E}/a`]);
  });

  test('the cache is bounded and evicts the least recently used key', async () => {
    const f = fakeFetch(table);
    const store = createAlbKeyStore({ endpoint: E, fetchText: f.fetch, cacheSize: 2 });
    await store.get('a');
    await store.get('b');
    await store.get('a');
    await store.get('c'); // evicts b
    await store.get('a');
    await store.get('b');
    expect(f.calls).toEqual([`${E}/a`, `${E}/b`, `${E}/c`, `${E}/b`]);
  });

  test('a failed download is remembered for 10 s, then tried again', async () => {
    const f = fakeFetch({});
    let now = 1000;
    const store = createAlbKeyStore({ endpoint: E, fetchText: f.fetch, cacheSize: 4, now: () => now });
    await expect(store.get('a')).rejects.toThrow('answered 404');
    now += 9000;
    await expect(store.get('a')).rejects.toThrow('ALB key download failed recently');
    expect(f.calls).toHaveLength(1);
    now += 2000;
    f.table[`${E}/a`] = pem(keyA);
    expect((await store.get('a')).equals(keyA)).toBe(true);
    expect(f.calls).toHaveLength(2);
  });

  test('a flood of made-up key ids never evicts the real key, and costs at most the budget of downloads a second', async () => {
    // GIVEN a cached real key, a clock, and a flood of 10,000 distinct made-up ids in one second
    const f = fakeFetch({ [`${E}/a`]: pem(keyA) });
    let now = 1000;
    const store = createAlbKeyStore({ endpoint: E, fetchText: f.fetch, cacheSize: 4, now: () => now });
    await store.get('a');
    now += 1000;
    const flood = await Promise.allSettled(Array.from({ length: 10000 }, (_, i) => store.get(`bogus-${i}`)));
    // THEN every one is refused, only FETCHES_PER_SECOND of them by a download, and the real key is kept
    expect(flood.every((r) => r.status === 'rejected')).toBe(true);
    expect(f.calls).toHaveLength(1 + FETCHES_PER_SECOND);
    expect((await store.get('a')).equals(keyA)).toBe(true);
    expect(f.calls).toHaveLength(1 + FETCHES_PER_SECOND);
    // AND a real new key (rotation) is fetched in the next second's budget
    now += 1000;
    f.table[`${E}/b`] = pem(keyB);
    expect((await store.get('b')).equals(keyB)).toBe(true);
    // AND the memory of failures is bounded, apart from the keys
    for (let second = 0; second < 400; second++) {
      now += 1000;
      await Promise.allSettled(Array.from({ length: FETCHES_PER_SECOND }, (_, i) => store.get(`more-${second}-${i}`)));
    }
    expect(store.stats()).toEqual({ keys: 2, failures: MAX_FAILURES, fetches: 2 + FETCHES_PER_SECOND * 401 });
    expect((await store.get('a')).equals(keyA)).toBe(true);
  });

  test('under a sustained flood, a rotated real key is fetched within a second: the most-refused id gets the first download', async () => {
    // GIVEN a flood of distinct made-up ids that takes every download of each second before the real new key is asked for
    const f = fakeFetch({ [`${E}/b`]: pem(keyB) });
    let now = 1000;
    const store = createAlbKeyStore({ endpoint: E, fetchText: f.fetch, cacheSize: 4, now: () => now });
    let bogus = 0;
    const flood = () => Promise.allSettled(Array.from({ length: 200 }, () => store.get(`bogus-${bogus++}`)));
    await flood();
    // WHEN every user asks for the real new key in that second THEN all are refused (no budget left)...
    const refused = await Promise.allSettled(Array.from({ length: 30 }, () => store.get('b')));
    expect(refused.every((r) => r.status === 'rejected')).toBe(true);
    // ...AND in the next second, although the flood comes first again, the real key gets its download
    now += 1000;
    await flood();
    expect((await store.get('b')).equals(keyB)).toBe(true);
    expect(f.calls.filter((c) => c.endsWith('/b'))).toHaveLength(1);
    expect(f.calls.length).toBeLessThanOrEqual(2 * FETCHES_PER_SECOND);
  });

  test('concurrent requests for one new key share one download', async () => {
    const f = fakeFetch({ [`${E}/a`]: pem(keyA) });
    const store = createAlbKeyStore({ endpoint: E, fetchText: f.fetch, cacheSize: 4 });
    const got = await Promise.all(Array.from({ length: 50 }, () => store.get('a')));
    expect(got.every((k) => k.equals(keyA))).toBe(true);
    expect(f.calls).toHaveLength(1);
  });

  test('refuses answers that are not EC P-256 public keys, and odd key ids', async () => {
    const f = fakeFetch({ [`${E}/junk`]: 'not a key', [`${E}/rsa`]: pem(rsa()), [`${E}/p384`]: pem(ec('secp384r1')) });
    const store = createAlbKeyStore({ endpoint: E, fetchText: f.fetch, cacheSize: 4 });
    await expect(store.get('junk')).rejects.toThrow('ALB key junk is not a PEM public key');
    await expect(store.get('rsa')).rejects.toThrow('ALB key rsa is not an EC P-256 key');
    await expect(store.get('p384')).rejects.toThrow('ALB key p384 is not an EC P-256 key');
    await expect(store.get('a/../b')).rejects.toThrow('ALB key id has unexpected characters');
    await expect(store.get('')).rejects.toThrow('ALB key id has unexpected characters');
    expect(f.calls).toHaveLength(3);
  });
});

describe('JWKS store', () => {
  const U = 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc/.well-known/jwks.json';
  const k1 = rsa();
  const k2 = rsa();
  const set = (...keys: unknown[]) => JSON.stringify({ keys });
  const one = set(jwk(k1, { kid: 'k1', alg: 'RS256', use: 'sig' }));
  const two = set(jwk(k1, { kid: 'k1', alg: 'RS256', use: 'sig' }), jwk(k2, { kid: 'k2', alg: 'RS256', use: 'sig' }));

  /** A store over a fake fetch, with a clock the test moves. */
  function jwksStore(answer: string | Error, refetchSeconds = 60) {
    const f = fakeFetch({ [U]: answer });
    const clock = { now: 0 };
    return { f, clock, store: createJwksStore({ url: U, fetchText: f.fetch, refetchSeconds, now: () => clock.now }) };
  }

  test('loads on first use and answers known kids without fetching again', async () => {
    const { f, store } = jwksStore(one);
    expect((await store.get('k1'))?.equals(k1)).toBe(true);
    expect((await store.get('k1'))?.equals(k1)).toBe(true);
    expect(f.calls).toHaveLength(1);
  });

  test('an unknown kid refetches at most once per refetchSeconds (key rotation)', async () => {
    const { f, clock, store } = jwksStore(one);
    await store.get('k1');
    clock.now += 30_000;
    expect(await store.get('k2')).toBeUndefined();
    expect(await store.get('k2')).toBeUndefined();
    expect(f.calls).toHaveLength(1);
    f.table[U] = two;
    clock.now += 31_000;
    expect((await store.get('k2'))?.equals(k2)).toBe(true);
    expect(f.calls).toHaveLength(2);
  });

  test('concurrent requests share one download', async () => {
    const { f, store } = jwksStore(two);
    const [a, b] = await Promise.all([store.get('k1'), store.get('k2')]);
    expect(a?.equals(k1) && b?.equals(k2)).toBe(true);
    expect(f.calls).toHaveLength(1);
  });

  test('a failed refetch keeps the keys already known', async () => {
    const { f, clock, store } = jwksStore(one, 1);
    await store.get('k1');
    f.table[U] = new Error('GET failed');
    clock.now += 2000;
    expect(await store.get('k2')).toBeUndefined();
    expect((await store.get('k1'))?.equals(k1)).toBe(true);
  });

  test('until a first download succeeds, it fails and retries after 5 s', async () => {
    const { f, clock, store } = jwksStore(new Error('GET took longer than 3000 ms'));
    await expect(store.get('k1')).rejects.toThrow('GET took longer than 3000 ms');
    clock.now += 4000;
    await expect(store.get('k1')).rejects.toThrow('JWKS not loaded: the last download failed');
    f.table[U] = one;
    clock.now += 1000;
    expect((await store.get('k1'))?.equals(k1)).toBe(true);
    expect(f.calls).toHaveLength(2);
  });

  test('parseJwks keeps RS256 signing keys only', () => {
    const keys = parseJwks(
      set(
        jwk(k1, { kid: 'k1' }),
        jwk(k2, { kid: 'enc', use: 'enc' }),
        jwk(k2, { kid: 'ps', alg: 'PS256' }),
        jwk(ec(), { kid: 'ec' }),
        { kty: 'RSA', kid: 'broken', n: 'AQAB', e: 'AQAB' },
        { kty: 'RSA', kid: 'empty' },
        jwk(k2, {}),
        null,
        'text',
      ),
    );
    expect([...keys.keys()]).toEqual(['k1']);
  });

  test.each([
    ['not JSON', '{', 'JWKS is not JSON'],
    ['no keys list', '{"keys": {}}', 'JWKS must hold a "keys" list of at most 32 keys'],
    ['null', 'null', 'JWKS must hold a "keys" list of at most 32 keys'],
    ['too many keys', JSON.stringify({ keys: Array.from({ length: 33 }, () => ({})) }), 'JWKS must hold a "keys" list of at most 32 keys'],
  ])('parseJwks refuses %s', (_name, text, message) => {
    expect(() => parseJwks(text)).toThrow(message);
  });
});
