// The verifier as an HTTP service: endpoints, answers, the 403 page for ingress-nginx's error
// location, one JSON log line per request without tokens, and the `node verifier/server.js` entry point.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as api from '../../verifier/index.js';
import { errorText } from '../../verifier/log.js';
import { createServer, createVerifier, listenAddress, main } from '../../verifier/server.js';
import {
  ALICE,
  ALB_PATTERN,
  CLIENT_A,
  GRAFANA,
  ISSUER,
  type KeyServer,
  type Minted,
  mint,
  REGION,
  startKeyServer,
  testConfig,
} from './helpers';

type Reply = { status: number; headers: http.IncomingHttpHeaders; body: string };

let minted: Minted;
let keys: KeyServer;
let server: ReturnType<typeof createServer>;
let port: number;
const lines: string[] = [];

function request(p: string, headers: Record<string, string> = {}, method = 'GET', to = port): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: to, path: p, method, headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** What ingress-nginx's auth location sends for https://<host><uri>. */
const auth = (host: string, uri: string, extra: Record<string, string> = {}) => ({
  'x-original-url': `https://${host}${uri}`,
  'x-original-uri': uri,
  'x-original-method': 'GET',
  'x-request-id': 'req-1',
  ...extra,
});
const tokens = (data = 'data', access = 'access') => ({
  'x-amzn-oidc-data': minted.tokens[data],
  'x-amzn-oidc-accesstoken': minted.tokens[access],
});
const lastLog = () => JSON.parse(lines[lines.length - 1]);

beforeAll(async () => {
  minted = mint(Math.floor(Date.now() / 1000));
  keys = await startKeyServer(minted);
  server = createServer(testConfig(keys), { insecureLoopbackEndpoints: true, write: (l) => lines.push(l) });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await keys.close();
});

