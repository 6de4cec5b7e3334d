// Sign out everywhere: the sign-out function verifies the access token the ALB adds and calls
// Cognito's AdminUserGlobalSignOut, against a local stand-in for Cognito's JWKS and API.
import { createHandler } from '../../lambda/signout/index.js';
import { CREDENTIALS, ISSUER, POOL_ID, startCognitoStandIn, type CognitoStandIn } from './cognito-stand-in';

type Response = { statusCode: number; headers?: Record<string, string>; multiValueHeaders?: Record<string, string[]> };

const CLIENT_A = '1example23456789abcdefghij';
const CLIENT_B = '7other89abcdefghij01234567';
const GRAFANA = 'grafana.internal.example.com';
const TARGET = 'AWSCognitoIdentityProviderService.AdminUserGlobalSignOut';

const CHANGES = {
  alice: {},
  id: { claims: { token_use: 'id' } },
  otherPool: { claims: { iss: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other999' } },
  foreignClient: { claims: { client_id: '3foreign456789abcdefghijkl' } },
  expired: { expiresIn: -600 },
  unknownKey: { kid: 'forged-key' },
} as const;

let cognito: CognitoStandIn;
beforeAll(async () => {
  cognito = await startCognitoStandIn(CHANGES);
});
afterAll(async () => {
  await cognito.close();
});
beforeEach(() => {
  cognito.calls.length = 0;
  cognito.answer = { status: 200, body: '{}' };
  cognito.delayMs = 0;
});

function setup(options: Record<string, unknown> = {}) {
  const lines: Record<string, unknown>[] = [];
  const handler = createHandler(
    {
      cookieName: 'AWSELBAuthSessionCookie',
      shardCount: 4,
      signoutPath: '/_auth/signout',
      hosts: { [GRAFANA]: { client: 0, logoutUri: `https://${GRAFANA}/` } },
      defaultHost: GRAFANA,
      logoutEndpoint: 'https://login.example.com/logout',
      clientIds: [CLIENT_A, CLIENT_B],
      issuer: ISSUER,
      jwksUrl: cognito.jwksUrl,
    },
    {
      allowInsecureLocalhost: true,
      cognitoEndpoint: `${cognito.origin}/`,
      credentials: () => CREDENTIALS,
      log: (line: string) => lines.push(JSON.parse(line)),
      ...options,
    },
  );
  return { invoke: async (event: unknown) => (await handler(event)) as Response, lines };
}

// The ALB's event for a multi-value target group; x-amzn-oidc-* headers as the ALB adds them
// after authenticating (ELB docs, "User claims encoding").
function event(
  token: string | undefined,
  opts: { method?: string; multi?: boolean; shard?: string; site?: string | null; path?: string } = {},
) {
  const headers: Record<string, string> = {
    host: GRAFANA,
    cookie: 'AWSELBAuthSessionCookie-0=abc; AWSELBAuthSessionCookie-1=def',
    'x-forwarded-proto': 'https',
  };
  // What a browser sends for a link or form on the app's own pages.
  if (opts.site !== null) headers['sec-fetch-site'] = opts.site ?? 'same-origin';
  if (token !== undefined) {
    headers['x-amzn-oidc-accesstoken'] = token;
    headers['x-amzn-oidc-identity'] = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
  }
  const query: Record<string, string> = opts.shard === undefined ? {} : { shard: opts.shard };
  const base = { requestContext: { elb: { targetGroupArn: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/sgo/1' } } };
  const common = { ...base, httpMethod: opts.method ?? 'GET', path: opts.path ?? '/_auth/signout', body: '', isBase64Encoded: false };
  if (opts.multi === false) return { ...common, headers, queryStringParameters: query };
  return {
    ...common,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    multiValueQueryStringParameters: Object.fromEntries(Object.entries(query).map(([k, v]) => [k, [v]])),
  };
}

function setCookies(res: Response): string[] {
  return res.multiValueHeaders?.['Set-Cookie'] ?? (res.headers?.['Set-Cookie'] ? [res.headers['Set-Cookie']] : []);
}

describe('sign out everywhere', () => {
  test('revokes the user with one signed AdminUserGlobalSignOut call, then signs the browser out', async () => {
    // GIVEN a request whose session the ALB authenticated
    const { invoke, lines } = setup();
    const token = cognito.tokens.alice!;
    // WHEN it reaches the sign-out function
    const res = await invoke(event(token));
    // THEN Cognito got exactly this request, signed as the AWS SDK signs it
    expect(cognito.calls).toHaveLength(1);
    const [call] = cognito.calls;
    expect(call).toMatchObject({
      method: 'POST',
      path: '/',
      target: TARGET,
      contentType: 'application/x-amz-json-1.1',
      body: { UserPoolId: POOL_ID, Username: 'EntraID_alice@example.com' },
    });
    expect(call.authorization).toBe(call.expectedAuthorization);
    expect(call.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=ASIAEXAMPLEKEY123456\/\d{8}\/eu-west-1\/cognito-idp\/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target, Signature=[0-9a-f]{64}$/,
    );
    // AND this hop sets no cookie (the ALB may have refreshed the session in it): it sends the
    // browser on to the clear path, which expires every shard and goes to Cognito's /logout
    expect(res.statusCode).toBe(302);
    expect(setCookies(res)).toEqual([]);
    expect(res.multiValueHeaders?.Location).toEqual(['/_auth/signout/clear']);
    const clear = await invoke(event(undefined, { path: '/_auth/signout/clear' }));
    expect(setCookies(clear)).toHaveLength(4);
    expect(clear.multiValueHeaders?.Location?.[0]).toMatch(/^https:\/\/login\.example\.com\/logout\?client_id=/);
    expect(cognito.calls).toHaveLength(1);
    // AND the log says so without the token or the username
    expect(lines).toEqual([
      expect.objectContaining({ msg: 'signout', global: 'revoked', next: 'clear' }),
      expect.objectContaining({ msg: 'signout', global: 'skipped', shards: 4 }),
    ]);
    expect(JSON.stringify(lines)).not.toContain('alice');
    expect(JSON.stringify(lines)).not.toContain(token.slice(0, 20));
  });

  test('a request without a session signs the browser out without calling Cognito', async () => {
    // GIVEN a request the ALB let through unauthenticated
    const { invoke, lines } = setup();
    // WHEN it reaches the function
    const res = await invoke(event(undefined));
    // THEN no call is made and the browser is still signed out, in this one hop
    expect(cognito.calls).toEqual([]);
    expect(res.statusCode).toBe(302);
    expect(setCookies(res)).toHaveLength(4);
    expect(lines[0]).toMatchObject({ global: 'no-session' });
  });

  test.each([
    ['a link on another site', 'cross-site', 'GET'],
    ['a form on another site', 'cross-site', 'POST'],
    ['a link on another host of the same site', 'same-site', 'GET'],
  ])('%s only gets a page asking to confirm: no cookie changes, nobody signed out', async (_label, site, method) => {
    // GIVEN a signed-in browser sent to the sign-out path from elsewhere
    const { invoke, lines } = setup();
    // WHEN the request arrives
    const res = await invoke(event(cognito.tokens.alice!, { site, method, path: '/_auth/signout/clear' }));
    // THEN it answers a framing-proof page whose one button posts the sign-out from this host
    expect(res.statusCode).toBe(200);
    expect(setCookies(res)).toEqual([]);
    expect(cognito.calls).toEqual([]);
    expect(res.multiValueHeaders?.['Content-Type']).toEqual(['text/html; charset=utf-8']);
    expect(res.multiValueHeaders?.['Content-Security-Policy']?.[0]).toContain("frame-ancestors 'none'");
    expect(res.multiValueHeaders?.['X-Frame-Options']).toEqual(['DENY']);
    expect((res as { body?: string }).body).toContain(`<form method="post" action="/_auth/signout"><button id="confirm"`);
    expect(lines[0]).toMatchObject({ msg: 'confirm', reason: `sec-fetch-site ${site}`, status: 200 });
  });

  test('a client without Fetch Metadata signs out here, but nobody out everywhere', async () => {
    // GIVEN a request that says nothing of where it comes from (a script, an old browser)
    const { invoke, lines } = setup();
    // WHEN it arrives with a session
    const res = await invoke(event(cognito.tokens.alice!, { site: null }));
    // THEN Cognito is not called, and the browser still goes on to clear its cookies
    expect(cognito.calls).toEqual([]);
    expect(res.multiValueHeaders?.Location).toEqual(['/_auth/signout/clear']);
    expect(lines[0]).toMatchObject({ global: 'not-same-origin' });
  });

  test('an address typed into the browser (Sec-Fetch-Site: none) signs out everywhere', async () => {
    // GIVEN a user who types the sign-out URL
    const { invoke, lines } = setup();
    // WHEN the request arrives
    await invoke(event(cognito.tokens.alice!, { site: 'none' }));
    // THEN the user is signed out everywhere
    expect(cognito.calls).toHaveLength(1);
    expect(lines[0]).toMatchObject({ global: 'revoked' });
  });

  test.each([
    ['an ID token', 'id', 'access token: token_use is id, not access'],
    ['a token of another user pool', 'otherPool', 'access token: iss is not this user pool'],
    [
      'a token of an app client outside this environment',
      'foreignClient',
      'access token: client_id is not an app client of this environment',
    ],
    ['an expired token', 'expired', 'access token: expired or no exp'],
    ['a token naming a key the pool does not have', 'unknownKey', "access token: kid is not in the user pool's JWKS"],
  ])('fails when the access token is %s: nobody is signed out everywhere', async (_label, name, reason) => {
    // GIVEN a request carrying such a token, as a client could forge the header
    const { invoke, lines } = setup();
    const token = cognito.tokens[name]!;
    // WHEN it reaches the function
    const res = await invoke(event(token));
    // THEN Cognito is not called, the browser is signed out, and the log names the reason
    expect(cognito.calls).toEqual([]);
    expect(res.statusCode).toBe(302);
    expect(lines[0]).toMatchObject({ global: 'invalid-token', globalReason: reason });
  });

  test('fails when the signature does not match: a token whose username was changed after signing', async () => {
    // GIVEN a real token whose payload was swapped for another user's
    const { invoke, lines } = setup();
    const [header, body, signature] = cognito.tokens.alice!.split('.');
    const claims = JSON.parse(Buffer.from(body!, 'base64url').toString('utf8'));
    const payload = Buffer.from(JSON.stringify({ ...claims, username: 'bob' })).toString('base64url');
    // WHEN it reaches the function
    await invoke(event(`${header}.${payload}.${signature}`));
    // THEN bob is not signed out
    expect(cognito.calls).toEqual([]);
    expect(lines[0]).toMatchObject({ global: 'invalid-token', globalReason: 'access token: bad signature' });
  });

  test('when Cognito refuses, the browser is still signed out and the log names the error', async () => {
    // GIVEN Cognito answering UserNotFoundException
    const { invoke, lines } = setup();
    cognito.answer = { status: 400, body: JSON.stringify({ __type: 'UserNotFoundException', message: 'User does not exist.' }) };
    // WHEN a signed-in user signs out
    const res = await invoke(event(cognito.tokens.alice!));
    // THEN the browser is still sent on to clear its cookies, and the failure is logged
    expect(res.multiValueHeaders?.Location).toEqual(['/_auth/signout/clear']);
    expect(lines[0]).toMatchObject({ global: 'failed', globalReason: 'AdminUserGlobalSignOut answered 400 UserNotFoundException' });
  });

  test('when Cognito does not answer in 3 s, the browser is still signed out', async () => {
    // GIVEN a Cognito that hangs
    const { invoke, lines } = setup();
    cognito.delayMs = 5000;
    // WHEN a signed-in user signs out
    const res = await invoke(event(cognito.tokens.alice!));
    // THEN the function gives up after its limit and signs the browser out
    expect(res.statusCode).toBe(302);
    expect(lines[0]).toMatchObject({ global: 'failed', globalReason: 'AdminUserGlobalSignOut took longer than 3000 ms' });
  }, 10_000);

  test('without credentials in the environment nothing is called and the browser is signed out', async () => {
    // GIVEN no role credentials
    const { invoke, lines } = setup({ credentials: () => undefined });
    // WHEN a signed-in user signs out
    const res = await invoke(event(cognito.tokens.alice!));
    // THEN
    expect(cognito.calls).toEqual([]);
    expect(res.statusCode).toBe(302);
    expect(lines[0]).toMatchObject({ global: 'failed', globalReason: 'no AWS credentials in the environment' });
  });

  test('single-value mode revokes once, then chains one shard per hop on the clear path; HEAD never revokes', async () => {
    // GIVEN a single-value target group
    const { invoke, lines } = setup();
    const token = cognito.tokens.alice!;
    // WHEN the sign-out hop, the clear path's first two hops, and a HEAD arrive
    const first = await invoke(event(token, { multi: false }));
    const clear0 = await invoke(event(undefined, { multi: false, path: '/_auth/signout/clear' }));
    await invoke(event(undefined, { multi: false, path: '/_auth/signout/clear', shard: '1' }));
    await invoke(event(token, { method: 'HEAD' }));
    // THEN only the first called Cognito, and the chain stays on the clear path
    expect(cognito.calls).toHaveLength(1);
    expect(first.headers?.Location).toBe('/_auth/signout/clear');
    expect(first.headers?.['Set-Cookie']).toBeUndefined();
    expect(clear0.headers?.Location).toBe('/_auth/signout/clear?shard=1');
    expect(lines.map((l) => l.global)).toEqual(['revoked', 'skipped', 'skipped', 'skipped']);
  });
});
