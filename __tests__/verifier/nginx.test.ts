// End to end behind Debian's nginx, configured as ingress-nginx renders global external auth
// (nginx.tmpl, controller-v1.14.1) from the settings the verifier exports: auth_request to the
// verifier, identity headers copied by auth_request_set + proxy_set_header, the 403 page through
// the custom-http-errors location, and an echo upstream that shows what the app receives.
import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { ingressNginxSettings } from '../../verifier/ingress-nginx.js';
import { available as hasPrerequisite } from '../prerequisites';
import { createServer } from '../../verifier/server.js';
import { ALICE, GRAFANA, type KeyServer, type Minted, mint, STATUS, startKeyServer, testConfig, WIKI } from './helpers';

const NGINX = '/usr/sbin/nginx';
// Missing, it is skipped and the run's last line says so (scripts/test/skipped-reporter.js).
const available = hasPrerequisite('nginx');

type Reply = { status: number; headers: http.IncomingHttpHeaders; body: string };

let minted: Minted;
let keys: KeyServer;
let verifier: ReturnType<typeof createServer>;
let upstream: http.Server;
let nginx: ChildProcess;
let nginxPort: number;
let dir: string;
const logLines: string[] = [];
let nginxOutput = '';

const listen = async (server: http.Server | net.Server) => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
};