describe('endpoints', () => {
  test("/readyz answers 503 until the pool's keys are loaded (and starts loading them), then 200", async () => {
    // GIVEN a verifier whose JWKS is served only once asked for
    const fresh = createServer(testConfig(keys), { insecureLoopbackEndpoints: true, write: () => {} });
    await new Promise<void>((resolve) => fresh.listen(0, '127.0.0.1', resolve));
    const freshPort = (fresh.address() as AddressInfo).port;
    try {
      const jwksHits = () => keys.hits.filter((h) => h === '/jwks.json').length;
      const before = jwksHits();
      // WHEN the kubelet probes THEN not ready, and the first probe starts the download
      expect(await request('/readyz', {}, 'GET', freshPort)).toMatchObject({ status: 503, body: 'keys not loaded\n' });
      for (let i = 0; i < 50 && !fresh.verifier.ctx.jwks.loaded(); i++) await new Promise((r) => setTimeout(r, 10));
      expect(jwksHits()).toBe(before + 1);
      // THEN ready once loaded
      expect(await request('/readyz', {}, 'GET', freshPort)).toMatchObject({ status: 200, body: 'ready\n' });
    } finally {
      fresh.closeAllConnections();
      await new Promise((resolve) => fresh.close(resolve));
    }
  });

  test('/healthz answers 200 to GET and HEAD, without a log line', async () => {
    const before = lines.length;
    expect(await request('/healthz')).toMatchObject({ status: 200, body: 'ok\n', headers: { 'cache-control': 'no-store' } });
    expect(await request('/healthz', {}, 'HEAD')).toMatchObject({ status: 200, body: '' });
    expect(lines.length).toBe(before);
  });

  test('/verify allows with identity headers and logs the decision without tokens', async () => {
    const r = await request('/verify', { ...auth(GRAFANA, '/d/home?token=secret'), ...tokens() });
    expect(r).toMatchObject({ status: 200, body: '', headers: { 'x-auth-request-user': 'alice', 'x-auth-request-email': ALICE.email } });
    expect(lastLog()).toEqual({
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      level: 'info',
      msg: 'allow',
      status: 200,
      reason: 'verified',
      host: GRAFANA,
      path: '/d/home',
      method: 'GET',
      app: 'grafana',
      user: 'alice',
      requestId: 'req-1',
      ms: expect.any(Number),
    });
    expect(lines.join('\n')).not.toContain(minted.tokens.access.slice(0, 30));
    expect(lines.join('\n')).not.toContain('secret');
  });

  test('/verify denies with 401 (no redirect) or 403 with the page; HEAD gets no body', async () => {
    const none = await request('/verify', auth(GRAFANA, '/d/home'));
    expect(none).toMatchObject({ status: 401, headers: { 'content-type': 'text/html; charset=utf-8' } });
    expect(none.headers.location).toBeUndefined();
    expect(none.body).toContain('401 Unauthorized');
    expect(lastLog()).toMatchObject({
      msg: 'deny',
      status: 401,
      reason: 'x-amzn-oidc-data or x-amzn-oidc-accesstoken missing or repeated',
    });
    const bob = await request('/verify', { ...auth(GRAFANA, '/'), ...tokens('dataBob', 'accessBob') });
    expect(bob.status).toBe(403);
    expect(bob.body).toContain('<code>grafana-admins</code>');
    expect(await request('/verify', { ...auth(GRAFANA, '/'), ...tokens('dataBob', 'accessBob') }, 'HEAD')).toMatchObject({
      status: 403,
      body: '',
    });
  });

  test("/verify/<router> reads that router's headers, whatever the configured router (two routers side by side)", async () => {
    // GIVEN a verifier configured for ingress-nginx
    const traefik = { 'x-forwarded-host': GRAFANA, 'x-forwarded-uri': '/api/health', 'x-forwarded-method': 'GET' };
    // THEN Traefik's subrequest path reads X-Forwarded-*, and ingress-nginx's path X-Original-URL
    expect((await request('/verify/traefik', traefik)).status).toBe(200);
    expect((await request('/verify/ingress-nginx', auth(GRAFANA, '/api/health'))).status).toBe(200);
    // AND a client-sent X-Original-URL never makes Traefik's subrequest read as ingress-nginx's
    const forged = {
      ...auth(GRAFANA, '/api/health'),
      'x-forwarded-host': GRAFANA,
      'x-forwarded-uri': '/d/home',
      'x-forwarded-method': 'GET',
    };
    expect((await request('/verify/traefik', forged)).status).toBe(401);
    expect((await request('/verify/ingress-nginx', traefik)).status).toBe(401);
  });

  test('a request id that is not a plain token is not logged', async () => {
    await request('/verify', { ...auth(GRAFANA, '/api/health'), 'x-request-id': 'a b "c"' });
    expect(lastLog()).toMatchObject({ msg: 'allow', reason: 'public path' });
    expect(lastLog()).not.toHaveProperty('requestId');
  });

  test('headers up to 64 KB are accepted (tokens plus four session cookie shards)', async () => {
    const cookie = [0, 1, 2, 3].map((i) => `AWSELBAuthSessionCookie-${i}=${'x'.repeat(4000)}`).join('; ');
    expect((await request('/verify', { ...auth(GRAFANA, '/'), ...tokens(), cookie })).status).toBe(200);
  });

  test('every header is judged, however many: a second ALB token behind 2,100 filler headers (Traefik passes them all) is refused', async () => {
    // GIVEN raw bytes as Traefik's forwardAuth would send them: its X-Forwarded-* and every header of the request
    const send = (extra: string[]) =>
      new Promise<number>((resolve, reject) => {
        const head = [
          'GET /verify/traefik HTTP/1.1',
          'Host: verifier',
          `X-Forwarded-Host: ${GRAFANA}`,
          'X-Forwarded-Uri: /d/home',
          'X-Forwarded-Method: GET',
          `x-amzn-oidc-data: ${minted.tokens.data}`,
          `x-amzn-oidc-accesstoken: ${minted.tokens.access}`,
          ...Array.from({ length: 2100 }, (_, i) => `X-F${i}: a`),
          ...extra,
          'Connection: close',
        ];
        const socket = net.connect(port, '127.0.0.1', () => socket.write(`${head.join('\r\n')}\r\n\r\n`));
        let text = '';
        socket.on('data', (d) => (text += d));
        socket.on('error', reject);
        socket.on('close', () => resolve(Number(text.split(' ')[1])));
      });
    // WHEN a second, other user's token follows the filler THEN node still sees it, and it is refused
    expect(await send([`x-amzn-oidc-data: ${minted.tokens.dataBob}`])).toBe(401);
    expect(lastLog().reason).toBe('x-amzn-oidc-data or x-amzn-oidc-accesstoken missing or repeated');
    // AND the same flood with one copy of each is judged as usual (control)
    expect(await send([])).toBe(200);
  });

  test('anything else is 404', async () => {
    expect(await request('/verify/extra')).toMatchObject({ status: 404 });
    expect(await request('/verify/traefik/')).toMatchObject({ status: 404 });
    expect(await request('/')).toMatchObject({ status: 404 });
    expect(lastLog()).toMatchObject({ msg: 'not found', status: 404 });
  });
});

