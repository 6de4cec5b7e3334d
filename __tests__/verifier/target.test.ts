// The original request as routers describe it, the path safety check, ALB path patterns and signer ARNs.
import { parseAlbArn, signerAllowed } from '../../verifier/arn.js';
import { matchesPattern, pathProblem, readTarget } from '../../verifier/target.js';

describe('readTarget', () => {
  test('ingress-nginx: host and raw path from X-Original-URL, method from X-Original-Method', () => {
    expect(
      readTarget({ 'x-original-url': ['https://Grafana.Example.com:443/a/%2e./b?x=1#no'], 'x-original-method': ['POST'] }, 'ingress-nginx'),
    ).toEqual({
      ok: true,
      target: { host: 'grafana.example.com', path: '/a/%2e./b', method: 'POST' },
    });
  });

  test.each([
    ['no URL', {}, 'X-Original-URL missing or repeated'],
    ['two URLs', { 'x-original-url': ['http://a.example.com/', 'http://b.example.com/'] }, 'X-Original-URL missing or repeated'],
    ['not http', { 'x-original-url': ['ftp://a.example.com/'] }, 'X-Original-URL is not an http(s) URL'],
    ['a bad host', { 'x-original-url': ['http://a_b.example.com/'] }, 'host is not a host name'],
    ['an empty host', { 'x-original-url': ['http:///x'] }, 'host is not a host name'],
    ['no path', { 'x-original-url': ['http://a.example.com'] }, 'request target is not an absolute path'],
    [
      'a disagreeing URI',
      { 'x-original-url': ['http://a.example.com/x'], 'x-original-uri': ['/y'] },
      'X-Original-URI disagrees with X-Original-URL',
    ],
    [
      'two URIs',
      { 'x-original-url': ['http://a.example.com/x'], 'x-original-uri': ['/x', '/x'] },
      'X-Original-URI disagrees with X-Original-URL',
    ],
  ])('ingress-nginx refuses %s', (_name, headers, reason) => {
    expect(readTarget(headers, 'ingress-nginx')).toEqual({ ok: false, reason });
  });

  test('traefik: X-Forwarded-Host, -Uri and -Method; an odd method is logged as "-"', () => {
    expect(
      readTarget({ 'x-forwarded-host': ['a.example.com'], 'x-forwarded-uri': ['/p?q'], 'x-forwarded-method': ['get it'] }, 'traefik'),
    ).toEqual({
      ok: true,
      target: { host: 'a.example.com', path: '/p', method: '-' },
    });
    expect(readTarget({ 'x-forwarded-host': ['a.example.com'] }, 'traefik')).toMatchObject({ ok: false });
  });
});

describe('pathProblem', () => {
  test.each([
    '/',
    '/a/b.c/d',
    '/.well-known/x',
    '/a/..b/c',
    '/%41%42',
    '/a/',
    '/files/My%20Doc.pdf',
    '/%C3%A9t%C3%A9',
    "/a/b,c=d+e:f@g!$&'()*",
  ])('%s is fine', (p) => {
    expect(pathProblem(p)).toBeUndefined();
  });

  test.each([
    ['/a/../b', '"." or ".."'],
    ['/a/..', '"." or ".."'],
    ['/./a', '"." or ".."'],
    ['/a/..;jsessionid=1/b', '";"'],
    ['/a/.;/b', '";"'],
    ['/a/b;c=d', '";"'],
    ['/admin;.css', '";"'],
    ['/admin#.css', '"#"'],
    ['/a//b', 'empty segment'],
    ['//admin', 'empty segment'],
    ['/admin%3B.css', 'percent-encoded'],
    ['/admin%3f.css', 'percent-encoded'],
    ['/admin%23.css', 'percent-encoded'],
    ['/a%0Ab', 'percent-encoded'],
    ['/a%7f', 'percent-encoded'],
    ['/a%zz', 'starts no escape'],
    ['/a%4', 'starts no escape'],
    ['/a%', 'starts no escape'],
    ['/%C0%AE%C0%AE/admin', 'UTF-8'],
    ['/a%FF', 'UTF-8'],
    ['/a%2fb', 'percent-encoded'],
    ['/a%2F..', 'percent-encoded'],
    ['/%2E%2E/a', 'percent-encoded'],
    ['/a%5cb', 'percent-encoded'],
    ['/a%25', 'percent-encoded'],
    ['/a%00', 'percent-encoded'],
    ['/a\\b', 'backslash'],
    ['/a\tb', 'control'],
    ['/\u00fc', 'non-ASCII'],
  ])('%s is refused (%s)', (p, words) => {
    expect(pathProblem(p)).toContain(words);
  });
});

describe('matchesPattern (ALB semantics)', () => {
  test.each([
    ['/api/health', '/api/health', true],
    ['/api/health', '/api/health/', false],
    ['/api/health', '/API/health', false],
    ['/img/*', '/img/', true],
    ['/img/*', '/img/a/b/c.png', true],
    ['/img/*', '/img', false],
    ['*.css', '/a/b.css', true],
    ['/a*b*c', '/aXbYc', true],
    ['/a*b*c', '/aXbY', false],
    ['/a*', '/a*b', true],
    ['/v?/status', '/v1/status', true],
    ['/v?/status', '/v10/status', false],
    ['/*/x', '/a/b/x', true],
    ['/**', '/', true],
  ])('%s ~ %s: %s', (pattern, path, expected) => {
    expect(matchesPattern(pattern, path)).toBe(expected);
  });

  test('a pathological pattern stays fast', () => {
    const started = Date.now();
    expect(matchesPattern(`/${'*a'.repeat(60)}b`, `/${'a'.repeat(5000)}`)).toBe(false);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe('ALB ARNs', () => {
  const arn = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/dev-central-auth/50dc6c495c0c9188';
  const patterns = [parseAlbArn('arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/dev-central-auth/*', true)!];

  test('a pattern with /* matches account, region and name, whatever the id', () => {
    expect(signerAllowed(patterns, arn)).toBe(true);
    expect(signerAllowed(patterns, arn.replace('50dc6c495c0c9188', '0123456789abcdef'))).toBe(true);
  });

  test.each([
    ['another name', arn.replace('dev-central-auth', 'prod-central-auth')],
    ['a name that only starts the same', arn.replace('dev-central-auth', 'dev-central-auth2')],
    ['another account', arn.replace('123456789012', '210987654321')],
    ['another region', arn.replace('eu-west-1', 'eu-west-2')],
    ['another partition', arn.replace('arn:aws:', 'arn:aws-cn:')],
    ['a wildcard signer', arn.replace('50dc6c495c0c9188', '*')],
    ['a network load balancer', arn.replace('/app/', '/net/')],
    ['a short id', arn.replace('50dc6c495c0c9188', '50dc')],
    ['not a string', 42],
  ])('refuses a signer with %s', (_name, signer) => {
    expect(signerAllowed(patterns, signer)).toBe(false);
  });

  test('an exact ARN matches only itself', () => {
    const exact = [parseAlbArn(arn, false)!];
    expect(signerAllowed(exact, arn)).toBe(true);
    expect(signerAllowed(exact, arn.replace('50dc6c495c0c9188', '0123456789abcdef'))).toBe(false);
  });
});
