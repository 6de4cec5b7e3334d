// The smoke check's HTTP client on its own: where it refuses to go, what it retries, how long it
// waits, and that a redirect is an answer, never followed. Plain HTTP servers on 127.0.0.1.
import * as http from 'http';
import type { AddressInfo } from 'net';
import { createProber, NoAnswer, RefusedHost } from '../../../scripts/smoke/http';

const HOST = 'app.dev.example.com';
let server: http.Server;
let port: number;
/** Answers by path: `/flaky` 503 until its third request, `/slow` never, `/redirect` 302 elsewhere. */
const seen: string[] = [];

beforeAll(async () => {
  let flaky = 0;
  server = http.createServer((req, res) => {
    seen.push(`${req.headers.host} ${req.url}`);
    if (req.url === '/flaky') res.writeHead(++flaky < 3 ? 503 : 200).end();
    else if (req.url === '/gone') res.writeHead(404).end();
    else if (req.url === '/redirect') res.writeHead(302, { location: 'https://evil.example.net/' }).end();
    else if (req.url !== '/slow') res.writeHead(200).end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});
beforeEach(() => {
  seen.length = 0;
});

const prober = (overrides: { retries?: number; timeoutMs?: number; port?: number } = {}) =>
  createProber({
    allowedHosts: new Set([HOST]),
    resolve: () => ({ address: '127.0.0.1', port: overrides.port ?? port }),
    timeoutMs: overrides.timeoutMs ?? 2000,
    retries: overrides.retries ?? 2,
    backoffMs: 1,
  });

describe('the smoke check HTTP client', () => {
  test("refuses a host that is neither the environment's nor its Cognito domain, before any socket opens", async () => {
    const p = prober();
    await expect(p.fetch({ url: 'http://evil.example.net/' })).rejects.toThrow(
      new RefusedHost('refused to contact evil.example.net: neither a host of this environment nor its Cognito domain'),
    );
    await expect(p.certificate('evil.example.net')).rejects.toBeInstanceOf(RefusedHost);
    p.close();
    expect(seen).toEqual([]);
  });

  test('sends the real host name as Host, and returns a redirect without following it', async () => {
    const p = prober();
    const answer = await p.fetch({ url: `http://${HOST}/redirect` });
    p.close();
    expect([answer.status, answer.headers.location]).toEqual([302, 'https://evil.example.net/']);
    expect(seen).toEqual([`${HOST} /redirect`]);
  });

  test('retries a 5xx with backoff, and a 4xx never', async () => {
    const p = prober();
    expect((await p.fetch({ url: `http://${HOST}/flaky` })).status).toBe(200);
    expect((await p.fetch({ url: `http://${HOST}/gone` })).status).toBe(404);
    p.close();
    expect(seen).toEqual([`${HOST} /flaky`, `${HOST} /flaky`, `${HOST} /flaky`, `${HOST} /gone`]);
  });

  test('gives up on a refused connection after its retries, and on silence after its timeout', async () => {
    // GIVEN a port nothing listens on, and a server that never answers /slow
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadPort = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    // WHEN each is asked
    const refused = prober({ port: deadPort }).fetch({ url: `http://${HOST}/` });
    const slow = prober({ retries: 0, timeoutMs: 100 });
    const started = Date.now();
    // THEN each is one NoAnswer naming why and how often it tried
    await expect(refused).rejects.toEqual(new NoAnswer('ECONNREFUSED', 3));
    await expect(refused).rejects.toHaveProperty('message', 'ECONNREFUSED after 3 attempts');
    await expect(slow.fetch({ url: `http://${HOST}/slow` })).rejects.toHaveProperty('message', 'ETIMEDOUT');
    expect(Date.now() - started).toBeLessThan(1500);
    slow.close();
  });
});