describe("the page for ingress-nginx's custom error location (X-Code)", () => {
  const errorHeaders = (code: string, extra: Record<string, string> = {}) => ({
    'x-code': code,
    host: GRAFANA,
    'x-original-uri': '/admin',
    ...extra,
  });

  test('a user outside the groups sees the page that names them', async () => {
    const r = await request('/', errorHeaders('403', tokens('dataBob', 'accessBob')));
    expect(r.status).toBe(403);
    expect(r.body).toContain('not allowed to use grafana');
    expect(lastLog()).toMatchObject({ msg: 'error page', status: 403, reason: 'user is in none of the allowed groups', user: 'bob' });
  });

  test('with a client-sent X-Routed-Host (nginx sets none in this location) the page is generic: no app or groups named', async () => {
    // Even one that agrees with Host: nginx may have routed an absolute-form request line elsewhere.
    const r = await request('/', { ...errorHeaders('403', tokens('dataBob', 'accessBob')), 'x-routed-host': GRAFANA });
    expect(r.status).toBe(403);
    expect(r.body).not.toContain('not allowed to use');
  });

  test('any other 403 (an app refusing a member) gets a generic page', async () => {
    const r = await request('/', errorHeaders('403', tokens()));
    expect(r.status).toBe(403);
    expect(r.body).toContain('403 Forbidden');
    expect(r.body).not.toContain('grafana-admins');
    const noUri = await request('/', { 'x-code': '403', host: GRAFANA, ...tokens('dataBob', 'accessBob') });
    expect(noUri.body).toContain('403 Forbidden');
  });

  test('other codes get their own generic page; nonsense codes a 404', async () => {
    expect(await request('/', errorHeaders('503'))).toMatchObject({
      status: 503,
      body: expect.stringContaining('503 Service Unavailable'),
    });
    expect(await request('/', errorHeaders('599'))).toMatchObject({ status: 599, body: expect.stringContaining('599 Error') });
    expect(await request('/', errorHeaders('200'))).toMatchObject({ status: 404 });
    expect(await request('/', errorHeaders('abc'))).toMatchObject({ status: 404 });
  });
});

describe('failures', () => {
  test('an unexpected error denies with 500 and is logged', async () => {
    const v = createVerifier(testConfig(keys), { insecureLoopbackEndpoints: true, write: (l) => lines.push(l) });
    (v.ctx.config as unknown as { publicHosts: { has: () => boolean } }).publicHosts = {
      has: () => {
        throw new Error('boom');
      },
    };
    const s = http.createServer((req, res) => void v.handle(req, res));
    await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
    const r = await request('/verify', auth(GRAFANA, '/'), 'GET', (s.address() as AddressInfo).port);
    await new Promise((resolve) => s.close(resolve));
    expect(r.status).toBe(500);
    expect(lastLog()).toMatchObject({ level: 'error', msg: 'verifier failed', error: 'boom', status: 500 });
  });

  test('an error after the answer started is logged, not answered twice', async () => {
    const v = createVerifier(testConfig(keys), { insecureLoopbackEndpoints: true, write: (l) => lines.push(l) });
    const res = {
      headersSent: false,
      setHeader: () => {
        res.headersSent = true;
        throw new Error('socket gone');
      },
      end: jest.fn(),
    };
    await v.handle({ url: '/healthz', method: 'GET', headersDistinct: {} } as never, res as never);
    expect(res.end).not.toHaveBeenCalled();
    expect(lastLog()).toMatchObject({ msg: 'verifier failed', error: 'socket gone' });
  });

  test('a request without url is treated as "/"', async () => {
    const v = createVerifier(testConfig(keys), { insecureLoopbackEndpoints: true, write: (l) => lines.push(l) });
    const res = { statusCode: 0, headersSent: false, setHeader: jest.fn(), end: jest.fn() };
    await v.handle({ method: 'GET', headersDistinct: {} } as never, res as never);
    expect(res.statusCode).toBe(404);
  });

  test('errorText shows non-Error values', () => {
    expect(errorText('plain')).toBe('plain');
    expect(errorText(new Error('e'))).toBe('e');
  });

  test('a log writer that throws never fails a request', async () => {
    const v = createVerifier(testConfig(keys), {
      insecureLoopbackEndpoints: true,
      write: () => {
        throw new Error('disk full');
      },
    });
    const res = { statusCode: 0, headersSent: false, setHeader: jest.fn(), end: jest.fn() };
    await v.handle(
      { url: '/verify', method: 'GET', headersDistinct: { 'x-original-url': [`https://${GRAFANA}/api/health`] } } as never,
      res as never,
    );
    expect(res.statusCode).toBe(200);
  });
});

