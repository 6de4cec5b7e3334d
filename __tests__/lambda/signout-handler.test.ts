// Unit tests for the sign-out Lambda (lambda/signout/) behind the ALB.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigError, createHandler, createLazyHandler, loadConfig } from '../../lambda/signout/index.js';

type Response = {
  statusCode: number;
  statusDescription: string;
  isBase64Encoded: boolean;
  headers?: Record<string, string>;
  multiValueHeaders?: Record<string, string[]>;
  body: string;
};

const ENDPOINT = 'https://myprefix.auth.eu-west-1.amazoncognito.com/logout';
const CLIENT_A = '1example23456789abcdefghij';
const CLIENT_B = '7other89abcdefghij01234567';
const ISSUER = 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Example12';
const GRAFANA = 'grafana.internal.example.com';
const WIKI = 'wiki.internal.example.com';
const CI = 'ci.internal.example.com';
const GRAFANA_URI = `https://${GRAFANA}/`;
const WIKI_URI = `https://${WIKI}/signed-out`;
const CI_URI = `https://${CI}/`;
const TARGET_GROUP_ARN = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/auth-signout-lambda/6d0ecf831eec9f09';
const SHARD0_VALUE = 'm7Yp1u0dKQx3Rk2vJ9sT4wZ8aB6cD5eF0gH1iJ2kL3mN4oP5qR6sT7uV8wX9yZ0A';
const SHARD1_VALUE = 'Qw2Er4Ty6Ui8Op0As1Df3Gh5Jk7Lz9Xc2Vb4Nm6Qw8Er0Ty1Ui3Op5As7Df9Gh0J';
const COOKIE_HEADER = `AWSELBAuthSessionCookie-0=${SHARD0_VALUE}; AWSELBAuthSessionCookie-1=${SHARD1_VALUE}; grafana_session=5f2b9c`;
const EXPIRED_ATTRS = 'Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Secure; HttpOnly; SameSite=Lax';

const CONFIG = {
  cookieName: 'AWSELBAuthSessionCookie',
  shardCount: 4,
  signoutPath: '/_auth/signout',
  hosts: {
    [GRAFANA]: { client: 0, logoutUri: GRAFANA_URI },
    [WIKI]: { client: 0, logoutUri: WIKI_URI },
    [CI]: { client: 1, logoutUri: CI_URI },
  },
  defaultHost: GRAFANA,
  logoutEndpoint: ENDPOINT,
  clientIds: [CLIENT_A, CLIENT_B],
  issuer: ISSUER,
};

type EventOptions = {
  host?: string | null;
  method?: string;
  path?: string;
  query?: Record<string, string | string[]>;
};

// The request headers ALB adds and a browser sends, as documented for Lambda targets.
function requestHeaders(host: string | null | undefined): Record<string, string> {
  const headers: Record<string, string> = {
    accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
    'accept-encoding': 'gzip, deflate, br',
    'accept-language': 'en-GB,en;q=0.9',
    cookie: COOKIE_HEADER,
    'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
    'x-amzn-trace-id': 'Root=1-6780f2a1-3d683b8b04734faae651f476',
    'x-forwarded-for': '203.0.113.7',
    'x-forwarded-port': '443',
    'x-forwarded-proto': 'https',
  };
  if (host !== null) headers.host = host ?? GRAFANA;
  return headers;
}

// Target group with lambda.multi_value_headers.enabled = false (the default).
function singleEvent(opts: EventOptions = {}): Record<string, unknown> {
  const query: Record<string, string> = {};
  for (const [k, v] of Object.entries(opts.query ?? {})) query[k] = Array.isArray(v) ? v[v.length - 1] : v;
  return {
    requestContext: { elb: { targetGroupArn: TARGET_GROUP_ARN } },
    httpMethod: opts.method ?? 'GET',
    path: opts.path ?? '/_auth/signout',
    queryStringParameters: query,
    headers: requestHeaders(opts.host),
    body: '',
    isBase64Encoded: false,
  };
}

// Target group with lambda.multi_value_headers.enabled = true.
function multiEvent(opts: EventOptions = {}): Record<string, unknown> {
  const query: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(opts.query ?? {})) query[k] = Array.isArray(v) ? v : [v];
  const headers: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(requestHeaders(opts.host))) headers[k] = [v];
  return {
    requestContext: { elb: { targetGroupArn: TARGET_GROUP_ARN } },
    httpMethod: opts.method ?? 'GET',
    path: opts.path ?? '/_auth/signout',
    multiValueQueryStringParameters: query,
    multiValueHeaders: headers,
    body: '',
    isBase64Encoded: false,
  };
}

function setup(config: Record<string, unknown> = CONFIG, options: Record<string, unknown> = {}) {
  const lines: string[] = [];
  const handler = createHandler(config, { log: (line: string) => lines.push(line), ...options });
  const invoke = async (event: unknown) => (await handler(event)) as Response;
  return { invoke, lines };
}

// Header values by case-insensitive name, whichever mode the response uses.
function headerValues(res: Response, name: string): string[] {
  const wanted = name.toLowerCase();
  const out: string[] = [];
  for (const [k, v] of Object.entries(res.multiValueHeaders ?? {})) if (k.toLowerCase() === wanted) out.push(...v);
  for (const [k, v] of Object.entries(res.headers ?? {})) if (k.toLowerCase() === wanted) out.push(v);
  return out;
}

function location(res: Response): string {
  const values = headerValues(res, 'Location');
  expect(values).toHaveLength(1);
  return values[0];
}

function cognitoParams(res: Response): URL {
  const url = new URL(location(res));
  expect(`${url.origin}${url.pathname}`).toBe(ENDPOINT);
  expect([...url.searchParams.keys()].sort()).toEqual(['client_id', 'logout_uri']);
  return url;
}

