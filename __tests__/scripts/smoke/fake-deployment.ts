// A local stand-in for one applied environment, built from its synthesized stacks: an HTTPS server
// that answers for every host as the ALB would (its listener rules evaluated in priority order,
// authenticate-cognito without a session, jwt-validation against the pool's key, the listener's
// response headers, the real sign-out handler behind the Lambda target group), an HTTP server for
// the redirect listener, Cognito's discovery document, JWKS and token endpoint, and an AWS CLI
// stand-in holding the ids only an apply makes. `scenario` breaks one thing at a time.
// Written apart from scripts/smoke/ on purpose: it is the oracle the smoke check is judged against.
import { createHash, createPublicKey, generateKeyPairSync, randomBytes, sign, verify } from 'crypto';
import * as http from 'http';
import * as https from 'https';
import type { AddressInfo } from 'net';
import * as tls from 'tls';
import { createHandler } from '../../../lambda/signout/index';
import type { AwsRunner, Resolver, StackJson, SynthesizedStacks } from '../../../scripts/smoke/types';
import type { TestPki } from './certs';

/** One broken thing, at most per field; every field names the host it breaks. */
export interface Scenario {
  wrongClientId?: string;
  missingHsts?: string;
  serverHeader?: string;
  /** A protected host answers 200 at its root, as if a public rule let it through. */
  openHost?: string;
  /** The host's root redirects to FOREIGN_SITE. */
  openRedirect?: string;
  certificate?: { host: string; kind: 'expired' | 'wrong-name' | 'short-lived' };
  signoutWithoutCookies?: string;
  /** The discovery document names this issuer. */
  issuer?: string;
  wafMissing?: boolean;
  /** The ALB forwards bearer requests without checking the token. */
  acceptAnyToken?: boolean;
}

export const FOREIGN_SITE = 'evil.example.net';
export const ACCOUNT = '123456789012';
export const WRONG_CLIENT_ID = 'wrong0client0id00000000000';

export interface FakeDeployment {
  readonly resolve: Resolver;
  readonly ca: string;
  readonly aws: AwsRunner;
  readonly lookup: (name: string) => Promise<string[]>;
  readonly poolId: string;
  readonly issuer: string;
  /** App client ids by Cognito client name, as the fake account made them. */
  readonly clientIds: ReadonlyMap<string, string>;
  /** Machine client secrets by client name: they must never be printed. */
  readonly secrets: ReadonlyMap<string, string>;
  /** Tokens the token endpoint issued: they must never be printed. */
  readonly issued: string[];
  readonly certificates: Readonly<Record<'expired' | 'wrong-name' | 'short-lived' | 'valid', { key: string; cert: string }>>;
  scenario: Scenario;
  /** Every name a handshake (SNI) or request (Host) named. */
  readonly contacted: Set<string>;
  readonly awsCalls: string[][];
  close(): Promise<void>;
}

const resources = (stack: StackJson, type: string): [string, Record<string, any>][] => Object.entries(stack.resource?.[type] ?? {});
const idFor = (name: string) =>
  createHash('sha256')
    .update(name)
    .digest('hex')
    .replace(/[^a-z0-9]/g, '')
    .slice(0, 26);
