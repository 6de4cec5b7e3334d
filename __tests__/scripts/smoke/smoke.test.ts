// `npm run smoke` against environments/dev.yaml: the stacks are synthesized once with the command's
// own synth, and one local stand-in of the applied environment (fake-deployment.ts) answers for every
// host as a correct deployment would, until a test breaks one thing in it. Every expected value is
// read from the synthesized JSON (expected.ts) or the fake account's ids, never written here.
import { X509Certificate } from 'crypto';
import { join } from 'path';
import { run, USAGE } from '../../../scripts/smoke';
import { synthesize } from '../../../scripts/smoke/stacks';
import type { AwsRunner, SynthesizedStacks } from '../../../scripts/smoke/types';
import { ROOT } from '../../run-main';
import { createPki, type TestPki } from './certs';
import { factsOf, type StackFacts } from './expected';
import { type FakeDeployment, FOREIGN_SITE, startFakeDeployment, WRONG_CLIENT_ID } from './fake-deployment';

const DEV = join(ROOT, 'environments', 'dev.yaml');
const READ_ONLY = ['list-user-pools', 'list-user-pool-clients', 'describe-load-balancers', 'get-web-acl-for-resource'];

let pki: TestPki;
let stacks: SynthesizedStacks;
let facts: StackFacts;
let fake: FakeDeployment;

beforeAll(async () => {
  pki = createPki();
  stacks = await synthesize({ CENTRAL_AUTH_CONFIG: DEV }, ROOT);
  facts = factsOf(stacks);
  fake = await startFakeDeployment(stacks, 'eu-west-1', pki);
}, 60_000);
afterAll(async () => {
  await fake?.close();
  pki?.dispose();
});
beforeEach(() => {
  fake.scenario = {};
  fake.awsCalls.length = 0;
  fake.contacted.clear();
});

/** Runs the command against the fake environment; `problems` are its FAIL and WARN lines. */
async function smoke(argv: string[] = [], options: { env?: NodeJS.ProcessEnv; now?: Date; aws?: AwsRunner } = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const { code, report } = await run(argv, {
    env: options.env ?? { CENTRAL_AUTH_CONFIG: DEV },
    stdout: (s) => out.push(s),
    stderr: (s) => err.push(s),
    aws: options.aws ?? fake.aws,
    synth: async () => stacks,
    resolve: fake.resolve,
    ca: fake.ca,
    lookup: fake.lookup,
    ...(options.now ? { now: () => options.now! } : {}),
    backoffMs: 1,
  });
  const lines = out.join('').trimEnd().split('\n');
  return {
    code,
    report,
    out: out.join(''),
    err: err.join(''),
    lines: lines.slice(0, -1),
    summary: lines[lines.length - 1],
    problems: lines.filter((l) => /^(FAIL|WARN) /.test(l)),
  };
}

const host = (prefix: string) => facts.hosts.find((h) => h.startsWith(`${prefix}.`))!;
const day = (pem: string, field: 'validTo' | 'validFrom') => new Date(new X509Certificate(pem)[field]);

describe('npm run smoke on a correct deployment', () => {
  test('every check of every host passes, one ok line each, and the summary counts them', async () => {
    // GIVEN the dev environment deployed as its synthesized stacks say
    // WHEN the smoke check runs
    const r = await smoke();
    // THEN each check the stacks call for is ok, and nothing else is printed
    expect(r.code).toBe(0);
    expect([...r.lines].sort()).toEqual(facts.okLines);
    expect(r.summary).toMatch(
      new RegExp(
        `^smoke: ${facts.okLines.length} ok, 0 WARN, 0 FAIL: ${facts.hosts.length} hosts of dev checked in \\d+\\.\\d s \\(synth \\d+\\.\\d s\\)$`,
      ),
    );
    expect(r.err).toBe(`config: ${DEV} (CENTRAL_AUTH_CONFIG)\n`);
  });

  test('only reads from AWS, and only contacts the environment and its Cognito domains', async () => {
    const r = await smoke();
    expect(r.code).toBe(0);
    expect([...new Set(fake.awsCalls.map((c) => c[1]))].sort()).toEqual([...READ_ONLY].sort());
    const cognito = [facts.signInDomain, 'cognito-idp.eu-west-1.amazonaws.com'];
    expect([...fake.contacted].sort()).toEqual([...facts.hosts, 'cognito-idp.eu-west-1.amazonaws.com'].sort());
    expect(cognito.every((h) => !facts.hosts.includes(h))).toBe(true);
  });

  test('--json prints one document with the same lines and counts', async () => {
    const r = await smoke(['--json']);
    const doc = JSON.parse(r.out);
    expect(r.code).toBe(0);
    expect([...doc.lines].sort()).toEqual(facts.okLines);
    expect(doc.summary).toEqual({ ok: facts.okLines.length, warn: 0, fail: 0 });
    expect([doc.environment, doc.hosts, doc.config]).toEqual(['dev', facts.hosts.length, DEV]);
  });

  test('--only checks one host, with the pool-wide checks', async () => {
    const only = host('grafana');
    const r = await smoke(['--only', only]);
    expect(r.code).toBe(0);
    const others = facts.hosts.filter((h) => h !== only);
    expect([...r.lines].sort()).toEqual(facts.okLines.filter((l) => !others.some((o) => l.includes(` ${o}`))));
  });
});

