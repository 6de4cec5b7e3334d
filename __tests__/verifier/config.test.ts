// The verifier's configuration: config.json plus the Terraform-computed environment, every field
// checked at start with the field, the value and the rule named.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigError, DEFAULT_CONFIG_PATH, loadConfig, validateConfig } from '../../verifier/config.js';
import { ALB_ARN, ALB_PATTERN, CLIENT_A, CLIENT_B, GRAFANA, ISSUER, REGION } from './helpers';

const MINIMAL = {
  region: REGION,
  albArns: [ALB_PATTERN],
  issuer: ISSUER,
  clientIds: [CLIENT_A],
  hosts: { [GRAFANA]: { app: 'grafana' } },
};

function problemsOf(raw: unknown, options = {}): string[] {
  try {
    validateConfig(raw, options);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as InstanceType<typeof ConfigError>).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('validateConfig', () => {
  test('fills the documented defaults', () => {
    const c = validateConfig(MINIMAL);
    expect(c).toMatchObject({
      albKeyEndpoint: `https://public-keys.auth.elb.${REGION}.amazonaws.com`,
      jwksUrl: `${ISSUER}/.well-known/jwks.json`,
      signoutPath: '/_auth/signout',
      clockSkewSeconds: 60,
      router: 'ingress-nginx',
      keyFetchTimeoutMs: 3000,
      keyCacheSize: 32,
      jwksRefetchSeconds: 60,
    });
    expect(c.albArns).toEqual([{ partition: 'aws', region: REGION, account: '123456789012', name: 'dev-central-auth', id: '*' }]);
    expect(c.hosts.get(GRAFANA)).toEqual({ app: 'grafana', allowedGroups: [], publicPaths: [], forwardAccessToken: false });
    expect([...c.publicHosts]).toEqual([]);
  });

  test('keeps explicit values; a trailing slash on the key endpoint is dropped', () => {
    const c = validateConfig({
      ...MINIMAL,
      albArns: [ALB_ARN],
      clientIds: [CLIENT_A, CLIENT_B],
      albKeyEndpoint: 'https://keys.example.com/alb/',
      jwksUrl: 'https://keys.example.com/jwks.json',
      hosts: { [GRAFANA]: { app: 'grafana', allowedGroups: ['a'], publicPaths: ['/x/*'], forwardAccessToken: true } },
      publicHosts: ['status.example.com'],
      signoutPath: '/_signout',
      clockSkewSeconds: 0,
      router: 'traefik',
      keyFetchTimeoutMs: 100,
      keyCacheSize: 1,
      jwksRefetchSeconds: 3600,
    });
    expect(c).toMatchObject({
      albKeyEndpoint: 'https://keys.example.com/alb',
      router: 'traefik',
      clockSkewSeconds: 0,
      signoutPath: '/_signout',
    });
    expect(c.albArns[0].id).toBe('50dc6c495c0c9188');
    expect(c.hosts.get(GRAFANA)?.forwardAccessToken).toBe(true);
  });

  test('names every problem at once', () => {
    const problems = problemsOf({
      region: 'Europe',
      albArns: ['arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/net/nlb/50dc6c495c0c9188', 7],
      issuer: 'https://example.com/pool',
      clientIds: ['ok', 'not ok'],
      albKeyEndpoint: 'http://keys.example.com',
      hosts: {
        'Grafana.example.com': { app: '', allowedGroups: 'admins', publicPaths: ['no-slash', '/x'], forwardAccessToken: 'yes', extra: 1 },
        'wiki.example.com': 'wiki',
      },
      publicHosts: ['wiki.example.com:8080'],
      signoutPath: 'signout',
      clockSkewSeconds: 600,
      router: 'envoy',
      keyFetchTimeoutMs: 1.5,
      keyCacheSize: 0,
      jwksRefetchSeconds: '60',
      albArn: 'typo',
    });
    expect(problems).toEqual([
      'albArn = "typo": is not a setting (known: region, albArns, issuer, clientIds, albKeyEndpoint, jwksUrl, hosts, publicHosts, signoutPath, healthCheck, clockSkewSeconds, router, keyFetchTimeoutMs, keyCacheSize, jwksRefetchSeconds, tokenCacheEntries, tokenCacheMegabytes, logLevel)',
      'region = "Europe": must be an AWS region such as eu-west-1',
      'albArns[0] = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/net/nlb/50dc6c495c0c9188": must be an ALB ARN arn:aws:elasticloadbalancing:<region>:<account>:loadbalancer/app/<name>/<16 hex digits or *>',
      'albArns[1] = 7: must be an ALB ARN arn:aws:elasticloadbalancing:<region>:<account>:loadbalancer/app/<name>/<16 hex digits or *>',
      'issuer (env COGNITO_ISSUER_URL) = "https://example.com/pool": must be a user pool issuer https://cognito-idp.<region>.amazonaws.com/<region>_<id>',
      'clientIds (env CLIENT_IDS)[1] = "not ok": must be 1-128 letters, digits, "_" or "+"',
      'albKeyEndpoint = "http://keys.example.com": must be an absolute https URL without credentials, query or fragment',
      'hosts["Grafana.example.com"] = "Grafana.example.com": key must be a lower-case host name without port',
      'hosts["Grafana.example.com"].extra = 1: is not a host setting (known: app, allowedGroups, publicPaths, forwardAccessToken, bearerScopes)',
      'hosts["Grafana.example.com"].app = "": must be 1-64 printable ASCII characters',
      'hosts["Grafana.example.com"].forwardAccessToken = "yes": must be true or false',
      'hosts["Grafana.example.com"].allowedGroups = "admins": must be a list',
      'hosts["Grafana.example.com"].publicPaths[0] = "no-slash": must be an ALB path pattern: "/" then at most 127 of A-Za-z0-9_.$/~"\'@:+&-*?',
      'hosts["wiki.example.com"] = "wiki": must be an object { app, allowedGroups, publicPaths, forwardAccessToken }',
      'publicHosts[0] = "wiki.example.com:8080": must be a lower-case host name without port',
      'signoutPath = "signout": must be an absolute path without query, e.g. /_auth/signout',
      'router = "envoy": must be one of ingress-nginx, traefik',
      'clockSkewSeconds = 600: must be an integer from 0 to 300',
      'keyFetchTimeoutMs = 1.5: must be an integer from 100 to 30000',
      'keyCacheSize = 0: must be an integer from 1 to 1000',
      'jwksRefetchSeconds = "60": must be an integer from 1 to 3600',
    ]);
  });

  test.each([
    ['an empty albArns', { albArns: [] }, 'albArns = []: must be a non-empty list'],
    ['no client ids', { clientIds: undefined }, 'clientIds (env CLIENT_IDS) = undefined: must be a non-empty list'],
    [
      'no hosts',
      { hosts: {} },
      'hosts = {}: must be a non-empty object of host name -> { app, allowedGroups, publicPaths, forwardAccessToken }',
    ],
    [
      'an ALB in another region',
      { albArns: [ALB_PATTERN.replace(/eu-west-1/, 'us-east-1')] },
      'albArns[0] = "us-east-1": is in another region than region "eu-west-1"',
    ],
    ['a host both public and protected', { publicHosts: [GRAFANA] }, `publicHosts = "${GRAFANA}": is also a protected host in hosts`],
    [
      'credentials in the JWKS URL',
      { jwksUrl: 'https://user:pw@example.com/jwks.json' },
      'jwksUrl (env COGNITO_JWKS_URL) = "https://user:pw@example.com/jwks.json": must be an absolute https URL without credentials, query or fragment',
    ],
    [
      'a JWKS URL that is no URL',
      { jwksUrl: 'https://%zz' },
      'jwksUrl (env COGNITO_JWKS_URL) = "https://%zz": must be an absolute https URL without credentials, query or fragment',
    ],
    [
      'a JWKS URL with spaces',
      { jwksUrl: 'https://a b' },
      'jwksUrl (env COGNITO_JWKS_URL) = "https://a b": must be an absolute https URL without credentials, query or fragment',
    ],
    [
      'a long app name (shown shortened)',
      { hosts: { [GRAFANA]: { app: 'x'.repeat(300) } } },
      expect.stringMatching(/^hosts\[".*"\]\.app = "x{96}\.\.\.: must be 1-64/),
    ],
  ])('refuses %s', (_name, change, problem) => {
    expect(problemsOf({ ...MINIMAL, ...change })).toEqual([problem]);
  });

  test('China and GovCloud have no default key endpoint: it must be set', () => {
    const arn = ALB_PATTERN.replace(/^arn:aws:/, 'arn:aws-us-gov:').replace(REGION, 'us-gov-west-1');
    const gov = { ...MINIMAL, region: 'us-gov-west-1', albArns: [arn] };
    expect(problemsOf(gov)).toEqual(['albKeyEndpoint = undefined: has no default in us-gov-west-1: set it']);
    const endpoint = 'https://s3-us-gov-west-1.amazonaws.com/aws-elb-public-keys-prod-us-gov-west-1';
    expect(validateConfig({ ...gov, albKeyEndpoint: endpoint }).albKeyEndpoint).toBe(endpoint);
  });

  test('http://127.0.0.1 endpoints only with the explicit test option, and never another http host', () => {
    const local = { ...MINIMAL, albKeyEndpoint: 'http://127.0.0.1:8081/alb', jwksUrl: 'http://127.0.0.1:8081/jwks.json' };
    expect(problemsOf(local)).toHaveLength(2);
    expect(validateConfig(local, { insecureLoopbackEndpoints: true }).jwksUrl).toBe('http://127.0.0.1:8081/jwks.json');
    expect(problemsOf({ ...local, jwksUrl: 'http://localhost:8081/jwks.json' }, { insecureLoopbackEndpoints: true })).toEqual([
      'jwksUrl (env COGNITO_JWKS_URL) = "http://localhost:8081/jwks.json": must be an absolute https URL without credentials, query or fragment (or http://127.0.0.1)',
    ]);
  });

  test('values JSON cannot show are shown as text', () => {
    expect(problemsOf({ ...MINIMAL, router: Symbol('envoy') })).toEqual(['router = Symbol(envoy): must be one of ingress-nginx, traefik']);
  });

  test('a non-object config', () => {
    expect(problemsOf([1])).toEqual(['config = [1]: must be a JSON object']);
    expect(() => validateConfig(null)).toThrow('Invalid verifier configuration (1 problem):\n  - config = null: must be a JSON object');
  });
});

describe('loadConfig', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'verifier-config-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  };
  const loadErrors = (source: Parameters<typeof loadConfig>[0]) => {
    try {
      loadConfig(source);
    } catch (err) {
      return (err as InstanceType<typeof ConfigError>).problems;
    }
    throw new Error('expected a ConfigError');
  };

  test('the Terraform-computed values come from the environment', () => {
    const { issuer, clientIds, ...file } = MINIMAL;
    const configPath = write('static.json', JSON.stringify(file));
    const raw = loadConfig({
      configPath,
      env: { COGNITO_ISSUER_URL: issuer, CLIENT_IDS: ` ${CLIENT_A}, ${CLIENT_B} `, COGNITO_JWKS_URL: 'https://keys.example.com/jwks.json' },
    });
    expect(raw).toEqual({ ...file, issuer, clientIds: [CLIENT_A, CLIENT_B], jwksUrl: 'https://keys.example.com/jwks.json' });
    expect(validateConfig(raw).clientIds).toEqual([CLIENT_A, CLIENT_B]);
  });

  test("the ALB's ARN patterns may come from ALB_ARNS (the account is known only when Terraform runs)", () => {
    const { albArns, ...file } = MINIMAL;
    const configPath = write('no-arns.json', JSON.stringify(file));
    const pattern = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/dev-central-auth/*';
    const raw = loadConfig({ configPath, env: { ALB_ARNS: ` ${pattern} ` } });
    expect(raw).toEqual({ ...file, albArns: [pattern] });
    expect(validateConfig(raw).albArns).toEqual([
      { partition: 'aws', region: 'eu-west-1', account: '123456789012', name: 'dev-central-auth', id: '*' },
    ]);
    const both = write('both-arns.json', JSON.stringify(MINIMAL));
    expect(loadErrors({ configPath: both, env: { ALB_ARNS: pattern } })).toEqual([
      `albArns: set both in ${both} and in env ALB_ARNS; set it in one place`,
    ]);
  });

  test('healthCheck: IPv4 hosts only, not an app host, a plain path; default path /healthz', () => {
    expect(validateConfig({ ...MINIMAL, healthCheck: { hosts: ['10.0.31.229'] } }).healthCheck).toEqual({
      hosts: new Set(['10.0.31.229']),
      path: '/healthz',
    });
    expect(validateConfig(MINIMAL).healthCheck).toEqual({ hosts: new Set(), path: '/healthz' });
    expect(problemsOf({ ...MINIMAL, healthCheck: { hosts: ['nlb.example.com', '10.0.0.300'], path: 'healthz', port: 80 } })).toEqual([
      'healthCheck.port = 80: is not a setting (known: hosts, path)',
      'healthCheck.hosts[0] = "nlb.example.com": must be an IPv4 address (the NLB sends its own as Host)',
      'healthCheck.hosts[1] = "10.0.0.300": must be an IPv4 address (the NLB sends its own as Host)',
      'healthCheck.path = "healthz": must be an absolute path without query',
    ]);
    expect(problemsOf({ ...MINIMAL, healthCheck: [] })).toEqual(['healthCheck = []: must be an object { hosts, path }']);
  });

  test('empty environment variables count as unset; empty list items are reported by validation', () => {
    const configPath = write('full.json', JSON.stringify(MINIMAL));
    expect(loadConfig({ configPath, env: { CLIENT_IDS: '' } })).toEqual(MINIMAL);
    const { clientIds: _, ...file } = MINIMAL;
    const raw = loadConfig({ configPath: write('noids.json', JSON.stringify(file)), env: { CLIENT_IDS: `${CLIENT_A},` } });
    expect(problemsOf(raw)).toEqual(['clientIds (env CLIENT_IDS)[1] = "": must be 1-128 letters, digits, "_" or "+"']);
  });

  test('a value set in both places is an error, not a precedence', () => {
    const configPath = write('both.json', JSON.stringify(MINIMAL));
    expect(loadErrors({ configPath, env: { COGNITO_ISSUER_URL: ISSUER, CLIENT_IDS: CLIENT_A } })).toEqual([
      `issuer: set both in ${configPath} and in env COGNITO_ISSUER_URL; set it in one place`,
      `clientIds: set both in ${configPath} and in env CLIENT_IDS; set it in one place`,
    ]);
  });

  test('VERIFIER_CONFIG picks the file; the default is config.json beside the code', () => {
    const configPath = write('by-env.json', JSON.stringify(MINIMAL));
    expect(loadConfig({ env: { VERIFIER_CONFIG: configPath } })).toEqual(MINIMAL);
    expect(DEFAULT_CONFIG_PATH).toBe(path.resolve(__dirname, '../../verifier/config.json'));
    expect(loadErrors({ env: {} })).toEqual([`config file ${DEFAULT_CONFIG_PATH}: does not exist (set VERIFIER_CONFIG to its path)`]);
  });

  test('unreadable, invalid or non-object files', () => {
    expect(loadErrors({ configPath: dir, env: {} })[0]).toMatch(/^config file .*: EISDIR/);
    expect(loadErrors({ configPath: write('bad.json', '{ nope'), env: {} })[0]).toMatch(/^config file .*bad\.json: .*JSON/);
    const list = write('list.json', '[1, 2]');
    expect(loadErrors({ configPath: list, env: {} })).toEqual([`config file ${list} = [1,2]: must hold a JSON object`]);
  });

  test('config.example.json (the static part) validates with the environment the stack sets', () => {
    const configPath = path.resolve(__dirname, '../../verifier/config.example.json');
    const c = validateConfig(loadConfig({ configPath, env: { COGNITO_ISSUER_URL: ISSUER, CLIENT_IDS: `${CLIENT_A},${CLIENT_B}` } }));
    expect([...c.hosts.keys()]).toEqual(['grafana.dev.example.com', 'argocd.dev.example.com', 'app.dev.example.com']);
    expect(c.jwksUrl).toBe(`${ISSUER}/.well-known/jwks.json`);
  });

  test('reads process.env by default', () => {
    const configPath = write('default-env.json', JSON.stringify(MINIMAL));
    expect(loadConfig({ configPath })).toEqual(MINIMAL);
    const saved = process.env.VERIFIER_CONFIG;
    process.env.VERIFIER_CONFIG = configPath;
    try {
      expect(loadConfig()).toEqual(MINIMAL);
    } finally {
      if (saved === undefined) delete process.env.VERIFIER_CONFIG;
      else process.env.VERIFIER_CONFIG = saved;
    }
  });
});
