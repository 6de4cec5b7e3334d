// Real-browser test of the sign-out Lambda: Debian chromium driven by playwright-core
// against a local HTTP server that turns requests into ALB Lambda events, in both
// multi-value modes. The Cognito /logout endpoint is a local stand-in page, and Cognito's JWKS
// and API (AdminUserGlobalSignOut) a local stand-in that checks the request's signature.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type BrowserContext, type CDPSession, type Page } from 'playwright-core';
import { createHandler } from '../../lambda/signout/index.js';
import { CREDENTIALS, ISSUER, POOL_ID, startCognitoStandIn, type CognitoStandIn } from './cognito-stand-in';
import { available } from '../prerequisites';

jest.setTimeout(30_000);

const CHROMIUM = '/usr/bin/chromium';
const IN_CI = (process.env.CI ?? '') !== '';
// Missing, it is skipped (the run's last line says so), except in CI, where this file fails instead.
const SKIP = !available('chromium') && !IN_CI;

const COOKIE = 'AWSELBAuthSessionCookie';
const SHARD_RE = new RegExp(`^${COOKIE}-\\d+$`);
const SIGNOUT_PATH = '/_auth/signout';
const CLEAR_PATH = '/_auth/signout/clear';
const DEFAULT_CLIENT = '1default2345678901234567ab';
const LOCAL_CLIENT = '9local87654321098765432cd';
const LOCAL_LOGOUT_URI = 'https://tools.internal.example.com/signed-out';
const OTHER_LOGOUT_URI = 'https://reports.internal.example.com/';
const TARGET_GROUP_ARN = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/auth-signout-lambda/73e2d6bc24d8a067';
const LAUNCH_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // One renderer and no extra helper processes: the pages are tiny, CPU is the scarce thing here.
  '--renderer-process-limit=1',
  '--disable-features=site-per-process,Translate,OptimizationHints,MediaRouter',
  '--disable-extensions',
];

type AlbResponse = {
  statusCode: number;
  statusDescription: string;
  isBase64Encoded: boolean;
  headers?: Record<string, string>;
  multiValueHeaders?: Record<string, string[]>;
  body?: string;
};
type Visit = { path: string; query: URLSearchParams; method: string; cookie: string };

// Splits the raw query string without decoding: ALB hands it to Lambda still percent-encoded.
function rawQuery(search: string): Array<[string, string]> {
  return search
    .split('&')
    .filter(Boolean)
    .map((part) => {
      const eq = part.indexOf('=');
      return eq === -1 ? [part, ''] : [part.slice(0, eq), part.slice(eq + 1)];
    });
}

// Builds the event ALB would send to a Lambda target for this request. The sign-out rule
// authenticates with on_unauthenticated_request = allow: a request whose session cookie the ALB
// can read arrives with the user's access token, any other arrives without one.
function toAlbEvent(req: http.IncomingMessage, multi: boolean, accessToken: string): Record<string, unknown> {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const pathOnly = q === -1 ? url : url.slice(0, q);
  const pairs = rawQuery(q === -1 ? '' : url.slice(q + 1));
  const headers: Record<string, string[]> = { ...req.headersDistinct } as Record<string, string[]>;
  headers['x-amzn-trace-id'] = [`Root=1-${Math.floor(Date.now() / 1000).toString(16)}-0123456789abcdef01234567`];
  headers['x-forwarded-for'] = [req.socket.remoteAddress ?? '127.0.0.1'];
  headers['x-forwarded-port'] = ['443'];
  headers['x-forwarded-proto'] = ['https'];
  // Only the sign-out path's rule authenticates; the clear path's forwards as it is.
  if (pathOnly === SIGNOUT_PATH && (req.headers.cookie ?? '').includes(`${COOKIE}-0=`)) headers['x-amzn-oidc-accesstoken'] = [accessToken];
  const base = {
    requestContext: { elb: { targetGroupArn: TARGET_GROUP_ARN } },
    httpMethod: req.method,
    path: pathOnly,
    body: '',
    isBase64Encoded: false,
  };
  if (multi) {
    const query: Record<string, string[]> = {};
    for (const [k, v] of pairs) (query[k] ??= []).push(v);
    return { ...base, multiValueQueryStringParameters: query, multiValueHeaders: headers };
  }
  // Single-value mode keeps the last value of repeated headers and parameters.
  const query: Record<string, string> = {};
  for (const [k, v] of pairs) query[k] = v;
  const single: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) single[k] = v[v.length - 1];
  return { ...base, queryStringParameters: query, headers: single };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