describe('npm run smoke on a broken deployment: each break fails its own check, with its exact message', () => {
  test('a host signing in with the wrong app client', async () => {
    // GIVEN the ALB sends echo's browsers to Cognito with another client id
    const echo = host('echo');
    fake.scenario = { wrongClientId: echo };
    // WHEN the smoke check runs
    const r = await smoke();
    // THEN only that host's sign-in check fails, naming the client the stacks expect
    const client = facts.clientOf(echo)!.name;
    expect(r.problems).toEqual([
      `FAIL sign-in ${echo}: expected client_id ${fake.clientIds.get(client)} (app client ${client}), saw client_id ${WRONG_CLIENT_ID} — look at the edge stack's user_pool_client_id for ${echo}, read from the auth stack's client_ids output (apply edge after auth)`,
    ]);
    expect(r.code).toBe(1);
  });

  test('a protected host answering 200 without a session', async () => {
    const echo = host('echo');
    fake.scenario = { openHost: echo };
    const r = await smoke();
    expect(r.problems).toEqual([
      `FAIL sign-in ${echo}: expected 302 to https://${facts.signInDomain}/oauth2/authorize, saw 200 — look at the edge stack's listener rules for ${echo}: a public rule or a missing authenticate-cognito action lets requests through without signing in`,
    ]);
    expect(r.code).toBe(1);
  });

  test('a redirect to another site: judged, never followed', async () => {
    const grafana = host('grafana');
    fake.scenario = { openRedirect: grafana };
    const r = await smoke();
    expect(r.problems).toEqual([
      `FAIL sign-in ${grafana}: expected 302 to https://${facts.signInDomain}/oauth2/authorize, saw 302 to https://${FOREIGN_SITE}/ (open redirect: ${FOREIGN_SITE} is neither a host of this environment nor its Cognito domain) — look at the listener rules of ${grafana} and the app behind it: nothing may send a browser off the environment's hosts`,
    ]);
    expect(fake.contacted.has(FOREIGN_SITE)).toBe(false);
  });

  test('a missing HSTS header', async () => {
    const grafana = host('grafana');
    fake.scenario = { missingHsts: grafana };
    const r = await smoke();
    expect(r.problems).toEqual([
      `FAIL hsts ${grafana}: expected Strict-Transport-Security: ${facts.hsts}, saw none — look at the HTTPS listener's routing_http_response_strict_transport_security_header_value (alb.securityHeaders)`,
    ]);
  });

  test("a Server header on the ALB's own answers", async () => {
    const status = host('status');
    fake.scenario = { serverHeader: status };
    const r = await smoke();
    expect(r.problems).toEqual([
      `FAIL server-header ${status}: expected no Server header, saw Server: awselb/2.0 on the HTTP redirect — look at the listeners' routing_http_response_server_enabled (alb.securityHeaders)`,
    ]);
  });

  test("an expired certificate: one line, the host's other HTTPS checks skipped", async () => {
    const status = host('status');
    fake.scenario = { certificate: { host: status, kind: 'expired' } };
    const r = await smoke();
    const expired = day(fake.certificates.expired.cert, 'validTo').toISOString().slice(0, 10);
    expect(r.problems).toEqual([
      `FAIL certificate ${status}: expected a certificate valid now, saw one that expired on ${expired} — look at the ACM certificate's renewal (its DNS validation record must stay in the zone)`,
    ]);
    const words = (l: string) => l.split(' ').filter(Boolean);
    expect(r.lines.filter((l) => words(l)[2]!.replace(/:$/, '') === status).map((l) => `${words(l)[0]} ${words(l)[1]}`)).toEqual([
      'ok dns',
      'FAIL certificate',
      'ok http-redirect',
    ]);
    expect(r.summary).toContain(', 1 skipped after a certificate failure:');
  });

  test('a certificate for another name', async () => {
    const grafana = host('grafana');
    fake.scenario = { certificate: { host: grafana, kind: 'wrong-name' } };
    const r = await smoke();
    expect(r.problems).toEqual([
      `FAIL certificate ${grafana}: expected a certificate for ${grafana}, saw one for DNS:wrong.example.org — look at the edge stack's certificates for ${grafana} and the listener's certificate list`,
    ]);
  });

  test('a certificate expiring within 30 days is a WARN, and WARNs alone pass', async () => {
    const echo = host('echo');
    const short = fake.certificates['short-lived'].cert;
    fake.scenario = { certificate: { host: echo, kind: 'short-lived' } };
    // a clock an hour after the certificate was issued, so the day count is exact
    const r = await smoke([], { now: new Date(day(short, 'validFrom').getTime() + 3_600_000) });
    expect(r.problems).toEqual([
      `WARN certificate ${echo}: expected more than 30 days of validity, saw 9 days (until ${day(short, 'validTo').toISOString().slice(0, 10)}) — look at the ACM certificate's renewal status (aws acm describe-certificate)`,
    ]);
    expect(r.code).toBe(0);
  });

  test('a sign-out that does not expire the session cookies', async () => {
    const grafana = host('grafana');
    fake.scenario = { signoutWithoutCookies: grafana };
    const r = await smoke();
    expect(r.problems).toEqual([
      `FAIL sign-out ${grafana}: expected Set-Cookie expiring ${facts.cookieShards.join(', ')} (Path=/, no Domain), saw no Set-Cookie — look at the sign-out target group's lambda_multi_value_headers_enabled and the function's log group`,
    ]);
  });

  test("a discovery document of another pool's issuer", async () => {
    const other = 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_OtherPool9';
    fake.scenario = { issuer: other };
    const r = await smoke();
    expect(r.problems).toEqual([
      `FAIL discovery ${facts.poolName}: expected issuer ${fake.issuer}, saw issuer ${other} — look at the auth stack's issuer_url output against the user pool ${fake.poolId} in eu-west-1`,
    ]);
  });

  test('an ALB without its web ACL', async () => {
    fake.scenario = { wafMissing: true };
    const r = await smoke();
    expect(r.problems).toEqual([
      `FAIL waf ${facts.albName}: expected web ACL ${facts.albName} associated with the ALB, saw none — look at the edge stack's aws_wafv2_web_acl_association on the ALB (apply edge)`,
    ]);
  });
});