type ParsedCookie = { name: string; value: string; attrs: Map<string, string> };

function parseSetCookie(header: string): ParsedCookie {
  const [pair, ...rest] = header.split(';');
  const eq = pair.indexOf('=');
  const attrs = new Map<string, string>();
  for (const part of rest) {
    const [k, ...v] = part.trim().split('=');
    attrs.set(k.toLowerCase(), v.join('='));
  }
  return { name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1), attrs };
}

function expectExpiredShardCookie(header: string, shard: number) {
  expect(header).toBe(`AWSELBAuthSessionCookie-${shard}=; ${EXPIRED_ATTRS}`);
  const cookie = parseSetCookie(header);
  expect(cookie.name).toBe(`AWSELBAuthSessionCookie-${shard}`);
  expect(cookie.value).toBe('');
  expect(cookie.attrs.get('path')).toBe('/');
  expect(new Date(cookie.attrs.get('expires') as string).getTime()).toBe(0);
  expect(cookie.attrs.get('max-age')).toBe('0');
  expect(cookie.attrs.has('secure')).toBe(true);
  expect(cookie.attrs.has('httponly')).toBe(true);
  expect(cookie.attrs.get('samesite')).toBe('Lax');
  // ALB sets host-only cookies; a Domain attribute would name a different cookie.
  expect(cookie.attrs.has('domain')).toBe(false);
}

// Follows the single-value chain the way a browser would, on the same host.
async function followChain(invoke: (e: unknown) => Promise<Response>, first: EventOptions, limit = 40) {
  const responses: Response[] = [];
  let opts = first;
  for (let i = 0; i < limit; i++) {
    const res = await invoke(singleEvent(opts));
    responses.push(res);
    expect(res.statusCode).toBe(302);
    const loc = location(res);
    if (!loc.startsWith('/')) return { responses, final: res };
    const next = new URL(loc, `https://${opts.host ?? GRAFANA}`);
    const query: Record<string, string> = {};
    // ALB hands the Lambda the query string still URL-encoded.
    for (const part of next.search.slice(1).split('&')) {
      const eq = part.indexOf('=');
      query[part.slice(0, eq)] = part.slice(eq + 1);
    }
    opts = { ...opts, path: next.pathname, query };
  }
  throw new Error(`chain did not end within ${limit} hops`);
}