type Stage = {
  origin: string;
  visits: Visit[];
  problems: string[];
  close: () => Promise<void>;
};

async function startStage(multi: boolean, cognito: CognitoStandIn): Promise<Stage> {
  const visits: Visit[] = [];
  const problems: string[] = [];
  let handler: ((event: unknown) => Promise<unknown>) | undefined;

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://stage.invalid');
    if (url.pathname === '/favicon.ico') {
      res.writeHead(404).end();
      return;
    }
    visits.push({ path: url.pathname, query: url.searchParams, method: req.method ?? '', cookie: req.headers.cookie ?? '' });

    if (url.pathname === '/logout') {
      // Stand-in for Cognito's /logout: shows what it was asked to do.
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end(
        '<!doctype html><title>Signed out</title><h1>Signed out</h1>' +
          `<p>client_id: <span id="client_id">${escapeHtml(url.searchParams.get('client_id') ?? '')}</span></p>` +
          `<p>logout_uri: <span id="logout_uri">${escapeHtml(url.searchParams.get('logout_uri') ?? '')}</span></p>`,
      );
      return;
    }
    if (url.pathname === '/elsewhere') {
      // A page of another site linking to the sign-out path (a cross-site request forgery attempt).
      const to = url.searchParams.get('to') ?? '';
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><title>Elsewhere</title><a id="foreign-signout" href="${escapeHtml(to)}${SIGNOUT_PATH}">Win a prize</a>`);
      return;
    }
    if (url.pathname === '/app') {
      // An app page with the two ways an app points users at the sign-out path.
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(
        '<!doctype html><title>App</title>' +
          `<a id="signout-link" href="${SIGNOUT_PATH}">Sign out</a>` +
          `<form method="post" action="${SIGNOUT_PATH}"><button id="signout-form">Sign out</button></form>`,
      );
      return;
    }

    // Everything else goes to the Lambda, as if the listener rule matched it.
    const event = toAlbEvent(req, multi, cognito.tokens.alice!);
    req.resume();
    (handler as (e: unknown) => Promise<unknown>)(event).then(
      (raw) => {
        const alb = raw as AlbResponse;
        // ALB needs the response in the same header mode as the target group.
        if (
          multi
            ? alb.headers !== undefined || alb.multiValueHeaders === undefined
            : alb.multiValueHeaders !== undefined || alb.headers === undefined
        ) {
          problems.push(`response in the wrong header mode for multi=${multi}: ${JSON.stringify(alb)}`);
          res.writeHead(502).end('Bad gateway');
          return;
        }
        if (!/^\d{3} \S/.test(alb.statusDescription) || !alb.statusDescription.startsWith(String(alb.statusCode))) {
          problems.push(`bad statusDescription ${alb.statusDescription}`);
        }
        res.statusCode = alb.statusCode;
        res.statusMessage = alb.statusDescription.slice(4);
        const headers = alb.multiValueHeaders ?? Object.fromEntries(Object.entries(alb.headers ?? {}).map(([k, v]) => [k, [v]]));
        for (const [name, values] of Object.entries(headers)) res.setHeader(name, values);
        res.end(alb.isBase64Encoded ? Buffer.from(alb.body ?? '', 'base64') : (alb.body ?? ''));
      },
      (err: unknown) => {
        problems.push(`handler threw: ${String(err)}`);
        res.writeHead(502).end('Bad gateway');
      },
    );
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  // Chromium treats http://localhost as a secure context, so it accepts and expires Secure cookies there.
  const origin = `http://localhost:${port}`;
  handler = createHandler(
    {
      cookieName: COOKIE,
      shardCount: 4,
      signoutPath: SIGNOUT_PATH,
      hosts: {
        'app.internal.example.com': { client: 0, logoutUri: 'https://app.internal.example.com/' },
        [`localhost:${port}`]: { client: 1, logoutUri: LOCAL_LOGOUT_URI },
        'reports.internal.example.com': { client: 1, logoutUri: OTHER_LOGOUT_URI },
      },
      defaultHost: 'app.internal.example.com',
      logoutEndpoint: `${origin}/logout`,
      clientIds: [DEFAULT_CLIENT, LOCAL_CLIENT],
      issuer: ISSUER,
      jwksUrl: cognito.jwksUrl,
    },
    { allowInsecureLocalhost: true, cognitoEndpoint: `${cognito.origin}/`, credentials: () => CREDENTIALS, log: () => undefined },
  );

  return {
    origin,
    visits,
    problems,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function seedSession(context: BrowserContext, origin: string) {
  // Host-only, Secure, HttpOnly shard cookies like the ALB sets, plus cookies that must survive.
  await context.addCookies([
    { name: `${COOKIE}-0`, value: 'c2Vzc2lvbi1zaGFyZC0wLXRlc3QtdmFsdWU', url: `${origin}/`, secure: true, httpOnly: true, sameSite: 'Lax' },
    { name: `${COOKIE}-1`, value: 'c2Vzc2lvbi1zaGFyZC0xLXRlc3QtdmFsdWU', url: `${origin}/`, secure: true, httpOnly: true, sameSite: 'Lax' },
    { name: 'app_prefs', value: 'compact', url: `${origin}/`, sameSite: 'Lax' },
    { name: 'AWSALB', value: 'stickiness-cookie-value', url: `${origin}/`, sameSite: 'Lax' },
  ]);
  const names = (await context.cookies(origin)).map((c) => c.name).sort();
  expect(names).toEqual(['AWSALB', `${COOKIE}-0`, `${COOKIE}-1`, 'app_prefs']);
}

/** Cognito was asked exactly once to sign alice out everywhere, with a request the AWS SDK would sign alike. */
function expectSignedOutEverywhere(cognito: CognitoStandIn) {
  expect(cognito.calls).toHaveLength(1);
  const [call] = cognito.calls;
  expect(call).toMatchObject({
    method: 'POST',
    path: '/',
    target: 'AWSCognitoIdentityProviderService.AdminUserGlobalSignOut',
    contentType: 'application/x-amz-json-1.1',
    body: { UserPoolId: POOL_ID, Username: 'EntraID_alice@example.com' },
  });
  expect(call!.authorization).toBe(call!.expectedAuthorization);
}

async function expectSignedOut(context: BrowserContext, page: Page, stage: Stage, expectedLogoutUri: string) {
  // The final page is the stand-in Cognito logout, asked for the localhost entry's client.
  const final = new URL(page.url());
  expect(`${final.origin}${final.pathname}`).toBe(`${stage.origin}/logout`);
  expect(final.searchParams.get('client_id')).toBe(LOCAL_CLIENT);
  expect(final.searchParams.get('logout_uri')).toBe(expectedLogoutUri);
  expect(await page.textContent('h1')).toBe('Signed out');
  expect(await page.textContent('#client_id')).toBe(LOCAL_CLIENT);
  expect(await page.textContent('#logout_uri')).toBe(expectedLogoutUri);

  // The browser holds no shard anymore; the other cookies are untouched.
  const cookies = await context.cookies(stage.origin);
  expect(cookies.filter((c) => SHARD_RE.test(c.name))).toEqual([]);
  expect(cookies.find((c) => c.name === 'app_prefs')?.value).toBe('compact');
  expect(cookies.find((c) => c.name === 'AWSALB')?.value).toBe('stickiness-cookie-value');

  // Cognito's stand-in was reached once, and without any shard cookie.
  const logoutVisits = stage.visits.filter((v) => v.path === '/logout');
  expect(logoutVisits).toHaveLength(1);
  expect(logoutVisits[0].cookie).not.toContain(COOKIE);
  expect(logoutVisits[0].cookie).toContain('app_prefs=compact');
  expect(stage.problems).toEqual([]);
}

const suite = SKIP ? describe.skip : describe;

suite('sign-out in a real browser', () => {
  let browser: Browser | undefined;
  let cognito: CognitoStandIn;

  beforeAll(async () => {
    if (!available('chromium')) {
      throw new Error(`CI is set but ${CHROMIUM} is missing: install it with \`apt-get update && apt-get install -y chromium\``);
    }
    cognito = await startCognitoStandIn({ alice: { claims: { client_id: LOCAL_CLIENT } } });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: LAUNCH_ARGS });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await cognito?.close();
  }, 30_000);

  describe.each([
    ['on', true],
    ['off', false],
  ])('multi-value headers %s', (_label, multi) => {
    let stage: Stage;
    let context: BrowserContext;
    let page: Page;
    // Sign-out requests the Lambda handles per sign-out: the revoke, then the clear path once, or
    // once per shard when chaining.
    const hops = multi ? 2 : 5;
    const signoutVisits = () => stage.visits.filter((v) => v.path === SIGNOUT_PATH || v.path === CLEAR_PATH);

    let cdp: CDPSession;

    // One context and page per mode: a new one costs Chromium a renderer (about 0.5 s a test on 2
    // cores). Each test still starts as a fresh context would: a blank page, no cookie, no cache.
    beforeAll(async () => {
      stage = await startStage(multi, cognito);
      context = await (browser as Browser).newContext();
      page = await context.newPage();
      cdp = await context.newCDPSession(page);
    });
    afterAll(async () => {
      await context?.close();
      await stage?.close();
    });
    beforeEach(async () => {
      await page.goto('about:blank');
      await context.clearCookies();
      await cdp.send('Network.clearBrowserCache');
      expect(await context.cookies()).toEqual([]);
      stage.visits.length = 0;
      stage.problems.length = 0;
      cognito.calls.length = 0;
    });

    test('visiting the sign-out path clears every shard, keeps other cookies and lands on Cognito logout', async () => {
      // GIVEN a browser holding ALB session shards 0 and 1 and two unrelated cookies
      await seedSession(context, stage.origin);
      // WHEN it navigates to the sign-out path
      const response = await page.goto(`${stage.origin}${SIGNOUT_PATH}`);
      // THEN it ends on the stand-in logout page with the right client and logout URI, holding no shard
      expect(response?.status()).toBe(200);
      await expectSignedOut(context, page, stage, LOCAL_LOGOUT_URI);
      // AND the user was signed out everywhere, once, on the first hop
      expectSignedOutEverywhere(cognito);
      // AND the Lambda was hit once per hop: the revoke with the shards, then the clear path, chaining
      const signouts = signoutVisits();
      expect(signouts).toHaveLength(hops);
      expect(signouts.map((v) => v.path)).toEqual([SIGNOUT_PATH, ...Array(hops - 1).fill(CLEAR_PATH)]);
      expect(signouts[0].cookie).toContain(`${COOKIE}-0=`);
      expect(signouts[1].cookie).toContain(`${COOKIE}-1=`);
      expect(signouts.map((v) => v.query.get('shard'))).toEqual(multi ? [null, null] : [null, null, '1', '2', '3']);
      // AND the browser followed exactly that many redirects
      let redirects = 0;
      for (let r = response?.request().redirectedFrom(); r; r = r.redirectedFrom()) redirects++;
      expect(redirects).toBe(hops);
    });

    test('an app sign-out link signs the user out', async () => {
      // GIVEN a signed-in browser on an app page with a plain sign-out link
      await seedSession(context, stage.origin);
      await page.goto(`${stage.origin}/app`);
      // WHEN the user clicks it
      await Promise.all([page.waitForURL(/\/logout\?/), page.click('#signout-link')]);
      // THEN the user is signed out, here and everywhere
      await expectSignedOut(context, page, stage, LOCAL_LOGOUT_URI);
      expectSignedOutEverywhere(cognito);
    });

    test('an app sign-out form (POST) signs the user out', async () => {
      // GIVEN a signed-in browser on an app page with a POST sign-out form
      await seedSession(context, stage.origin);
      await page.goto(`${stage.origin}/app`);
      // WHEN the user submits it
      await Promise.all([page.waitForURL(/\/logout\?/), page.click('#signout-form')]);
      // THEN the user is signed out here and everywhere, and the first Lambda hop was the POST
      await expectSignedOut(context, page, stage, LOCAL_LOGOUT_URI);
      expectSignedOutEverywhere(cognito);
      const methods = signoutVisits().map((v) => v.method);
      expect(methods).toEqual(multi ? ['POST', 'GET'] : ['POST', 'GET', 'GET', 'GET', 'GET']);
    });

    test('honours a registered redirect of the same client', async () => {
      // GIVEN a signed-in browser asking to land on another registered logout URI of its client
      await seedSession(context, stage.origin);
      // WHEN it navigates to the sign-out path with that redirect
      await page.goto(`${stage.origin}${SIGNOUT_PATH}?redirect=${encodeURIComponent(OTHER_LOGOUT_URI)}`);
      // THEN Cognito is asked to send it there
      await expectSignedOut(context, page, stage, OTHER_LOGOUT_URI);
    });

    test('rejects an open redirect and still signs out', async () => {
      // GIVEN a signed-in browser following a crafted sign-out link
      await seedSession(context, stage.origin);
      // WHEN the link points the redirect at a foreign site
      await page.goto(`${stage.origin}${SIGNOUT_PATH}?redirect=${encodeURIComponent('https://evil.example/')}`);
      // THEN the user is signed out and Cognito gets the host's own logout URI
      await expectSignedOut(context, page, stage, LOCAL_LOGOUT_URI);
      expect(page.url()).not.toContain('evil');
    });

    test('a sign-out link on another site signs nobody out: the user must confirm on the host itself', async () => {
      // GIVEN a signed-in browser on a page of another site (127.0.0.1 is another site than localhost)
      await seedSession(context, stage.origin);
      await page.goto(`${stage.origin.replace('localhost', '127.0.0.1')}/elsewhere?to=${encodeURIComponent(stage.origin)}`);
      // WHEN the user follows its link to the sign-out path
      await Promise.all([page.waitForURL(`${stage.origin}${SIGNOUT_PATH}`), page.click('#foreign-signout')]);
      // THEN the host asks to confirm, and the session is untouched and nobody was signed out everywhere
      expect(await page.textContent('h1')).toBe('Sign out?');
      const shards = (await context.cookies(stage.origin)).filter((c) => SHARD_RE.test(c.name)).map((c) => c.name);
      expect(shards.sort()).toEqual([`${COOKIE}-0`, `${COOKIE}-1`]);
      expect(cognito.calls).toEqual([]);
      // AND WHEN the user confirms, the sign-out is the host's own: signed out here and everywhere
      await Promise.all([page.waitForURL(/\/logout\?/), page.click('#confirm')]);
      await expectSignedOut(context, page, stage, LOCAL_LOGOUT_URI);
      expectSignedOutEverywhere(cognito);
    });

    test('a browser whose session already ended is signed out without a sign-in page or a Cognito call', async () => {
      // GIVEN a browser without any session cookie (the ALB lets it through unauthenticated)
      // WHEN it opens the sign-out path
      await page.goto(`${stage.origin}${SIGNOUT_PATH}`);
      // THEN it lands on Cognito's logout, and nobody is signed out everywhere
      const final = new URL(page.url());
      expect(`${final.origin}${final.pathname}`).toBe(`${stage.origin}/logout`);
      expect(cognito.calls).toEqual([]);
      expect(stage.problems).toEqual([]);
    });
  });
});
