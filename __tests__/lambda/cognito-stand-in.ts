// A local stand-in for the two Cognito endpoints the sign-out function calls: the pool's JWKS
// and the cognito-idp JSON API. The API half checks each request's SigV4 signature with the AWS
// SDK's own signer (@smithy/signature-v4), so the function's hand-written signing is proven
// against the reference implementation, not against itself. Tokens are minted with jose by the
// verifier tests' mint.js (a child process: jose is ESM-only).
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { execFileSync } from 'node:child_process';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';

export const REGION = 'eu-west-1';
export const POOL_ID = 'eu-west-1_Example12';
export const ISSUER = `https://cognito-idp.${REGION}.amazonaws.com/${POOL_ID}`;
export const KID = 'stand-in-key-1';
/** The Lambda role's credentials as the runtime gives them (all three are set for a role). */
export const CREDENTIALS = {
  accessKeyId: 'ASIAEXAMPLEKEY123456',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKEN//////////wEaCWV1LXdlc3QtMSJHMEUCIQ==',
};

/** One request the API half received, as the test asserts it. */
export interface ApiCall {
  readonly method: string;
  readonly path: string;
  readonly target: string | undefined;
  readonly contentType: string | undefined;
  readonly body: unknown;
  /** What the AWS SDK's signer computes for the same signed headers, date and body. */
  readonly expectedAuthorization: string;
  readonly authorization: string | undefined;
}

export interface CognitoStandIn {
  readonly origin: string;
  readonly jwksUrl: string;
  readonly calls: ApiCall[];
  /** The next API answers: status and body; default 200 `{}`. */
  answer: { status: number; body: string };
  /** Delay before answering, for the timeout case. */
  delayMs: number;
  /** The tokens asked for at start, by name. */
  readonly tokens: Readonly<Record<string, string>>;
  close(): Promise<void>;
}

async function expectedAuthorization(req: http.IncomingMessage, body: string, url: URL): Promise<string> {
  const authorization = req.headers.authorization ?? '';
  const signed = /SignedHeaders=([^,]+)/.exec(authorization)?.[1]?.split(';') ?? [];
  const date = String(req.headers['x-amz-date'] ?? '');
  const signingDate = new Date(
    `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T${date.slice(9, 11)}:${date.slice(11, 13)}:${date.slice(13, 15)}Z`,
  );
  // The SDK adds x-amz-date and the session token itself; every other header the client signed is given.
  const headers: Record<string, string> = {};
  for (const name of signed) {
    if (name !== 'x-amz-date' && name !== 'x-amz-security-token') headers[name] = String(req.headers[name] ?? '');
  }
  const signer = new SignatureV4({
    service: 'cognito-idp',
    region: REGION,
    credentials: CREDENTIALS,
    sha256: Hash.bind(null, 'sha256'),
    applyChecksum: false,
  });
  const out = await signer.sign(
    {
      method: req.method ?? '',
      protocol: 'http:',
      hostname: url.hostname,
      port: Number(url.port),
      path: url.pathname,
      query: {},
      headers,
      body,
    },
    { signingDate },
  );
  return String(out.headers.authorization);
}

/** What a token differs in from a Cognito access token of alice (claims from the Cognito token docs). */
export interface TokenChange {
  readonly claims?: Record<string, unknown>;
  /** A kid the JWKS does not hold; the token is still signed with the pool's key. */
  readonly kid?: string;
  /** Seconds from now; negative for an expired token. @default 3600 */
  readonly expiresIn?: number;
}

/** An access token as Cognito issues it to the ALB's app client. */
export function accessClaims(now: number, change: TokenChange = {}): Record<string, unknown> {
  return {
    sub: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
    'cognito:groups': ['grafana-viewers'],
    iss: ISSUER,
    client_id: '1example23456789abcdefghij',
    origin_jti: 'bbbbbbbb-cccc-dddd-eeee-ffffffffffff',
    event_id: 'cccccccc-dddd-eeee-ffff-000000000000',
    token_use: 'access',
    scope: 'openid email',
    auth_time: now - 60,
    iat: now - 60,
    exp: now + (change.expiresIn ?? 3600),
    jti: 'dddddddd-eeee-ffff-0000-111111111111',
    username: 'EntraID_alice@example.com',
    ...change.claims,
  };
}

export async function startCognitoStandIn(tokens: Readonly<Record<string, TokenChange>> = {}): Promise<CognitoStandIn> {
  const now = Math.floor(Date.now() / 1000);
  const request = {
    keys: [{ name: 'pool', alg: 'RS256', kid: KID }],
    tokens: Object.fromEntries(
      Object.entries(tokens).map(([name, change]) => [
        name,
        { key: 'pool', header: { alg: 'RS256', kid: change.kid ?? KID }, payload: accessClaims(now, change) },
      ]),
    ),
  };
  const mintJs = path.join(__dirname, '..', 'verifier', 'mint.js');
  const minted = JSON.parse(execFileSync(process.execPath, [mintJs], { input: JSON.stringify(request), encoding: 'utf8' })) as {
    keys: Record<string, { jwk: Record<string, unknown> }>;
    tokens: Record<string, string>;
  };
  const jwk = minted.keys.pool!.jwk;
  const calls: ApiCall[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const state = { answer: { status: 200, body: '{}' }, delayMs: 0 };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
      if (req.method === 'GET' && url.pathname === '/jwks.json') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
        return;
      }
      const body = Buffer.concat(chunks).toString('utf8');
      void expectedAuthorization(req, body, url).then((expected) => {
        let parsed: unknown;
        try {
          parsed = JSON.parse(body);
        } catch {
          parsed = body;
        }
        calls.push({
          method: req.method ?? '',
          path: url.pathname,
          target: req.headers['x-amz-target'] as string | undefined,
          contentType: req.headers['content-type'],
          body: parsed,
          expectedAuthorization: expected,
          authorization: req.headers.authorization,
        });
        const timer = setTimeout(() => {
          timers.delete(timer);
          if (!res.destroyed) res.writeHead(state.answer.status, { 'content-type': 'application/x-amz-json-1.1' }).end(state.answer.body);
        }, state.delayMs);
        timers.add(timer);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    origin,
    jwksUrl: `${origin}/jwks.json`,
    calls,
    get answer() {
      return state.answer;
    },
    set answer(value) {
      state.answer = value;
    },
    get delayMs() {
      return state.delayMs;
    },
    set delayMs(value) {
      state.delayMs = value;
    },
    tokens: minted.tokens,
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