describe('sign-out handler, multi-value headers on', () => {
  test('expires every shard and redirects to Cognito logout for the requesting host', async () => {
    // GIVEN a handler for 4 shards and a browser on the grafana host holding shards 0 and 1
    const { invoke } = setup();
    // WHEN it GETs the sign-out path
    const res = await invoke(multiEvent());
    // THEN it gets a 302 in multi-value format with the grafana client and logout URI
    expect(res.statusCode).toBe(302);
    expect(res.statusDescription).toBe('302 Found');
    expect(res.isBase64Encoded).toBe(false);
    expect(res.headers).toBeUndefined();
    expect(res.multiValueHeaders).toBeDefined();
    const url = cognitoParams(res);
    expect(url.searchParams.get('client_id')).toBe(CLIENT_A);
    expect(url.searchParams.get('logout_uri')).toBe(GRAFANA_URI);
    // AND exactly one expired Set-Cookie per shard, shards 0..3, nothing else
    const cookies = headerValues(res, 'Set-Cookie');
    expect(cookies).toHaveLength(4);
    cookies.forEach((c, i) => expectExpiredShardCookie(c, i));
    expect(headerValues(res, 'Cache-Control')).toEqual(['no-store']);
  });

  test('percent-encodes the query parameters of the Cognito Location', async () => {
    // GIVEN a logout URI containing characters that must be encoded
    const uri = 'https://wiki.internal.example.com/signed out?a=1&b=é';
    const { invoke } = setup({
      ...CONFIG,
      hosts: { ...CONFIG.hosts, [WIKI]: { client: 0, logoutUri: 'https://wiki.internal.example.com/bye?a=1&b=%C3%A9' } },
    });
    // WHEN the wiki host signs out
    const res = await invoke(multiEvent({ host: WIKI }));
    // THEN the raw Location has no unencoded separators inside the parameter value
    const raw = location(res);
    expect(raw).toBe(`${ENDPOINT}?client_id=${CLIENT_A}&logout_uri=https%3A%2F%2Fwiki.internal.example.com%2Fbye%3Fa%3D1%26b%3D%25C3%25A9`);
    expect(new URL(raw).searchParams.get('logout_uri')).toBe('https://wiki.internal.example.com/bye?a=1&b=%C3%A9');
    // AND a config with a space in the URI is rejected rather than emitted
    expect(() => createHandler({ ...CONFIG, hosts: { [WIKI]: { client: 0, logoutUri: uri } }, defaultHost: WIKI })).toThrow(/logoutUri/);
  });

  test.each(['POST', 'HEAD'])('handles %s like GET', async (method) => {
    // GIVEN a sign-out form posting (or a HEAD probe)
    const { invoke } = setup();
    // WHEN the request arrives
    const res = await invoke(multiEvent({ method }));
    // THEN the cookies are cleared and the browser goes to Cognito
    expect(res.statusCode).toBe(302);
    expect(headerValues(res, 'Set-Cookie')).toHaveLength(4);
    expect(cognitoParams(res).searchParams.get('logout_uri')).toBe(GRAFANA_URI);
    // AND HEAD carries no body
    if (method === 'HEAD') expect(res.body).toBe('');
    else expect(res.body.length).toBeGreaterThan(0);
  });

  test('picks client id and logout URI from the Host header entry', async () => {
    // GIVEN the ci host, which belongs to the second app client
    const { invoke } = setup();
    // WHEN it signs out
    const url = cognitoParams(await invoke(multiEvent({ host: CI })));
    // THEN Cognito gets the second client id and the ci logout URI
    expect(url.searchParams.get('client_id')).toBe(CLIENT_B);
    expect(url.searchParams.get('logout_uri')).toBe(CI_URI);
  });

  test.each([
    ['upper-case Host', 'CI.Internal.Example.com'],
    ['explicit :443 port', `${CI}:443`],
  ])('matches a registered host given as %s', async (_label, host) => {
    // GIVEN a Host header that names the ci host in another spelling
    const { invoke } = setup();
    // WHEN it signs out
    const url = cognitoParams(await invoke(multiEvent({ host })));
    // THEN the ci entry is used
    expect(url.searchParams.get('client_id')).toBe(CLIENT_B);
    expect(url.searchParams.get('logout_uri')).toBe(CI_URI);
  });

  test.each([
    ['an unknown host', 'evil.example'],
    ['a suffix of a registered host', `${CI}.evil.example`],
    ['a port that is not registered', `${CI}:8443`],
    ['"__proto__"', '__proto__'],
    ['"constructor"', 'constructor'],
    ['an empty Host', ''],
    ['no Host header', null],
  ])('falls back to the default host for %s', async (_label, host) => {
    // GIVEN a Host header that is not in the config
    const { invoke } = setup();
    // WHEN it signs out
    const res = await invoke(multiEvent({ host }));
    // THEN the default host's entry is used and the Host value is never reflected
    const url = cognitoParams(res);
    expect(url.searchParams.get('client_id')).toBe(CLIENT_A);
    expect(url.searchParams.get('logout_uri')).toBe(GRAFANA_URI);
    expect(headerValues(res, 'Set-Cookie')).toHaveLength(4);
  });

  test('honours a redirect that is a registered logout URI of the same client', async () => {
    // GIVEN the grafana host asking to land on the wiki's sign-out page (same client, URL-encoded as ALB delivers it)
    const { invoke, lines } = setup();
    // WHEN it signs out
    const res = await invoke(multiEvent({ query: { redirect: encodeURIComponent(WIKI_URI) } }));
    // THEN Cognito is asked to send the user there
    const url = cognitoParams(res);
    expect(url.searchParams.get('client_id')).toBe(CLIENT_A);
    expect(url.searchParams.get('logout_uri')).toBe(WIKI_URI);
    expect(JSON.parse(lines[0]).redirect).toBe('honoured');
  });

  test('honours an unencoded redirect that equals a registered logout URI', async () => {
    // GIVEN a redirect value without percent-encoding
    const { invoke } = setup();
    // WHEN it signs out
    const url = cognitoParams(await invoke(multiEvent({ query: { redirect: WIKI_URI } })));
    // THEN it is honoured too
    expect(url.searchParams.get('logout_uri')).toBe(WIKI_URI);
  });

  test('ignores a redirect to a logout URI of another app client', async () => {
    // GIVEN the grafana host (client 0) asking for the ci URI (client 1): Cognito would reject the pair
    const { invoke, lines } = setup();
    // WHEN it signs out
    const url = cognitoParams(await invoke(multiEvent({ query: { redirect: encodeURIComponent(CI_URI) } })));
    // THEN the host's own logout URI is used
    expect(url.searchParams.get('client_id')).toBe(CLIENT_A);
    expect(url.searchParams.get('logout_uri')).toBe(GRAFANA_URI);
    expect(JSON.parse(lines[0]).redirect).toBe('ignored');
  });

  test.each([
    ['a bare foreign host', 'evil.example'],
    ['a foreign https URL', 'https://evil.example/'],
    ['a protocol-relative URL', '//evil.example/'],
    ['a protocol-relative URL to the same name', `//${GRAFANA}/`],
    ['a registered host as prefix of a foreign one', `https://${GRAFANA}.evil.example/`],
    ['userinfo trick', `https://${GRAFANA}@evil.example/`],
    ['a registered URI with extra query', `${GRAFANA_URI}?next=https://evil.example/`],
    ['a registered URI with a path suffix', `${GRAFANA_URI}..%2F..%2Fevil`],
    ['a registered URI over http', `http://${GRAFANA}/`],
    ['different case', GRAFANA_URI.toUpperCase()],
    ['trailing space', `${WIKI_URI} `],
    ['javascript: URL', 'javascript:alert(document.cookie)'],
    ['a relative path', '/signed-out'],
  ])('rejects an open redirect: %s', async (_label, target) => {
    for (const encoded of [encodeURIComponent(target), target]) {
      // GIVEN a redirect that is not exactly a registered URI of this client (raw and percent-encoded)
      const { invoke } = setup();
      // WHEN it signs out
      const res = await invoke(multiEvent({ query: { redirect: encoded } }));
      // THEN the sign-out still happens and the redirect is ignored
      expect(res.statusCode).toBe(302);
      const url = cognitoParams(res);
      expect(url.host).toBe('myprefix.auth.eu-west-1.amazoncognito.com');
      expect(url.searchParams.get('logout_uri')).toBe(GRAFANA_URI);
      expect(location(res)).not.toContain('evil');
    }
  });

  test.each([
    ['double-encoded registered URI', encodeURIComponent(encodeURIComponent(WIKI_URI))],
    ['malformed percent-encoding', 'https%3A%2F%2Fwiki%E0%A4%A'],
    ['a lone percent sign', '%'],
    ['two values, one of them allowed', [encodeURIComponent(WIKI_URI), encodeURIComponent('https://evil.example/')]],
    ['two allowed values', [encodeURIComponent(WIKI_URI), encodeURIComponent(WIKI_URI)]],
  ])('rejects a suspicious redirect value: %s', async (_label, value) => {
    // GIVEN a redirect parameter that does not decode to exactly one registered URI
    const { invoke } = setup();
    // WHEN it signs out
    const res = await invoke(multiEvent({ query: { redirect: value } }));
    // THEN it falls back to the host's own logout URI
    expect(cognitoParams(res).searchParams.get('logout_uri')).toBe(GRAFANA_URI);
  });

  test('ignores a redirect smuggled in under an encoded parameter name together with the real one', async () => {
    // GIVEN "redirect" twice, once spelled %72edirect: ambiguous
    const { invoke } = setup();
    const event = multiEvent({ query: { redirect: encodeURIComponent(WIKI_URI) } });
    (event.multiValueQueryStringParameters as Record<string, string[]>)['%72edirect'] = ['https%3A%2F%2Fevil.example%2F'];
    // WHEN it signs out
    const res = await invoke(event);
    // THEN neither value is used
    expect(cognitoParams(res).searchParams.get('logout_uri')).toBe(GRAFANA_URI);
  });

  test('ignores a shard step parameter: all shards go in one response', async () => {
    // GIVEN a step parameter left over from single-value mode
    const { invoke } = setup();
    // WHEN it signs out
    const res = await invoke(multiEvent({ query: { shard: '2' } }));
    // THEN all four cookies are still expired and the browser goes straight to Cognito
    expect(headerValues(res, 'Set-Cookie')).toHaveLength(4);
    cognitoParams(res);
  });

  test('clears as many shards as configured', async () => {
    // GIVEN a config with shardCount 16
    const { invoke } = setup({ ...CONFIG, shardCount: 16 });
    // WHEN it signs out
    const cookies = headerValues(await invoke(multiEvent()), 'Set-Cookie');
    // THEN shards 0..15 are expired, each once
    expect(cookies).toHaveLength(16);
    cookies.forEach((c, i) => expectExpiredShardCookie(c, i));
  });

  test('works when ALB sends null headers and null query parameters', async () => {
    // GIVEN a multi-value event whose header and query maps are null
    const { invoke } = setup();
    const event = { ...multiEvent(), multiValueHeaders: null, multiValueQueryStringParameters: null };
    // WHEN it signs out
    const res = await invoke(event);
    // THEN it answers in multi-value format for the default host
    expect(res.multiValueHeaders).toBeDefined();
    expect(cognitoParams(res).searchParams.get('logout_uri')).toBe(GRAFANA_URI);
    expect(headerValues(res, 'Set-Cookie')).toHaveLength(4);
  });

  test('ignores header and query values of the wrong type', async () => {
    // GIVEN garbage inside the maps
    const { invoke } = setup();
    const event = {
      ...multiEvent(),
      multiValueHeaders: { host: [42, null], cookie: 'not-an-array' },
      multiValueQueryStringParameters: { redirect: [null, { a: 1 }], shard: 7 },
    };
    // WHEN it signs out
    const res = await invoke(event);
    // THEN it signs out to the default host
    expect(res.statusCode).toBe(302);
    expect(cognitoParams(res).searchParams.get('logout_uri')).toBe(GRAFANA_URI);
  });
});

