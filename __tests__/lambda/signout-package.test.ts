// The sign-out function as deployed: the real zip, unpacked into a fresh folder outside the
// repository, loaded the way Lambda loads it (handler path from the function's `handler`).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { handlerEntry, handlerSources, packageHandler } from '../../modules/constructs/lambda-package';
import { SIGNOUT_HANDLER_DIR, signoutHandlerConfig } from '../../modules/constructs/signout-endpoint';
import { PRETOKEN_HANDLER_DIR } from '../../modules/constructs/pretoken-trigger';

type Handler = (event: unknown) => Promise<{ statusCode: number; multiValueHeaders?: Record<string, string[]> }>;

const CLIENT_A = '1example23456789abcdefghij';
const CLIENT_B = '7other89abcdefghij01234567';
const ENV = {
  COGNITO_LOGOUT_ENDPOINT: 'https://login.example.com/logout',
  CLIENT_IDS: `${CLIENT_A},${CLIENT_B}`,
  COGNITO_ISSUER_URL: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Example12',
};

function multiEvent(host: string) {
  return {
    requestContext: { elb: { targetGroupArn: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/sgo/1' } },
    httpMethod: 'GET',
    path: '/_auth/signout',
    multiValueQueryStringParameters: {},
    multiValueHeaders: { host: [host], cookie: ['AWSELBAuthSessionCookie-0=abc'] },
    body: '',
    isBase64Encoded: false,
  };
}

describe('the sign-out package as Lambda runs it', () => {
  let dir: string;
  let saved: Record<string, string | undefined>;
  const config = signoutHandlerConfig({
    hosts: { 'ci.example.com': 1, 'grafana.example.com': 0 },
    cookieName: 'AWSELBAuthSessionCookie',
    signoutPath: '/_auth/signout',
    shardCount: 3,
  });

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'signout-zip-'));
    saved = Object.fromEntries(Object.keys(ENV).map((k) => [k, process.env[k]]));
    Object.assign(process.env, ENV);
  });
  afterEach(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function unpack(zip: string): Handler {
    execFileSync('unzip', ['-q', zip, '-d', dir]);
    const [file, name] = handlerEntry(SIGNOUT_HANDLER_DIR).split(/\.(?=[^.]+$)/);
    let mod: Record<string, Handler> | undefined;
    jest.isolateModules(() => {
      mod = require(path.join(dir, `${file}.js`));
    });
    return mod![name!]!;
  }

  test('holds the handler, the verifier files it requires and config.json, laid out as in the repository', () => {
    // WHEN the package is built
    const zip = packageHandler('signout-test', SIGNOUT_HANDLER_DIR, config);
    const listing = execFileSync('unzip', ['-Z1', zip], { encoding: 'utf8' }).trim().split('\n').sort();
    // THEN it holds exactly the handler's sources and its config, and the entry point is its index.js
    expect(listing).toEqual([...handlerSources(SIGNOUT_HANDLER_DIR), 'lambda/signout/config.json'].sort());
    expect(listing).toEqual(
      expect.arrayContaining(['lambda/signout/index.js', 'verifier/tokens.js', 'verifier/jwks.js', 'verifier/jws.js', 'verifier/fetch.js']),
    );
    expect(listing).not.toContain('verifier/server.js');
    expect(handlerEntry(SIGNOUT_HANDLER_DIR)).toBe('lambda/signout/index.handler');
    // AND the pre-token function needs nothing outside its folder
    expect(handlerSources(PRETOKEN_HANDLER_DIR).every((f) => f.startsWith('lambda/pretoken/'))).toBe(true);
  });

  test('signs out using config.json from its own folder and the environment', async () => {
    // GIVEN the unpacked package and the environment Terraform sets
    const handler = unpack(packageHandler('signout-test', SIGNOUT_HANDLER_DIR, config));
    const spy = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      // WHEN the handler is invoked for the ci host
      const res = await handler(multiEvent('ci.example.com'));
      // THEN it clears the 3 configured shards and redirects with the second client
      expect(res.statusCode).toBe(302);
      expect(res.multiValueHeaders?.['Set-Cookie']).toHaveLength(3);
      expect(new URL(res.multiValueHeaders!.Location![0]!).searchParams.get('client_id')).toBe(CLIENT_B);
      expect(JSON.parse(spy.mock.calls[0]![0] as string)).toMatchObject({ msg: 'signout', global: 'no-session' });
    } finally {
      spy.mockRestore();
    }
  });

  test('fails with a clear error when config.json is missing from the package', async () => {
    // GIVEN a package whose config.json was removed
    const handler = unpack(packageHandler('signout-test', SIGNOUT_HANDLER_DIR, config));
    const configPath = path.join(dir, 'lambda', 'signout', 'config.json');
    fs.rmSync(configPath);
    const spy = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      // WHEN the handler is invoked
      const res = await handler(multiEvent('ci.example.com'));
      // THEN it answers 500 and logs where config.json was expected
      expect(res.statusCode).toBe(500);
      expect(spy).toHaveBeenCalledTimes(1);
      expect(JSON.parse(spy.mock.calls[0]![0] as string).error).toContain(`config.json not found at ${configPath}`);
    } finally {
      spy.mockRestore();
    }
  });

  test('fails when a handler requires a file that is not in the repository', () => {
    // GIVEN a handler folder whose file requires a missing sibling
    const broken = fs.mkdtempSync(path.join(path.dirname(SIGNOUT_HANDLER_DIR), 'broken-'));
    try {
      fs.writeFileSync(path.join(broken, 'index.js'), "require('./missing');\n");
      // WHEN its sources are listed THEN the missing file is named
      expect(() => handlerSources(broken)).toThrow(
        `lambda package: lambda/${path.basename(broken)}/missing.js is required but is not a file of the repository`,
      );
    } finally {
      fs.rmSync(broken, { recursive: true, force: true });
    }
  });
});