async function freePort(): Promise<number> {
  const probe = net.createServer();
  const port = await listen(probe);
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** A host whose public path is a suffix pattern, the shape path tricks aim at. */
const SHOP = 'shop.dev.example.com';
/** One server block per Ingress host, as ingress-nginx renders them, and its default server. */
const SERVERS = [GRAFANA, WIKI, STATUS, SHOP];

/** The parts of ingress-nginx's nginx.conf that global external auth produces, one server per host. */
function nginxConf(port: number, verifierPort: number, upstreamPort: number): string {
  const settings = ingressNginxSettings({ namespace: 'central-auth', service: 'verifier', port: verifierPort });
  const { config } = settings;
  const verifierUrl = config['global-auth-url'].replace(/^http:\/\/[^/]+/, `http://127.0.0.1:${verifierPort}`);
  const responseHeaders = config['global-auth-response-headers']
    .split(',')
    .flatMap((h, i) => [
      `auth_request_set $authHeader${i} $upstream_http_${h.toLowerCase().replace(/-/g, '_')};`,
      `proxy_set_header '${h}' $authHeader${i};`,
    ]);
  const codes = (config['custom-http-errors'] ?? '').split(',').filter(Boolean);
  // nginx.tmpl writes global-auth-snippet inside the auth location, after its proxy_set_header lines.
  const authSnippet = config['global-auth-snippet'] ?? '';
  const t = (name: string) => `${name}_temp_path ${path.join(dir, name)};`;
  return `daemon off;
master_process off;
pid ${path.join(dir, 'nginx.pid')};
error_log ${path.join(dir, 'error.log')} warn;
events { worker_connections 64; }
http {
  access_log off;
  ${['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(t).join('\n  ')}
  # helm-values/ingress-nginx.yaml: large-client-header-buffers, proxy-buffer-size
  large_client_header_buffers 4 32k;
  proxy_buffer_size 32k;
  proxy_buffers 4 32k;
  ${config['disable-proxy-intercept-errors'] === 'true' ? '# disable-proxy-intercept-errors: no proxy_intercept_errors' : 'proxy_intercept_errors on;'}
  ${codes.map((c) => `error_page ${c} = @custom_upstream-default-backend_${c};`).join('\n  ')}
  server {
    listen 127.0.0.1:${port} default_server;
    server_name _;
    location / { return 404; }
  }
  ${SERVERS.map((name) => serverBlock(name)).join('\n  ')}
}
`;

  function serverBlock(name: string): string {
    // lua_ingress.lua with use-forwarded-headers (helm-values/ingress-nginx.yaml): $best_http_host is
    // the first X-Forwarded-Host from a trusted address (the ALB's, which passes a client's copy on),
    // else $http_host; nginx.tmpl sends it to the app as Host and to the error location.
    return `server {
    listen 127.0.0.1:${port};
    server_name ${name};
    set $best_http_host $http_host;
    if ($http_x_forwarded_host ~ "^([^,]+)") { set $best_http_host $1; }
    ${codes
      .map(
        (c) => `location @custom_upstream-default-backend_${c} {
      internal;
      proxy_intercept_errors off;
      proxy_set_header X-Code ${c};
      proxy_set_header X-Format $http_accept;
      proxy_set_header X-Original-URI $request_uri;
      proxy_set_header Host $best_http_host;
      rewrite (.*) / break;
      proxy_pass http://127.0.0.1:${verifierPort};
    }`,
      )
      .join('\n    ')}
    location = /_external-auth-Lw-Prefix {
      internal;
      access_log off;
      proxy_pass_request_body off;
      proxy_set_header Content-Length "";
      proxy_set_header X-Forwarded-Proto "";
      proxy_set_header X-Request-ID $request_id;
      proxy_method ${config['global-auth-method']};
      proxy_set_header X-Original-URI $request_uri;
      proxy_set_header X-Scheme $scheme;
      proxy_set_header Host verifier.central-auth.svc.cluster.local;
      proxy_set_header X-Original-URL $scheme://$http_host$request_uri;
      proxy_set_header X-Original-Method $request_method;
      proxy_set_header X-Sent-From "nginx-ingress-controller";
      proxy_set_header X-Real-IP $remote_addr;
      proxy_set_header X-Forwarded-For $remote_addr;
      proxy_set_header X-Auth-Request-Redirect $request_uri;
      proxy_buffering off;
      proxy_pass_request_headers on;
      proxy_http_version 1.1;
      ${authSnippet}
      set $target ${verifierUrl};
      proxy_pass $target;
    }
    location / {
      auth_request /_external-auth-Lw-Prefix;
      auth_request_set $auth_cookie $upstream_http_set_cookie;
      add_header Set-Cookie $auth_cookie;
      ${responseHeaders.join('\n      ')}
      proxy_set_header Host $best_http_host;
      proxy_pass http://127.0.0.1:${upstreamPort};
    }
  }`;
  }
}

async function waitForPort(port: number, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline || nginx.exitCode !== null) throw new Error(`nginx did not start: ${nginxOutput}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function request(host: string, uri: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: nginxPort, path: uri, headers: { host, ...headers }, agent: false, timeout: 5000 },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${uri} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

/**
 * Raw bytes to nginx, as an attacker writes them (http.request would normalize the request line
 * and the headers first); the status and body of the answer.
 */
function raw(lines: string[]): Promise<Reply> {
  return new Promise((resolve, reject) => {
    // write, not end: nginx takes a half-closed client for gone and drops the request (499).
    const socket = net.connect(nginxPort, '127.0.0.1', () => socket.write(`${[...lines, 'Connection: close'].join('\r\n')}\r\n\r\n`));
    let text = '';
    socket.setEncoding('latin1');
    socket.setTimeout(5000, () => socket.destroy(new Error('raw request timed out')));
    socket.on('data', (d) => (text += d));
    socket.on('error', reject);
    socket.on('close', () => {
      const [head = '', ...rest] = text.split('\r\n\r\n');
      let body = rest.join('\r\n\r\n');
      if (/^transfer-encoding: chunked$/im.test(head)) {
        let out = '';
        for (let at = 0; ; ) {
          const eol = body.indexOf('\r\n', at);
          const size = Number.parseInt(body.slice(at, eol), 16);
          if (!(size > 0)) break;
          out += body.slice(eol + 2, eol + 2 + size);
          at = eol + 2 + size + 2;
        }
        body = out;
      }
      resolve({ status: Number(head.split(' ')[1]), headers: {}, body });
    });
  });
}

/** What the app received, from the echo upstream's body. */
const received = (r: Reply) => JSON.parse(r.body).headers as Record<string, string>;
const tokens = (data = 'data', access = 'access') => ({
  'x-amzn-oidc-data': minted.tokens[data],
  'x-amzn-oidc-accesstoken': minted.tokens[access],
});
const FORGED_IDENTITY = {
  'x-auth-request-user': 'mallory',
  'x-auth-request-email': 'mallory@example.com',
  'x-auth-request-groups': 'grafana-admins',
  'x-auth-request-access-token': 'forged',
};

(available ? describe : describe.skip)('verifier behind nginx auth_request (ingress-nginx global auth)', () => {
  beforeAll(async () => {
    minted = mint(Math.floor(Date.now() / 1000));
    keys = await startKeyServer(minted);
    const config = testConfig(keys, {}, { [SHOP]: { app: 'shop', allowedGroups: [], publicPaths: ['/*.css'] } });
    verifier = createServer(config, { insecureLoopbackEndpoints: true, write: (l) => logLines.push(l) });
    const verifierPort = await listen(verifier);
    // The app sees the same large headers as the verifier (node's default limit is 16 KB).
    upstream = http.createServer({ maxHeaderSize: 65536 }, (req, res) => {
      res.statusCode = req.url === '/app-403' ? 403 : 200;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ url: req.url, headers: req.headers }));
    });
    const upstreamPort = await listen(upstream);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'verifier-nginx-'));
    nginxPort = await freePort();
    fs.writeFileSync(path.join(dir, 'nginx.conf'), nginxConf(nginxPort, verifierPort, upstreamPort));
    nginx = spawn(NGINX, ['-p', dir, '-c', 'nginx.conf', '-e', path.join(dir, 'error.log')], { stdio: ['ignore', 'pipe', 'pipe'] });
    nginx.stdout?.on('data', (d) => (nginxOutput += d));
    nginx.stderr?.on('data', (d) => (nginxOutput += d));
    await waitForPort(nginxPort, 5000);
  });

  afterAll(async () => {
    if (nginx !== undefined && nginx.exitCode === null) {
      const exited = new Promise((resolve) => nginx.once('exit', resolve));
      nginx.kill('SIGTERM');
      await exited;
    }
    for (const s of [verifier, upstream]) {
      if (s === undefined) continue;
      s.closeAllConnections();
      await new Promise((resolve) => s.close(resolve));
    }
    await keys?.close();
    if (dir !== undefined) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('no token: 401 from nginx, nothing reaches the app', async () => {
    const r = await request(GRAFANA, '/d/home');
    expect(r.status).toBe(401);
    expect(r.body).not.toContain('"headers"');
  });

  test.each([
    ['a forged ALB signature', 'dataForged', 'access'],
    ["another pool's access token", 'data', 'accessOtherPool'],
    ['an ID token instead of an access token', 'data', 'idToken'],
    ['an expired access token', 'data', 'accessExpired'],
    ['expired ALB data', 'dataExpired', 'access'],
    ["another environment's ALB as signer", 'dataOtherSigner', 'access'],
    ['an app client outside the environment (ALB data)', 'dataForeignClient', 'access'],
    ['an app client outside the environment (access token)', 'data', 'accessForeignClient'],
  ])('%s: 401', async (_name, data, access) => {
    expect((await request(GRAFANA, '/d/home', tokens(data, access))).status).toBe(401);
  });

  test('a signed-in user outside the allowed groups: 403 with the page naming the app and groups', async () => {
    const r = await request(GRAFANA, '/admin', tokens('dataBob', 'accessBob'));
    expect(r.status).toBe(403);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.body).toContain('not allowed to use grafana');
    expect(r.body).toContain('<code>grafana-admins</code>');
    expect(r.body).toContain(`href="https://${GRAFANA}/_auth/signout"`);
  });

  test('a signed-in user inside the groups: 200, verified identity headers replace the forged ones', async () => {
    const r = await request(GRAFANA, '/d/home?orgId=1', { ...FORGED_IDENTITY, ...tokens(), 'x-amzn-oidc-identity': ALICE.sub });
    expect(r.status).toBe(200);
    const h = received(r);
    expect(JSON.parse(r.body).url).toBe('/d/home?orgId=1');
    expect(h).toMatchObject({
      'x-auth-request-user': 'alice',
      'x-auth-request-email': ALICE.email,
      'x-auth-request-groups': 'grafana-admins,wiki-editors',
      'x-auth-request-access-token': minted.tokens.access,
      'x-amzn-oidc-accesstoken': minted.tokens.access,
      'x-amzn-oidc-data': minted.tokens.data,
      'x-amzn-oidc-identity': ALICE.sub,
    });
  });

  test("on a host that does not forward tokens, the app gets neither the ALB's headers nor forged ones", async () => {
    const r = await request(WIKI, '/page', { ...FORGED_IDENTITY, ...tokens('data', 'accessNoGroups'), 'x-amzn-oidc-identity': ALICE.sub });
    expect(r.status).toBe(200);
    const h = received(r);
    expect(h['x-auth-request-user']).toBe('alice');
    for (const name of [
      'x-auth-request-groups',
      'x-auth-request-access-token',
      'x-amzn-oidc-accesstoken',
      'x-amzn-oidc-data',
      'x-amzn-oidc-identity',
    ]) {
      expect(h).not.toHaveProperty(name);
    }
  });

  test('a public path: 200 without a token, and client-sent identity headers are dropped', async () => {
    const r = await request(GRAFANA, '/api/health', { ...FORGED_IDENTITY, 'x-amzn-oidc-accesstoken': 'forged' });
    expect(r.status).toBe(200);
    const h = received(r);
    for (const name of [...Object.keys(FORGED_IDENTITY), 'x-amzn-oidc-accesstoken']) expect(h).not.toHaveProperty(name);
  });

  test.each([
    '/public/..%2Fadmin',
    '/public/%2e%2e/admin',
    '/public/..;/admin',
  ])('%s: 401, even though it starts like a public path', async (uri) => {
    expect((await request(GRAFANA, uri)).status).toBe(401);
  });

  test('the ALB session cookie shards and both tokens fit (the auth request carries every header)', async () => {
    const cookie = [0, 1, 2, 3].map((i) => `AWSELBAuthSessionCookie-${i}=${'x'.repeat(4000)}`).join('; ');
    expect((await request(GRAFANA, '/d/home', { ...tokens(), cookie })).status).toBe(200);
  });

  test("an app's own 403 reaches the client unchanged (upstream errors are not intercepted)", async () => {
    const r = await request(GRAFANA, '/app-403', tokens());
    expect(r.status).toBe(403);
    expect(JSON.parse(r.body).url).toBe('/app-403');
  });

  describe('one view of host and path (the router and the verifier judge the same request)', () => {
    const signedIn = () => Object.entries(tokens()).map(([k, v]) => `${k}: ${v}`);

    test.each([
      ['the public host in Host, a protected one in the request line', `GET http://${GRAFANA}/d/home HTTP/1.1`, STATUS],
      ['the same with a port', `GET http://${GRAFANA}:443/d/home HTTP/1.1`, STATUS],
      ['a protected host in Host, another in the line, signed in', `GET http://${SHOP}/orders HTTP/1.1`, GRAFANA],
    ])('%s: 401, and the app sees nothing', async (_what, line, host) => {
      // GIVEN an absolute-form request line whose host nginx routes on, and another Host header
      const r = await raw([line, `Host: ${host}`, ...signedIn()]);
      // THEN the verifier judges the routed host, sees two hosts, and refuses
      expect(r.status).toBe(401);
      expect(r.body).not.toContain('"headers"');
    });

    test('controls: an absolute-form line that agrees with Host is judged as usual', async () => {
      expect((await raw([`GET http://${GRAFANA}/d/home HTTP/1.1`, `Host: ${GRAFANA}`, ...signedIn()])).status).toBe(200);
      expect((await raw([`GET http://${STATUS}/ HTTP/1.1`, `Host: ${STATUS}`])).status).toBe(200);
      expect((await raw([`GET http://${GRAFANA}/d/home HTTP/1.1`, `Host: ${GRAFANA}`])).status).toBe(401);
    });

    test.each([
      ['X-Forwarded-Host, which ingress-nginx sends the app as its Host', `X-Forwarded-Host: ${GRAFANA}`, STATUS],
      ['X-Original-URL, which some apps route by', 'X-Original-URL: /admin', SHOP],
      ['X-Rewrite-URL, likewise', 'X-Rewrite-URL: /admin', SHOP],
      ['Forwarded with a host', `Forwarded: host=${GRAFANA}`, STATUS],
    ])('a client header that renames the request (%s): 401, and the app sees nothing', async (_what, header, host) => {
      const r = await raw([`GET /site.css HTTP/1.1`, `Host: ${host}`, header]);
      expect(r.status).toBe(401);
      expect(r.body).not.toContain('"headers"');
    });

    test.each([
      ['/admin;.css', 'path parameters, which servlet containers drop'],
      ['/admin;jsessionid=1.css', 'the same'],
      ['/admin#.css', 'a raw "#", where the app cuts the path'],
      ['/admin%3B.css', 'an encoded ";"'],
      ['/admin%23.css', 'an encoded "#"'],
      ['/admin%3F.css', 'an encoded "?"'],
      ['//admin.css', 'an empty segment nginx and apps merge'],
      ['/%C0%AEadmin.css', 'an overlong UTF-8 escape'],
    ])('%s (%s) never makes a protected path public through the "/*.css" pattern: 401', async (path) => {
      const r = await raw([`GET ${path} HTTP/1.1`, `Host: ${SHOP}`]);
      expect(r.status).toBe(401);
      expect(r.body).not.toContain('"headers"');
    });

    test('control: a real stylesheet is public', async () => {
      const r = await raw([`GET /site.css HTTP/1.1`, `Host: ${SHOP}`]);
      expect([r.status, JSON.parse(r.body).url]).toEqual([200, '/site.css']);
    });

    test('a second ALB token behind 2,500 filler headers never reaches the app: nginx refuses the flood itself', async () => {
      // nginx answers "client sent too many header lines" (400) long before node's 2,000; behind
      // Traefik, which passes them all, the verifier sees every copy (server.test.ts).
      const filler = Array.from({ length: 2500 }, (_, i) => `X-F${i}: a`);
      const [data, access] = signedIn();
      const r = await raw([
        `GET /d/home HTTP/1.1`,
        `Host: ${GRAFANA}`,
        data!,
        access!,
        ...filler,
        `x-amzn-oidc-data: ${minted.tokens.dataBob}`,
      ]);
      expect(r.status).toBe(400);
      expect(r.body).not.toContain('"headers"');
    });

    test('claims with spaces at either end reach the app percent-encoded: decoding gives the verified value byte for byte', async () => {
      const r = await request(WIKI, '/page', tokens('dataSpaced', 'accessSpaced'));
      expect(r.status).toBe(200);
      const h = received(r);
      expect([h['x-auth-request-user'], h['x-auth-request-email']]).toEqual(['%20alice%09', '%20alice%40example.com']);
      expect([decodeURIComponent(h['x-auth-request-user']!), decodeURIComponent(h['x-auth-request-email']!)]).toEqual([
        ' alice\t',
        ' alice@example.com',
      ]);
    });
  });

  test('the verifier logged one JSON line per decision and never a token', () => {
    const entries = logLines.map((l) => JSON.parse(l));
    expect(entries.length).toBeGreaterThanOrEqual(15);
    expect(entries.every((e) => typeof e.time === 'string' && typeof e.msg === 'string')).toBe(true);
    expect(entries.filter((e) => e.msg === 'allow').map((e) => e.reason)).toContain('verified');
    for (const token of Object.values(minted.tokens)) expect(logLines.join('\n')).not.toContain(token.slice(0, 40));
  });
});