describe('sign-out handler, multi-value headers off (single-value chain)', () => {
  test('first hop expires shard 0 and redirects to the next step on the same host', async () => {
    // GIVEN a single-value target group
    const { invoke } = setup();
    // WHEN the browser GETs the sign-out path
    const res = await invoke(singleEvent());
    // THEN the response is in single-value format with one Set-Cookie, for shard 0
    expect(res.statusCode).toBe(302);
    expect(res.statusDescription).toBe('302 Found');
    expect(res.isBase64Encoded).toBe(false);
    expect(res.multiValueHeaders).toBeUndefined();
    expect(typeof res.headers?.['Set-Cookie']).toBe('string');
    const cookies = headerValues(res, 'Set-Cookie');
    expect(cookies).toHaveLength(1);
    expectExpiredShardCookie(cookies[0], 0);
    // AND the Location is relative (no Host reflected) and names step 1
    expect(location(res)).toBe('/_auth/signout?shard=1');
    expect(headerValues(res, 'Cache-Control')).toEqual(['no-store']);
  });

  test('the chain clears every shard once, in order, and ends at Cognito after shardCount hops', async () => {
    // GIVEN a single-value target group and shardCount 4
    const { invoke } = setup();
    // WHEN the browser follows every redirect
    const { responses, final } = await followChain(invoke, { host: CI });
    // THEN there were exactly 4 hops, each expiring the next shard
    expect(responses).toHaveLength(4);
    responses.forEach((r, i) => {
      const cookies = headerValues(r, 'Set-Cookie');
      expect(cookies).toHaveLength(1);
      expectExpiredShardCookie(cookies[0], i);
      expect(headerValues(r, 'Cache-Control')).toEqual(['no-store']);
    });
    // AND the last hop sends the browser to Cognito with the ci client
    const url = cognitoParams(final);
    expect(url.searchParams.get('client_id')).toBe(CLIENT_B);
    expect(url.searchParams.get('logout_uri')).toBe(CI_URI);
  });

  test('carries an honoured redirect through the chain', async () => {
    // GIVEN a request asking for the wiki's sign-out page
    const { invoke } = setup();
    // WHEN the browser follows the chain
    const { responses, final } = await followChain(invoke, { query: { redirect: encodeURIComponent(WIKI_URI) } });
    // THEN every intermediate hop keeps it and Cognito receives it
    expect(responses).toHaveLength(4);
    for (const r of responses.slice(0, -1)) {
      expect(new URL(location(r), 'https://x.invalid').searchParams.get('redirect')).toBe(WIKI_URI);
    }
    expect(cognitoParams(final).searchParams.get('logout_uri')).toBe(WIKI_URI);
  });

  test('drops a rejected redirect on the first hop', async () => {
    // GIVEN an open-redirect attempt
    const { invoke } = setup();
    // WHEN the first hop answers
    const res = await invoke(singleEvent({ query: { redirect: encodeURIComponent('https://evil.example/') } }));
    // THEN the next step does not carry it
    expect(location(res)).toBe('/_auth/signout?shard=1');
  });

  test.each([
    ['letters', 'abc'],
    ['negative', '-1'],
    ['fraction', '1.5'],
    ['leading zero', '01'],
    ['exponent', '1e0'],
    ['hex', '0x1'],
    ['leading space', ' 1'],
    ['empty', ''],
    ['equal to shardCount', '4'],
    ['far out of range', '99'],
    ['huge', '99999999999999999999'],
    ['malformed encoding', '%E0%A4%A'],
  ])('restarts at shard 0 for a garbage step (%s)', async (_label, step) => {
    // GIVEN a step parameter that is not a well-formed in-range integer
    const { invoke } = setup();
    // WHEN the request arrives
    const res = await invoke(singleEvent({ query: { shard: step } }));
    // THEN shard 0 is expired and the chain continues at step 1
    expectExpiredShardCookie(headerValues(res, 'Set-Cookie')[0], 0);
    expect(location(res)).toBe('/_auth/signout?shard=1');
  });

  test('continues correctly from a valid middle step', async () => {
    // GIVEN step 2 of 4
    const { invoke } = setup();
    // WHEN it arrives
    const res = await invoke(singleEvent({ query: { shard: '2' } }));
    // THEN shard 2 is expired and step 3 is next
    expectExpiredShardCookie(headerValues(res, 'Set-Cookie')[0], 2);
    expect(location(res)).toBe('/_auth/signout?shard=3');
  });

  test('the last step expires the last shard and goes to Cognito', async () => {
    // GIVEN step 3 of 4
    const { invoke } = setup();
    // WHEN it arrives
    const res = await invoke(singleEvent({ query: { shard: '3' } }));
    // THEN shard 3 is expired and the browser goes to Cognito
    expectExpiredShardCookie(headerValues(res, 'Set-Cookie')[0], 3);
    expect(cognitoParams(res).searchParams.get('logout_uri')).toBe(GRAFANA_URI);
  });

  test('the chain terminates from any starting step', async () => {
    // GIVEN every plausible and implausible entry point
    const { invoke } = setup();
    const starts = ['0', '1', '2', '3', '4', '5', '16', '-1', 'x', '', '%'];
    for (const shard of starts) {
      // WHEN the browser follows the chain from there
      const { responses, final } = await followChain(invoke, { query: { shard } }, 10);
      // THEN it reaches Cognito within shardCount hops
      expect(responses.length).toBeLessThanOrEqual(4);
      cognitoParams(final);
    }
  });

  test('with one shard the first hop goes straight to Cognito', async () => {
    // GIVEN shardCount 1
    const { invoke } = setup({ ...CONFIG, shardCount: 1 });
    // WHEN the browser signs out
    const res = await invoke(singleEvent());
    // THEN one cookie is expired and the Location is Cognito
    expectExpiredShardCookie(headerValues(res, 'Set-Cookie')[0], 0);
    cognitoParams(res);
  });

  test('works with a null query and no headers at all', async () => {
    // GIVEN a single-value event with queryStringParameters null and no headers key
    const { invoke } = setup();
    const event: Record<string, unknown> = { ...singleEvent(), queryStringParameters: null };
    delete event.headers;
    // WHEN it arrives
    const res = await invoke(event);
    // THEN it starts the chain in single-value format
    expect(res.headers).toBeDefined();
    expect(res.multiValueHeaders).toBeUndefined();
    expect(location(res)).toBe('/_auth/signout?shard=1');
  });
});