describe('main and the public API', () => {
  let dir: string;
  let writes: string[];
  let spy: jest.SpyInstance;
  const config = {
    region: REGION,
    albArns: [ALB_PATTERN],
    hosts: { [GRAFANA]: { app: 'grafana', allowedGroups: ['grafana-admins'], publicPaths: ['/api/health'], forwardAccessToken: true } },
  };
  const env = () => ({
    VERIFIER_CONFIG: path.join(dir, 'config.json'),
    COGNITO_ISSUER_URL: ISSUER,
    CLIENT_IDS: CLIENT_A,
    PORT: '0',
    HOST: '127.0.0.1',
  });

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'verifier-main-'));
    fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  beforeEach(() => {
    writes = [];
    spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      writes.push(String(chunk));
      return true;
    });
  });
  afterEach(() => {
    spy.mockRestore();
    process.exitCode = undefined;
  });

  test('main listens, logs where, and closes on SIGTERM', async () => {
    const before = process.listeners('SIGTERM');
    const s = main(env());
    expect(s).toBeDefined();
    await new Promise((resolve) => s?.once('listening', resolve));
    const logged = JSON.parse(writes[0]);
    expect(logged).toMatchObject({ level: 'info', msg: 'listening', host: '127.0.0.1', router: 'ingress-nginx' });
    expect((await request('/healthz', {}, 'GET', logged.port)).status).toBe(200);
    const added = process.listeners('SIGTERM').filter((l) => !before.includes(l));
    expect(added).toHaveLength(1);
    const closed = new Promise((resolve) => s?.once('close', resolve));
    process.removeListener('SIGTERM', added[0]);
    (added[0] as () => void)();
    await closed;
  });

  test('listen address: HOST and PORT, default 0.0.0.0:8080', () => {
    expect(listenAddress({})).toEqual({ host: '0.0.0.0', port: 8080 });
    expect(listenAddress({ HOST: '127.0.0.1', PORT: '0' })).toEqual({ host: '127.0.0.1', port: 0 });
    expect(() => listenAddress({ PORT: '70000' })).toThrow('PORT = "70000": must be an integer from 0 (any free port) to 65535');
    expect(() => listenAddress({ PORT: '' })).toThrow('PORT = "": must be');
  });

  test('main without any configuration names the missing file', () => {
    expect(main()).toBeUndefined();
    expect(process.exitCode).toBe(1);
    expect(JSON.parse(writes[0]).error).toContain('does not exist (set VERIFIER_CONFIG to its path)');
  });

  test('createVerifier without options: production endpoints only', () => {
    const v = createVerifier({ ...config, issuer: ISSUER, clientIds: [CLIENT_A] });
    expect(v.config.albKeyEndpoint).toBe(`https://public-keys.auth.elb.${REGION}.amazonaws.com`);
    expect(() => createVerifier(testConfig(keys))).toThrow('albKeyEndpoint');
  });

  test('main refuses a bad configuration or port with exit code 1 and the problems', () => {
    expect(main({ ...env(), CLIENT_IDS: 'bad id' })).toBeUndefined();
    expect(process.exitCode).toBe(1);
    expect(JSON.parse(writes[0])).toMatchObject({
      level: 'error',
      msg: 'configuration refused',
      error: expect.stringContaining('clientIds (env CLIENT_IDS)[0] = "bad id"'),
    });
    process.exitCode = undefined;
    expect(main({ ...env(), PORT: 'http' })).toBeUndefined();
    expect(process.exitCode).toBe(1);
    expect(JSON.parse(writes[1]).error).toContain('PORT = "http": must be an integer from 0 (any free port) to 65535');
  });

  test('`node verifier/server.js` runs as is', async () => {
    spy.mockRestore();
    const child = spawn(process.execPath, [path.resolve(__dirname, '../../verifier/server.js')], {
      env: { ...process.env, ...env() },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const line = await new Promise<string>((resolve) => child.stdout.once('data', (d) => resolve(String(d))));
    const { port: childPort } = JSON.parse(line);
    expect((await request('/healthz', {}, 'GET', childPort)).body).toBe('ok\n');
    const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  test('index.js exports the public API', () => {
    expect(
      Object.keys(api)
        .filter((k) => k !== 'default')
        .sort(),
    ).toEqual([
      'ConfigError',
      'HEALTH_PATH',
      'RESPONSE_HEADERS',
      'VERIFY_PATH',
      'createServer',
      'createVerifier',
      'ingressNginxSettings',
      'loadConfig',
      'main',
      'traefikForwardAuth',
      'validateConfig',
    ]);
    expect([api.HEALTH_PATH, api.VERIFY_PATH]).toEqual(['/healthz', '/verify']);
  });
});