describe('the ingress-nginx settings the cluster stack applies', () => {
  test("ConfigMap keys and controller arguments; the one snippet is the ConfigMap's own (Ingress snippets stay off)", () => {
    const s = ingressNginxSettings({ namespace: 'central-auth', service: 'verifier', port: 8080 });
    expect(s.config).toEqual({
      'global-auth-url': 'http://verifier.central-auth.svc.cluster.local:8080/verify/ingress-nginx',
      'global-auth-method': 'GET',
      'global-auth-response-headers':
        'X-Auth-Request-User,X-Auth-Request-Email,X-Auth-Request-Groups,X-Auth-Request-Access-Token,X-Auth-Request-Client-Id,X-Auth-Request-Scopes,X-Amzn-Oidc-Accesstoken,X-Amzn-Oidc-Data,X-Amzn-Oidc-Identity',
      'global-auth-snippet': 'proxy_set_header X-Routed-Host $host; proxy_set_header X-Client-Original-Url $http_x_original_url;',
      'custom-http-errors': '403',
      'disable-proxy-intercept-errors': 'true',
    });
    expect(s.extraArgs).toEqual({ 'default-backend-service': 'central-auth/verifier' });
    expect(s.strippedRequestHeaders).toHaveLength(9);
    expect(Object.keys(s.config).filter((k) => k.endsWith('snippet'))).toEqual(['global-auth-snippet']);
  });

  test('without the 403 page: auth keys only', () => {
    const s = ingressNginxSettings({ namespace: 'central-auth', service: 'verifier', port: 8080, forbiddenPage: false });
    expect(Object.keys(s.config)).toEqual(['global-auth-url', 'global-auth-method', 'global-auth-response-headers', 'global-auth-snippet']);
    expect(s.extraArgs).toEqual({});
  });
});