describe('sign-out handler, bad requests', () => {
  test.each([
    ['multi-value', multiEvent],
    ['single-value', singleEvent],
  ])('rejects another path with 404 (%s)', async (_mode, make) => {
    // GIVEN a request for a path other than the sign-out path
    const { invoke } = setup();
    for (const p of ['/', '/_auth/signout/', '/_auth/signout/x', '/_AUTH/signout', '/_auth/signout%2F']) {
      // WHEN it arrives
      const res = await invoke(make({ path: p }));
      // THEN 404 without touching cookies
      expect(res.statusCode).toBe(404);
      expect(res.statusDescription).toBe('404 Not Found');
      expect(headerValues(res, 'Set-Cookie')).toEqual([]);
      expect(headerValues(res, 'Location')).toEqual([]);
      expect(headerValues(res, 'Cache-Control')).toEqual(['no-store']);
    }
  });

  test.each(['PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE', 'get'])('rejects method %s with 405 and Allow', async (method) => {
    // GIVEN a method other than GET, HEAD or POST
    const { invoke, lines } = setup();
    for (const make of [multiEvent, singleEvent]) {
      // WHEN it arrives
      const res = await invoke(make({ method }));
      // THEN 405 with Allow, no cookies touched, in the request's header mode
      expect(res.statusCode).toBe(405);
      expect(res.statusDescription).toBe('405 Method Not Allowed');
      expect(headerValues(res, 'Allow')).toEqual(['GET, HEAD, POST']);
      expect(headerValues(res, 'Set-Cookie')).toEqual([]);
      expect(headerValues(res, 'Cache-Control')).toEqual(['no-store']);
      expect(make === multiEvent ? res.multiValueHeaders : res.headers).toBeDefined();
    }
    expect(lines.map((l) => JSON.parse(l).status)).toEqual([405, 405]);
  });

  test.each([
    ['null', null],
    ['undefined', undefined],
    ['a string', 'GET /_auth/signout'],
    ['an array', []],
    ['an empty object', {}],
    ['no httpMethod', { path: '/_auth/signout', headers: {} }],
    ['a numeric path', { httpMethod: 'GET', path: 42, headers: {} }],
  ])('rejects a malformed event (%s) with 400 instead of throwing', async (_label, event) => {
    // GIVEN something that is not an ALB request event
    const { invoke, lines } = setup();
    // WHEN the handler is invoked with it
    const res = await invoke(event);
    // THEN it answers 400 with a short text body and logs one JSON line
    expect(res.statusCode).toBe(400);
    expect(res.statusDescription).toBe('400 Bad Request');
    expect(res.body).toBe('Bad request.');
    expect(headerValues(res, 'Cache-Control')).toEqual(['no-store']);
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0])).toMatchObject({ level: 'warn', status: 400 });
  });

  test('rejects a malformed multi-value event in multi-value format', async () => {
    // GIVEN an event with multiValueHeaders but no httpMethod
    const { invoke } = setup();
    // WHEN it arrives
    const res = await invoke({ multiValueHeaders: {}, path: '/_auth/signout' });
    // THEN the 400 uses multiValueHeaders
    expect(res.statusCode).toBe(400);
    expect(res.multiValueHeaders).toBeDefined();
    expect(res.headers).toBeUndefined();
  });

  test('answers 500 and logs when something unexpected throws', async () => {
    // GIVEN an event whose headers object throws when read
    const { invoke, lines } = setup();
    const event = multiEvent();
    Object.defineProperty(event, 'multiValueHeaders', {
      get() {
        throw new Error('boom');
      },
      enumerable: true,
    });
    // WHEN it arrives
    const res = await invoke(event);
    // THEN 500 with a short body and one error line
    expect(res.statusCode).toBe(500);
    expect(res.statusDescription).toBe('500 Internal Server Error');
    expect(res.body).toBe('Sign-out failed.');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0])).toMatchObject({ level: 'error', error: 'boom' });
  });

  test('a throwing logger does not break the sign-out', async () => {
    // GIVEN a log sink that throws
    const handler = createHandler(CONFIG, {
      log: () => {
        throw new Error('log sink down');
      },
    });
    // WHEN a sign-out arrives
    const res = (await handler(multiEvent())) as Response;
    // THEN the user is still signed out
    expect(res.statusCode).toBe(302);
  });
});