const keysIn = (expr: string) => [...expr.matchAll(/client_ids(?:\.([A-Za-z_][\w]*)|\["([^"]+)"\])/g)].map((m) => (m[1] ?? m[2])!);
const wildcard = (pattern: string, flags = '') =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    flags,
  );

export async function startFakeDeployment(stacks: SynthesizedStacks, region: string, pki: TestPki): Promise<FakeDeployment> {
  const { auth, edge } = stacks;
  const poolId = `${region}_SmokeTest1`;
  const issuer = `https://cognito-idp.${region}.amazonaws.com/${poolId}`;
  // `${type.name.attr}` → the literal in the stack, or the pool's id.
  const literal = (text: string): string =>
    text.replace(/\$\{([a-z0-9_]+)\.([\w-]+)\.([a-z_]+)\}/g, (_, type, name, attr) =>
      type === 'aws_cognito_user_pool' && attr === 'id' ? poolId : String(auth.resource?.[type]?.[name]?.[attr]),
    );
  const authOutput = (name: string) => literal(String(auth.output?.[name]?.value));
  const remote = (expr: string) => authOutput(/outputs\.([a-z_]+)\}$/.exec(expr)![1]!);

  const clientIds = new Map(resources(auth, 'aws_cognito_user_pool_client').map(([, c]) => [String(c.name), idFor(c.name)]));
  const clientNameByKey = new Map(
    Object.entries(auth.output?.client_ids?.value as Record<string, string>).map(([key, ref]) => {
      const resource = /\.([\w-]+)\.id\}$/.exec(ref)![1]!;
      return [key, String(auth.resource!.aws_cognito_user_pool_client![resource]!.name)];
    }),
  );
  const machine = resources(auth, 'aws_cognito_user_pool_client').filter(([, c]) =>
    (c.allowed_oauth_flows ?? []).includes('client_credentials'),
  );
  const secrets = new Map(machine.map(([, c]) => [String(c.name), `secret-${randomBytes(12).toString('hex')}`]));
  const poolName = String(resources(auth, 'aws_cognito_user_pool')[0]![1].name);
  const alb = resources(edge, 'aws_lb')[0]![1];
  const albArn = `arn:aws:elasticloadbalancing:${region}:${ACCOUNT}:loadbalancer/app/${alb.name}/0123456789abcdef`;
  const albDns = `${alb.name}-1234567890.${region}.elb.amazonaws.com`;
  const poolArn = `arn:aws:cognito-idp:${region}:${ACCOUNT}:userpool/${poolId}`;
  const aclName = resources(edge, 'aws_wafv2_web_acl')[0]?.[1].name;

  const listeners = resources(edge, 'aws_lb_listener').map(([, l]) => l);
  const httpsListener = listeners.find((l) => l.protocol === 'HTTPS')!;
  const httpListener = listeners.find((l) => l.protocol === 'HTTP')!;
  const rules = resources(edge, 'aws_lb_listener_rule')
    .map(([, r]) => r)
    .sort((a, b) => a.priority - b.priority);
  const signInDomain = authOutput('cognito_domain');
  const cognitoIdp = `cognito-idp.${region}.amazonaws.com`;

  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = 'fake-pool-key-1';
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };
  const issued: string[] = [];
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const mint = (payload: Record<string, unknown>) => {
    const input = `${b64({ alg: 'RS256', kid })}.${b64(payload)}`;
    return `${input}.${sign('sha256', Buffer.from(input), privateKey).toString('base64url')}`;
  };
  const validToken = (token: string, claims: Record<string, any>): boolean => {
    const [h, p, s] = token.split('.');
    if (!h || !p || !s) return false;
    try {
      const header = JSON.parse(Buffer.from(h, 'base64url').toString());
      const payload = JSON.parse(Buffer.from(p, 'base64url').toString());
      if (header.alg !== 'RS256' || header.kid !== kid) return false;
      if (!verify('sha256', Buffer.from(`${h}.${p}`), createPublicKey({ key: jwk as any, format: 'jwk' }), Buffer.from(s, 'base64url')))
        return false;
      if (payload.iss !== remote(claims.issuer) || payload.exp * 1000 < Date.now()) return false;
      return (claims.additional_claim ?? []).every((c: any) =>
        c.format === 'single-string'
          ? c.values.includes(payload[c.name])
          : c.values.every((v: string) => String(payload[c.name]).split(' ').includes(v)),
      );
    } catch {
      return false;
    }
  };

  const signoutFn = resources(edge, 'aws_lambda_function').find(([, f]) => f.environment?.variables?.CLIENT_IDS)?.[1];
  const signout = stacks.signoutConfig
    ? createHandler(
        {
          ...stacks.signoutConfig,
          logoutEndpoint: authOutput('logout_endpoint'),
          clientIds: keysIn(signoutFn!.environment.variables.CLIENT_IDS).map((k) => clientIds.get(clientNameByKey.get(k)!)!),
          issuer,
        },
        { log: () => {} },
      )
    : undefined;

  const envHosts: string[] = edge.output!.hosts!.value as string[];
  const names = [...envHosts, signInDomain, cognitoIdp];
  const certificates = {
    valid: pki.issue(names, 365),
    expired: pki.issue(names, -1),
    'wrong-name': pki.issue(['wrong.example.org'], 365),
    'short-lived': pki.issue(names, 10),
  };
  const contexts = Object.fromEntries(Object.entries(certificates).map(([k, c]) => [k, tls.createSecureContext(c)])) as Record<
    keyof typeof certificates,
    tls.SecureContext
  >;

  const fake: FakeDeployment = {
    resolve: () => ({ address: '127.0.0.1', port: 0 }),
    ca: pki.ca,
    aws: () => ({ status: 1, stdout: '', stderr: '' }),
    lookup: async () => ['127.0.0.1'],
    poolId,
    issuer,
    clientIds,
    secrets,
    issued,
    certificates,
    scenario: {},
    contacted: new Set(),
    awsCalls: [],
    close: async () => {},
  };

  type Reply = { status: number; headers: Record<string, string | string[]>; body?: string };
  const app = (host: string, path: string): Reply => ({
    status: 200,
    headers: { 'content-type': 'text/plain' },
    body: `app ${host} ${path}`,
  });

  async function listener(req: http.IncomingMessage, host: string, url: URL, body: string): Promise<Reply> {
    const s = fake.scenario;
    if (s.openRedirect === host && url.pathname === '/') return { status: 302, headers: { location: `https://${FOREIGN_SITE}/` } };
    if (s.openHost === host && url.pathname === '/') return app(host, url.pathname);
    const rule = rules.find((r) =>
      (r.condition ?? []).every((c: any) =>
        c.host_header
          ? c.host_header.values.some((v: string) => wildcard(v, 'i').test(host))
          : c.path_pattern
            ? c.path_pattern.values.some((v: string) => wildcard(v).test(url.pathname))
            : c.http_header.values.some((v: string) =>
                wildcard(v, 'i').test(String(req.headers[c.http_header.http_header_name.toLowerCase()] ?? '')),
              ),
      ),
    );
    for (const action of [...(rule?.action ?? httpsListener.default_action)].sort((a: any, b: any) => a.order - b.order)) {
      if (action.type === 'authenticate-cognito') {
        const a = action.authenticate_cognito;
        if (a.on_unauthenticated_request === 'allow') continue;
        if (a.on_unauthenticated_request === 'deny') return { status: 401, headers: {}, body: 'Unauthorized' };
        const clientId =
          s.wrongClientId === host ? WRONG_CLIENT_ID : clientIds.get(clientNameByKey.get(keysIn(a.user_pool_client_id)[0]!)!)!;
        const query = new URLSearchParams({
          client_id: clientId,
          redirect_uri: `https://${host}/oauth2/idpresponse`,
          response_type: 'code',
          scope: a.scope,
          state: randomBytes(16).toString('base64url'),
        });
        return { status: 302, headers: { location: `https://${remote(a.user_pool_domain)}/oauth2/authorize?${query}` } };
      }
      if (action.type === 'jwt-validation') {
        const token = /^Bearer (.*)$/i.exec(String(req.headers.authorization ?? ''))?.[1] ?? '';
        if (!s.acceptAnyToken && !validToken(token, action.jwt_validation))
          return { status: 401, headers: { 'www-authenticate': 'Bearer' } };
        continue;
      }
      if (action.type === 'forward') {
        const group = /\.([\w-]+)\.arn\}$/.exec(action.target_group_arn)![1]!;
        if (edge.resource!.aws_lb_target_group![group]!.target_type !== 'lambda') return app(host, url.pathname);
        const multiValueQueryStringParameters: Record<string, string[]> = {};
        for (const [k, v] of url.searchParams) (multiValueQueryStringParameters[k] ??= []).push(v);
        const multiValueHeaders = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v : [String(v)]]));
        const reply = await signout!({
          requestContext: { elb: { targetGroupArn: `arn:aws:elasticloadbalancing:${region}:${ACCOUNT}:targetgroup/sgo/1` } },
          httpMethod: req.method,
          path: url.pathname,
          multiValueQueryStringParameters,
          multiValueHeaders,
          body,
          isBase64Encoded: false,
        });
        const headers = Object.fromEntries(Object.entries(reply.multiValueHeaders ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
        if (s.signoutWithoutCookies === host) delete headers['set-cookie'];
        return { status: reply.statusCode, headers, body: reply.body };
      }
    }
    throw new Error(`fake ALB: no action answered ${host}${url.pathname}`);
  }

  function cognito(req: http.IncomingMessage, host: string, url: URL, body: string): Reply {
    const json = (status: number, value: unknown): Reply => ({
      status,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(value),
    });
    if (host === cognitoIdp && url.pathname === `/${poolId}/.well-known/openid-configuration`) {
      return json(200, {
        issuer: fake.scenario.issuer ?? issuer,
        jwks_uri: `${issuer}/.well-known/jwks.json`,
        token_endpoint: `https://${signInDomain}/oauth2/token`,
      });
    }
    if (host === cognitoIdp && url.pathname === `/${poolId}/.well-known/jwks.json`) return json(200, { keys: [jwk] });
    if (host === signInDomain && url.pathname === '/oauth2/token' && req.method === 'POST') {
      const [id, secret] = Buffer.from(String(req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64')
        .toString()
        .split(':');
      const name = [...clientIds].find(([, v]) => v === id)?.[0];
      if (!name || secrets.get(name) !== secret) return json(400, { error: 'invalid_client' });
      const form = new URLSearchParams(body);
      const now = Math.floor(Date.now() / 1000);
      const token = mint({ iss: issuer, token_use: 'access', scope: form.get('scope'), client_id: id, iat: now, exp: now + 900 });
      issued.push(token);
      return json(200, { access_token: token, expires_in: 900, token_type: 'Bearer' });
    }
    return json(404, { message: 'not found' });
  }

  const httpsServer = https.createServer(
    {
      ...certificates.valid,
      SNICallback: (servername, cb) => {
        fake.contacted.add(servername);
        const broken = fake.scenario.certificate;
        cb(null, contexts[broken?.host === servername ? broken.kind : 'valid']);
      },
    },
    (req, res) => {
      const host = String(req.headers.host ?? '').toLowerCase();
      fake.contacted.add(host);
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', async () => {
        const url = new URL(req.url ?? '/', `https://${host}`);
        const body = Buffer.concat(chunks).toString();
        const reply = host === cognitoIdp || host === signInDomain ? cognito(req, host, url, body) : await listener(req, host, url, body);
        const headers: Record<string, string | string[]> = { ...reply.headers };
        if (host !== cognitoIdp && host !== signInDomain) {
          const hsts = httpsListener.routing_http_response_strict_transport_security_header_value;
          const nosniff = httpsListener.routing_http_response_x_content_type_options_header_value;
          if (hsts && fake.scenario.missingHsts !== host) headers['strict-transport-security'] = hsts;
          if (nosniff) headers['x-content-type-options'] = nosniff;
          if (httpsListener.routing_http_response_server_enabled !== false || fake.scenario.serverHeader === host)
            headers.server = 'awselb/2.0';
        }
        res.writeHead(reply.status, headers).end(reply.body ?? '');
      });
    },
  );
  const httpServer = http.createServer((req, res) => {
    const host = String(req.headers.host ?? '').toLowerCase();
    fake.contacted.add(host);
    const redirect = httpListener.default_action[0].redirect;
    const headers: Record<string, string> = { location: `${redirect.protocol.toLowerCase()}://${host}:${redirect.port}${req.url}` };
    if (httpListener.routing_http_response_server_enabled !== false || fake.scenario.serverHeader === host) headers.server = 'awselb/2.0';
    res.writeHead(Number(redirect.status_code.replace('HTTP_', '')), headers).end();
  });
  const listen = (server: http.Server) =>
    new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
  const [httpsPort, httpPort] = await Promise.all([listen(httpsServer), listen(httpServer)]);

  const answer = (value: unknown) => ({ status: 0, stdout: typeof value === 'string' ? value : JSON.stringify(value), stderr: '' });
  return Object.assign(fake, {
    resolve: ((_host, protocol) => ({ address: '127.0.0.1', port: protocol === 'https:' ? httpsPort : httpPort })) as Resolver,
    aws: ((args: string[]) => {
      fake.awsCalls.push(args);
      const arg = (name: string) => args[args.indexOf(name) + 1];
      switch (args[1]) {
        case 'list-user-pools':
          return answer({
            UserPools: [
              { Id: `${region}_OtherEnv99`, Name: 'prod-central-auth-users' },
              { Id: poolId, Name: poolName },
            ],
          });
        case 'list-user-pool-clients':
          return answer({
            UserPoolClients: [...clientIds].map(([ClientName, ClientId]) => ({ ClientId, ClientName, UserPoolId: poolId })),
          });
        case 'describe-load-balancers':
          return arg('--names') === alb.name
            ? answer({ LoadBalancers: [{ LoadBalancerArn: albArn, DNSName: albDns, LoadBalancerName: alb.name }] })
            : { status: 254, stdout: '', stderr: 'An error occurred (LoadBalancerNotFound)' };
        case 'get-web-acl-for-resource': {
          const on = arg('--resource-arn');
          const associated = aclName && !(fake.scenario.wafMissing && on === albArn) && (on === albArn || on === poolArn);
          return answer(
            associated
              ? { WebACL: { Name: aclName, Id: 'f00d', ARN: `arn:aws:wafv2:${region}:${ACCOUNT}:regional/webacl/${aclName}/f00d` } }
              : {},
          );
        }
        case 'describe-user-pool-client': {
          const name = [...clientIds].find(([, id]) => id === arg('--client-id'))?.[0];
          return answer(`${secrets.get(name ?? '') ?? 'None'}\n`);
        }
        default:
          return { status: 2, stdout: '', stderr: `fake aws: unexpected ${args.join(' ')}` };
      }
    }) as AwsRunner,
    close: async () => {
      httpsServer.closeAllConnections();
      httpServer.closeAllConnections();
      await Promise.all([new Promise((r) => httpsServer.close(r)), new Promise((r) => httpServer.close(r))]);
    },
  });
}