describe('npm run smoke before the stacks are applied', () => {
  test('no user pool of that name: the lookup fails, and what needs the pool is not judged', async () => {
    // GIVEN an account where the auth stack was never applied (no pool of the environment's name)
    const aws: AwsRunner = (args) =>
      args[1] === 'list-user-pools' ? { status: 0, stdout: JSON.stringify({ UserPools: [] }), stderr: '' } : fake.aws(args);
    // WHEN the smoke check runs
    const r = await smoke([], { aws });
    // THEN the pool's absence is the one FAIL; client ids, discovery and the pool's web ACL are not guessed
    expect(r.problems).toEqual([
      `FAIL user-pool ${facts.poolName}: expected one user pool named ${facts.poolName} in eu-west-1, saw none — look at the auth stack's apply (a pool of that name must exist once)`,
    ]);
    expect(r.lines.filter((l) => / (discovery|jwks|app-client) /.test(l) || l === `ok   waf ${facts.poolName}`)).toEqual([]);
    expect(r.code).toBe(1);
  });
});

describe('usage', () => {
  test.each([
    ['example', { CENTRAL_AUTH_CONFIG: 'example' }],
    ['unset', {}],
  ])('CENTRAL_AUTH_CONFIG %s: the embedded example is refused with exit 2', async (_name, env) => {
    const r = await smoke([], { env });
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      `smoke: the embedded example is never deployed, so there is nothing to check: set CENTRAL_AUTH_CONFIG=environments/<env>.yaml\n${USAGE}\n`,
    );
    expect(r.out).toBe('');
    expect(fake.awsCalls).toEqual([]);
  });

  test('in a deploy job (CENTRAL_AUTH_APPLYING) the example is refused by the config selection, also with exit 2', async () => {
    const r = await smoke([], { env: { CENTRAL_AUTH_CONFIG: 'example', CENTRAL_AUTH_APPLYING: '1' } });
    expect(r.code).toBe(2);
    expect(r.err).toContain('CENTRAL_AUTH_CONFIG: "example" must name a real environment\'s config');
  });

  test.each([
    [['--help'], 0, `${USAGE}\n`, ''],
    [['--bogus'], 2, '', `smoke: unknown option --bogus\n${USAGE}\n`],
    [['--timeout', 'soon'], 2, '', `smoke: --timeout must be a number from 0.1 to 120, got "soon"\n${USAGE}\n`],
    [['--only'], 2, '', `smoke: --only needs a value\n${USAGE}\n`],
    [['--only', 'nowhere.example.org'], 2, '', `smoke: --only nowhere.example.org: not a host of dev\n${USAGE}\n`],
  ])('%j exits %i', async (argv, code, stdout, stderr) => {
    const r = await smoke(argv);
    expect([r.code, r.out, r.err.replace(/^config: .*\n/, '')]).toEqual([code, stdout, stderr]);
  });
});