describe('sign-out handler, logging', () => {
  test('logs exactly one single-line JSON entry per request, without cookie values or redirect targets', async () => {
    // GIVEN a request carrying session cookies and a redirect
    const { invoke, lines } = setup();
    // WHEN it is handled in both modes
    await invoke(multiEvent({ query: { redirect: encodeURIComponent('https://evil.example/?token=abc') } }));
    await invoke(singleEvent({ host: CI }));
    // THEN two lines, each a JSON object on one line
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      expect(line).not.toContain('\n');
      expect(typeof JSON.parse(line)).toBe('object');
      // AND none of the secrets or attacker-controlled values
      expect(line).not.toContain(SHARD0_VALUE);
      expect(line).not.toContain(SHARD1_VALUE);
      expect(line).not.toContain('AWSELBAuthSessionCookie-0=');
      expect(line).not.toContain('evil.example');
      expect(line).not.toContain('token=');
    }
    expect(JSON.parse(lines[0])).toMatchObject({
      level: 'info',
      status: 302,
      mode: 'multi',
      host: GRAFANA,
      redirect: 'ignored',
      traceId: 'Root=1-6780f2a1-3d683b8b04734faae651f476',
    });
    expect(JSON.parse(lines[1])).toMatchObject({ mode: 'single', host: CI, step: 0, final: false });
  });

  test('marks a fallback to the default host without logging the raw Host', async () => {
    // GIVEN an unknown Host with a log-injection attempt
    const { invoke, lines } = setup();
    // WHEN it signs out
    await invoke(multiEvent({ host: 'evil.example\n{"level":"info"}' }));
    // THEN the line names the default host and not the sent one
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]).host).toBe(`default:${GRAFANA}`);
    expect(lines[0]).not.toContain('evil');
  });

  test('the default logger writes one line with console.log', async () => {
    // GIVEN a handler without a log option
    const spy = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      const handler = createHandler(CONFIG);
      // WHEN it handles a request
      await handler(multiEvent());
      // THEN console.log got exactly one JSON string
      expect(spy).toHaveBeenCalledTimes(1);
      expect(JSON.parse(spy.mock.calls[0][0] as string)).toMatchObject({ status: 302 });
    } finally {
      spy.mockRestore();
    }
  });
});

