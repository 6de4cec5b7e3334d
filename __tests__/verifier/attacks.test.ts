// The attack table: each way a request could be read one way by the verifier and another by the
// router or the app, in both routers' header shapes, with its expected outcome, and the controls
// that must still pass. ingress-nginx: X-Original-URL ($scheme://$http_host$request_uri), X-Routed-Host
// ($host, from global-auth-snippet). Traefik (pkg/middlewares/auth/forward.go): X-Forwarded-Host
// (req.Host, which Go takes from an absolute-form request line), X-Forwarded-Uri (RequestURI, in
// which Go percent-encodes a raw "#"), X-Forwarded-Method.
import { decide } from '../../verifier/decide.js';
import type { createVerifier } from '../../verifier/server.js';
import { type KeyServer, type Minted, GRAFANA, STATUS, startFrozenVerifier } from './helpers';

const NOW = 1_800_000_000;
const SHOP = 'shop.dev.example.com';
let minted: Minted;
let keys: KeyServer;
let verifier: ReturnType<typeof createVerifier>;

beforeAll(async () => {
  ({ minted, keys, verifier } = await startFrozenVerifier(NOW, {
    [SHOP]: { app: 'shop', allowedGroups: [], publicPaths: ['/*.css', '/assets/*', '/files/???.txt'] },
  }));
});
afterAll(() => keys.close());

interface Shape {
  /** The host the router routes on, and the Host header the client sent. */
  readonly routed: string;
  readonly hostHeader?: string;
  readonly uri: string;
  readonly signedIn?: boolean;
  readonly extra?: Record<string, string[]>;
}

function nginx({ routed, hostHeader = routed, uri, extra = {} }: Shape): Record<string, string[]> {
  return {
    'x-original-url': [`https://${hostHeader}${uri}`],
    'x-original-uri': [uri],
    'x-original-method': ['GET'],
    'x-routed-host': [routed],
    ...extra,
  };
}

function traefik({ routed, uri, extra = {} }: Shape): Record<string, string[]> {
  // Traefik writes only req.Host (the routed host); a raw "#" arrives encoded.
  return { 'x-forwarded-host': [routed], 'x-forwarded-uri': [uri.replace(/#/g, '%23')], 'x-forwarded-method': ['GET'], ...extra };
}

const SHAPES = { 'ingress-nginx': nginx, traefik } as const;

/** One outcome for both routers, or one per router where their shapes differ. */
type Expected = number | Record<keyof typeof SHAPES, number>;

const ATTACKS: [string, Shape, Expected][] = [
  // Which host
  ['absolute-form line to a protected host, the public host in Host', { routed: GRAFANA, hostHeader: STATUS, uri: '/d/home' }, 401],
  [
    'absolute-form line to a protected host, another protected host in Host, signed in',
    { routed: SHOP, hostHeader: GRAFANA, uri: '/orders', signedIn: true },
    // Traefik has one host (Go's req.Host), which it routes on, asks about and sends the app.
    { 'ingress-nginx': 401, traefik: 200 },
  ],
  [
    'Host with a port and a trailing dot naming the routed host, signed in (control)',
    { routed: GRAFANA, hostHeader: `${GRAFANA.toUpperCase()}.:443`, uri: '/d/home', signedIn: true },
    200,
  ],
  [
    'a repeated routed-host header',
    {
      routed: GRAFANA,
      uri: '/d/home',
      signedIn: true,
      extra: { 'x-routed-host': [GRAFANA, STATUS], 'x-forwarded-host': [GRAFANA, STATUS] },
    },
    401,
  ],
  // Which path
  ['";" path parameters after a protected path', { routed: SHOP, uri: '/admin;.css' }, 401],
  ['a "#" after a protected path', { routed: SHOP, uri: '/admin#.css' }, 401],
  ['an encoded ";"', { routed: SHOP, uri: '/admin%3b.css' }, 401],
  ['an encoded "?"', { routed: SHOP, uri: '/admin%3F.css' }, 401],
  ['an encoded "/" into the public folder', { routed: SHOP, uri: '/assets/..%2Fadmin' }, 401],
  ['a double-encoded dot segment', { routed: SHOP, uri: '/assets/%252e%252e/admin' }, 401],
  ['an empty segment', { routed: SHOP, uri: '/assets//../admin' }, 401],
  ['an overlong UTF-8 dot', { routed: SHOP, uri: '/assets/%C0%AE%C0%AE/admin' }, 401],
  ['a malformed escape', { routed: SHOP, uri: '/admin%G0.css' }, 401],
  ['a public pattern matched only by the raw spelling ("???" over an escape)', { routed: SHOP, uri: '/files/%41.txt' }, 401],
  ['the same pattern spelled plainly (control: public)', { routed: SHOP, uri: '/files/abc.txt' }, 200],
  ['a stylesheet (control: public)', { routed: SHOP, uri: '/site.css' }, 200],
  ['an encoded letter in a public file (control: public both ways)', { routed: SHOP, uri: '/assets/%61pp.js' }, 200],
  ['a query string on a public path (control)', { routed: SHOP, uri: '/site.css?v=1;x#y' }, 200],
  ['a protected page signed in (control)', { routed: SHOP, uri: '/orders', signedIn: true }, 200],
  ['a protected page without a session (control)', { routed: SHOP, uri: '/orders' }, 401],
  // Which headers
  ['a second x-amzn-oidc-data', { routed: SHOP, uri: '/orders', signedIn: true, extra: {} }, 401],
];

describe.each(Object.keys(SHAPES) as (keyof typeof SHAPES)[])('behind %s', (router) => {
  test.each(ATTACKS)('%s', async (name, shape, outcome) => {
    const expected = typeof outcome === 'number' ? outcome : outcome[router];
    // GIVEN the auth subrequest the router makes for the request
    const headers: Record<string, string[]> = SHAPES[router](shape);
    if (shape.signedIn) {
      headers['x-amzn-oidc-data'] = [minted.tokens.data!];
      headers['x-amzn-oidc-accesstoken'] = [minted.tokens.access!];
    }
    if (name === 'a second x-amzn-oidc-data') headers['x-amzn-oidc-data']!.push(minted.tokens.dataBob!);
    // WHEN the verifier decides THEN the outcome is the expected one
    const d = await decide(verifier.ctx, headers, router);
    expect([d.status, d.reason]).toEqual([expected, expect.any(String)]);
  });
});

test('behind ingress-nginx without X-Routed-Host (a router not yet given its new settings, for the minute of an upgrade): the URL host is judged, as before', async () => {
  const d = await decide(verifier.ctx, { 'x-original-url': [`https://${STATUS}/`], 'x-original-uri': ['/'] }, 'ingress-nginx');
  expect(d.status).toBe(200);
  const e = await decide(verifier.ctx, { 'x-original-url': [`https://${GRAFANA}/d/home`], 'x-original-uri': ['/d/home'] }, 'ingress-nginx');
  expect(e.status).toBe(401);
});
