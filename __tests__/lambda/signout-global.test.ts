import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { globalSignOut, isAccessToken } from '../../lambda/signout/global.js';
import { createHandler } from '../../lambda/signout/index.js';

const TOKEN = 'aGVhZGVy.cGF5bG9hZA.c2lnbmF0dXJl';

/** A stand-in Cognito API answering each request with the next of `answers`; `hang` never answers. */
async function standIn(answers: Array<[number, string] | 'hang'>): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    req.resume();
    const next = answers.shift() ?? [200, '{}'];
    if (next === 'hang') return;
    res.writeHead(next[0], { 'Content-Type': 'application/x-amz-json-1.1' }).end(next[1]);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}

describe('GlobalSignOut', () => {
  test('names the outcome: revoked, Cognito’s error type, the HTTP status, or a timeout', async () => {
    const api = await standIn([
      [200, '{}'],
      [400, '{"__type":"NotAuthorizedException","message":"Access Token has been revoked"}'],
      [500, 'oops'],
      'hang',
    ]);
    try {
      expect(await globalSignOut(api.url, TOKEN)).toBe('revoked');
      expect(await globalSignOut(api.url, TOKEN)).toBe('failed (NotAuthorizedException)');
      expect(await globalSignOut(api.url, TOKEN)).toBe('failed (HTTP 500)');
      expect(await globalSignOut(api.url, TOKEN, { timeoutMs: 100 })).toBe('failed (timeout)');
    } finally {
      await api.close();
    }
    expect(await globalSignOut('http://127.0.0.1:9/', TOKEN)).toMatch(/^failed \(/);
  });

  test('only a compact JWS counts as an access token', () => {
    expect([TOKEN, 'a.b', 'a.b.c.d', 'a b.c.d', `${'a'.repeat(16384)}.b.c`, undefined].map(isAccessToken)).toEqual([
      true,
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});

describe('the sign-out handler with GlobalSignOut', () => {
  const config = (idpEndpoint?: string) => ({
    cookieName: 'AWSELBAuthSessionCookie',
    shardCount: 2,
    signoutPath: '/_auth/signout',
    hosts: { 'app.example.com': { client: 0, logoutUri: 'https://app.example.com/' } },
    defaultHost: 'app.example.com',
    logoutEndpoint: 'https://login.example.com/logout',
    clientIds: ['1example23456789abcdefghij'],
    ...(idpEndpoint ? { idpEndpoint } : {}),
  });
  const event = (token?: string) => ({
    requestContext: { elb: { targetGroupArn: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/sgo/0123456789abcdef' } },
    httpMethod: 'GET',
    path: '/_auth/signout',
    multiValueQueryStringParameters: {},
    multiValueHeaders: { host: ['app.example.com'], ...(token ? { 'x-amzn-oidc-accesstoken': [token] } : {}) },
    body: '',
    isBase64Encoded: false,
  });

  test('signs the browser out whatever GlobalSignOut answers, and logs the outcome (never the token)', async () => {
    const api = await standIn([[400, '{"__type":"NotAuthorizedException"}']]);
    const lines: string[] = [];
    try {
      const handler = createHandler(config(api.url), { allowInsecureLocalhost: true, log: (l) => lines.push(l) });
      const failed = (await handler(event(TOKEN))) as { statusCode: number };
      expect(failed.statusCode).toBe(302);
      const revoked = (await handler(event(TOKEN))) as { statusCode: number };
      expect(revoked.statusCode).toBe(302);
      await handler(event());
      await handler(event('not-a-token'));
    } finally {
      await api.close();
    }
    expect(lines.map((l) => JSON.parse(l).global)).toEqual(['failed (NotAuthorizedException)', 'revoked', 'no session', 'no session']);
    expect(lines.join('\n')).not.toContain(TOKEN);
  });

  test('without an endpoint it only signs the browser out', async () => {
    const lines: string[] = [];
    const handler = createHandler(config(), { log: (l) => lines.push(l) });
    expect(((await handler(event(TOKEN))) as { statusCode: number }).statusCode).toBe(302);
    expect(JSON.parse(lines[0]!).global).toBe('off');
  });

  test('fails when the endpoint is not https', () => {
    expect(() => createHandler(config('http://cognito-idp.eu-west-1.amazonaws.com/'))).toThrow(
      'idpEndpoint (env COGNITO_IDP_ENDPOINT) = "http://cognito-idp.eu-west-1.amazonaws.com/": must be an absolute https URL without credentials, query or fragment, such as https://cognito-idp.eu-west-1.amazonaws.com/',
    );
  });
});