describe('sign-out config validation', () => {
  function configError(config: Record<string, unknown>, options: Record<string, unknown> = {}): ConfigError {
    try {
      createHandler(config, options);
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      return err as ConfigError;
    }
    throw new Error('expected createHandler to throw');
  }

  test('accepts the reference config', () => {
    // GIVEN the config used throughout these tests
    // WHEN a handler is built
    // THEN it does not throw
    expect(typeof createHandler(CONFIG)).toBe('function');
  });

  test.each([
    ['a space', 'AWSELB Auth'],
    ['a semicolon', 'AWSELB;Auth'],
    ['an equals sign', 'a=b'],
    ['empty', ''],
    ['non-ASCII', 'Sitzungs\u00e4'],
    ['a number', 42],
    ['missing', undefined],
  ])('rejects cookieName with %s', (_label, cookieName) => {
    // GIVEN a cookie name that is not an RFC 6265 token
    // WHEN the handler is built
    const err = configError({ ...CONFIG, cookieName });
    // THEN the error names the field, the value and the rule
    expect(err.message).toContain('cookieName');
    expect(err.message).toContain(cookieName === undefined ? 'undefined' : JSON.stringify(cookieName));
    expect(err.message).toContain('cookie-name token');
  });

  test.each([0, 17, -1, 2.5, '4', null, Number.NaN])('rejects shardCount %p', (shardCount) => {
    // GIVEN a shard count outside 1..16 or not an integer
    // WHEN the handler is built
    const err = configError({ ...CONFIG, shardCount });
    // THEN the error names the field, the value and the range
    expect(err.message).toContain('shardCount');
    expect(err.message).toContain(`${JSON.stringify(shardCount)}`);
    expect(err.message).toContain('integer from 1 to 16');
  });

  test.each([
    '_auth/signout',
    '//evil.example/x',
    '/_auth/signout?x=1',
    '/_auth/sign out',
    '/a#b',
    '',
  ])('rejects signoutPath %p', (signoutPath) => {
    // GIVEN a path that the listener rule could not match exactly
    // WHEN the handler is built
    const err = configError({ ...CONFIG, signoutPath });
    // THEN the error names it
    expect(err.message).toContain('signoutPath');
    expect(err.message).toContain(JSON.stringify(signoutPath));
  });

  test.each([
    ['http', `http://${GRAFANA}/`],
    ['relative', '/signed-out'],
    ['no scheme', `${GRAFANA}/`],
    ['credentials', `https://user:pw@${GRAFANA}/`],
    ['fragment', `https://${GRAFANA}/#x`],
    ['not a string', 12],
  ])('rejects a logoutUri that is %s', (_label, logoutUri) => {
    // GIVEN a host entry whose logoutUri is not an absolute https URL
    // WHEN the handler is built
    const err = configError({ ...CONFIG, hosts: { ...CONFIG.hosts, [WIKI]: { client: 0, logoutUri } } });
    // THEN the error names the host entry, the value and the rule
    expect(err.message).toContain(`hosts["${WIKI}"].logoutUri`);
    expect(err.message).toContain(JSON.stringify(logoutUri));
    expect(err.message).toContain('absolute https URL');
  });

  test.each([
    ['http', 'http://myprefix.auth.eu-west-1.amazoncognito.com/logout'],
    ['with a query', `${ENDPOINT}?client_id=x`],
    ['relative', '/logout'],
    ['missing', undefined],
  ])('rejects a logout endpoint that is %s', (_label, logoutEndpoint) => {
    // GIVEN a bad Cognito logout endpoint
    // WHEN the handler is built
    const err = configError({ ...CONFIG, logoutEndpoint });
    // THEN the error names the field and its environment variable
    expect(err.message).toContain('COGNITO_LOGOUT_ENDPOINT');
    expect(err.message).toContain('absolute https URL');
  });

  test('rejects an http://localhost endpoint unless allowInsecureLocalhost is set', () => {
    // GIVEN a local stand-in endpoint
    const local = { ...CONFIG, logoutEndpoint: 'http://localhost:4321/logout' };
    // WHEN built without the test-only option THEN it is rejected
    expect(configError(local).message).toContain('http://localhost:4321/logout');
    // WHEN built with it THEN it is accepted, for localhost and 127.0.0.1 only
    expect(typeof createHandler(local, { allowInsecureLocalhost: true })).toBe('function');
    expect(typeof createHandler({ ...local, logoutEndpoint: 'http://127.0.0.1:4321/logout' }, { allowInsecureLocalhost: true })).toBe(
      'function',
    );
    expect(configError({ ...local, logoutEndpoint: 'http://evil.example/logout' }, { allowInsecureLocalhost: true }).message).toContain(
      'logoutEndpoint',
    );
    expect(
      configError({ ...local, logoutEndpoint: 'http://localhost.evil.example/logout' }, { allowInsecureLocalhost: true }).message,
    ).toContain('logoutEndpoint');
  });

  test.each([
    ['empty list', []],
    ['an empty id', [CLIENT_A, '']],
    ['an id with a slash', ['abc/def']],
    ['not a list', CLIENT_A],
  ])('rejects client ids: %s', (_label, clientIds) => {
    // GIVEN bad app client ids
    // WHEN the handler is built
    const err = configError({ ...CONFIG, clientIds });
    // THEN the error names CLIENT_IDS
    expect(err.message).toContain('CLIENT_IDS');
  });

  test.each([2, -1, 0.5, '0'])('rejects a client index %p that is not in the client list', (client) => {
    // GIVEN a host pointing at a client index that does not exist
    // WHEN the handler is built
    const err = configError({ ...CONFIG, hosts: { ...CONFIG.hosts, [CI]: { client, logoutUri: CI_URI } } });
    // THEN the error names the entry and the valid range
    expect(err.message).toContain(`hosts["${CI}"].client`);
    expect(err.message).toContain('from 0 to 1');
  });

  test.each([
    ['upper case', 'Grafana.example.com'],
    ['a path', 'grafana.example.com/x'],
    ['a scheme', 'https://grafana.example.com'],
  ])('rejects a hosts key with %s', (_label, host) => {
    // GIVEN a hosts key that is not a lower-case host name
    // WHEN the handler is built
    const err = configError({ ...CONFIG, hosts: { ...CONFIG.hosts, [host]: { client: 0, logoutUri: GRAFANA_URI } } });
    // THEN the error names the key
    expect(err.message).toContain(JSON.stringify(host));
    expect(err.message).toContain('lower-case host name');
  });

  test('rejects empty hosts and a defaultHost that is not a key of hosts', () => {
    // GIVEN no hosts, and separately an unknown default
    // WHEN the handlers are built
    // THEN each error names the field
    expect(configError({ ...CONFIG, hosts: {} }).message).toContain('hosts = {}');
    const err = configError({ ...CONFIG, defaultHost: 'toString' });
    expect(err.message).toContain('defaultHost = "toString"');
    expect(err.message).toContain('one of the keys of hosts');
  });

  test('reports every problem at once', () => {
    // GIVEN a config with three mistakes
    // WHEN the handler is built
    const err = configError({ ...CONFIG, cookieName: 'a b', shardCount: 99, defaultHost: 'nope' });
    // THEN all three are listed
    expect(err.problems).toHaveLength(3);
    expect(err.message).toMatch(/cookieName.*shardCount.*defaultHost/);
  });

  test('rejects a config that is not an object', () => {
    // GIVEN no config at all
    // WHEN the handler is built THEN it says so
    expect(configError(null as unknown as Record<string, unknown>).message).toContain('config = null');
  });
});

describe('loading config.json and the environment', () => {
  let dir: string;
  const FILE = {
    cookieName: 'AWSELBAuthSessionCookie',
    shardCount: 4,
    signoutPath: '/_auth/signout',
    hosts: { [GRAFANA]: { client: 0, logoutUri: GRAFANA_URI }, [CI]: { client: 1, logoutUri: CI_URI } },
    defaultHost: GRAFANA,
  };
  const ENV = { COGNITO_LOGOUT_ENDPOINT: ENDPOINT, CLIENT_IDS: `${CLIENT_A}, ${CLIENT_B}`, COGNITO_ISSUER_URL: ISSUER };

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'signout-config-'));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('merges config.json with COGNITO_LOGOUT_ENDPOINT and CLIENT_IDS', () => {
    // GIVEN a config.json and the Terraform-provided environment
    const configPath = path.join(dir, 'config.json');
    fs.writeFileSync(configPath, JSON.stringify(FILE));
    // WHEN it is loaded
    const config = loadConfig({ configPath, env: ENV });
    // THEN file values and trimmed env values are combined
    expect(config).toEqual({ ...FILE, logoutEndpoint: ENDPOINT, clientIds: [CLIENT_A, CLIENT_B], issuer: ISSUER });
    expect(typeof createHandler(config)).toBe('function');
  });

  test('fails when config.json is missing, naming the file', () => {
    // GIVEN a folder without config.json
    const configPath = path.join(dir, 'config.json');
    // WHEN it is loaded
    // THEN a ConfigError says where it looked and why the file matters
    expect(() => loadConfig({ configPath, env: ENV })).toThrow(ConfigError);
    expect(() => loadConfig({ configPath, env: ENV })).toThrow(`config.json not found at ${configPath}`);
  });

  test('fails when config.json is not JSON or not an object', () => {
    // GIVEN broken files
    const configPath = path.join(dir, 'config.json');
    fs.writeFileSync(configPath, '{"cookieName": ');
    // WHEN loaded THEN the error says it is not valid JSON
    expect(() => loadConfig({ configPath, env: ENV })).toThrow(/config\.json at .* is not valid JSON/);
    fs.writeFileSync(configPath, '[1,2]');
    expect(() => loadConfig({ configPath, env: ENV })).toThrow(/must contain a JSON object/);
  });

  test('fails when the environment variables are missing', () => {
    // GIVEN a good config.json but no environment
    const configPath = path.join(dir, 'config.json');
    fs.writeFileSync(configPath, JSON.stringify(FILE));
    // WHEN the handler is built from it
    // THEN the error names both variables
    expect(() => createHandler(loadConfig({ configPath, env: {} }))).toThrow(/COGNITO_LOGOUT_ENDPOINT.*CLIENT_IDS/);
  });

  test('fails when CLIENT_IDS has an empty item', () => {
    // GIVEN a trailing comma in CLIENT_IDS
    const configPath = path.join(dir, 'config.json');
    fs.writeFileSync(configPath, JSON.stringify(FILE));
    // WHEN the handler is built
    // THEN the empty item is reported, not silently dropped
    expect(() => createHandler(loadConfig({ configPath, env: { ...ENV, CLIENT_IDS: `${CLIENT_A},` } }))).toThrow(
      'clientIds[1] (env CLIENT_IDS) = ""',
    );
  });

  test('the lazy handler loads once and answers 500 with a clear log line if loading fails', async () => {
    // GIVEN a loader that fails
    const lines: string[] = [];
    const load = jest.fn(() => loadConfig({ configPath: path.join(dir, 'config.json'), env: ENV }));
    const handler = createLazyHandler(load, { log: (l: string) => lines.push(l) });
    // WHEN two requests arrive
    const first = (await handler(multiEvent())) as Response;
    const second = (await handler(singleEvent())) as Response;
    // THEN both get a 500 in their own header mode, without cookies
    expect(first.statusCode).toBe(500);
    expect(first.multiValueHeaders).toBeDefined();
    expect(second.statusCode).toBe(500);
    expect(second.headers).toBeDefined();
    expect(first.body).toBe('Sign-out is not configured correctly.');
    expect(headerValues(first, 'Set-Cookie')).toEqual([]);
    expect(headerValues(first, 'Cache-Control')).toEqual(['no-store']);
    // AND the loader ran once, and each request logged one line naming the missing file
    expect(load).toHaveBeenCalledTimes(1);
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[0])).toMatchObject({ level: 'error' });
    expect(JSON.parse(lines[0]).error).toContain('config.json not found');
  });

  test('the lazy handler builds the config once and then serves requests', async () => {
    // GIVEN a loader that succeeds
    const configPath = path.join(dir, 'config.json');
    fs.writeFileSync(configPath, JSON.stringify(FILE));
    const load = jest.fn(() => loadConfig({ configPath, env: ENV }));
    const handler = createLazyHandler(load, { log: () => undefined });
    // WHEN three requests arrive
    const results = [];
    for (const host of [GRAFANA, CI, 'unknown.example']) results.push((await handler(multiEvent({ host }))) as Response);
    // THEN all are signed out for their hosts and the loader ran once
    expect(results.map((r) => cognitoParams(r).searchParams.get('client_id'))).toEqual([CLIENT_A, CLIENT_B, CLIENT_A]);
    expect(load).toHaveBeenCalledTimes(1);
  });
});
