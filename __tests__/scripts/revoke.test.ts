// `npm run revoke -- <username>`: finds the selected environment's pool by name through the AWS
// API (no Terraform, no state), then signs the user out everywhere and disables them.
import { spawnSync } from 'child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { main, USAGE } from '../../scripts/revoke';
import { ROOT } from '../run-main';

const DEV = join(ROOT, 'environments', 'dev.yaml');
const POOLS = (pools: { Id: string; Name: string }[]) => JSON.stringify({ UserPools: pools });

/** Runs main with a stand-in AWS CLI that answers list-user-pools with `pools` and records every call. */
function revoke(argv: string[], env: NodeJS.ProcessEnv, pools = POOLS([{ Id: 'eu-west-1_AbCdEf123', Name: 'dev-central-auth-users' }])) {
  const calls: string[][] = [];
  const out: string[] = [];
  const err: string[] = [];
  const code = main(argv, {
    env,
    stdout: (s) => out.push(s),
    stderr: (s) => err.push(s),
    aws: (args) => {
      calls.push(args);
      return args[1] === 'list-user-pools' ? { status: 0, stdout: pools, stderr: '' } : { status: 0, stdout: '', stderr: '' };
    },
  });
  return { code, calls, out: out.join(''), err: err.join('') };
}

describe('npm run revoke -- <username>', () => {
  test("finds the environment's pool by name in its region, then signs the user out everywhere and disables them", () => {
    // GIVEN the dev environment selected, and a region holding its pool and another environment's
    const pools = POOLS([
      { Id: 'eu-west-1_Other999', Name: 'prod-central-auth-users' },
      { Id: 'eu-west-1_AbCdEf123', Name: 'dev-central-auth-users' },
    ]);
    // WHEN a federated user is revoked
    const r = revoke(['EntraID_alice@acme.io'], { CENTRAL_AUTH_CONFIG: DEV }, pools);
    // THEN the pool is looked up, and both calls go to it, in this order, with the name as one argument
    expect([r.code, r.err]).toEqual([0, '']);
    expect(r.calls).toEqual([
      ['cognito-idp', 'list-user-pools', '--region', 'eu-west-1', '--max-results', '60', '--output', 'json'],
      [
        'cognito-idp',
        'admin-user-global-sign-out',
        '--region',
        'eu-west-1',
        '--user-pool-id',
        'eu-west-1_AbCdEf123',
        '--username',
        'EntraID_alice@acme.io',
      ],
      [
        'cognito-idp',
        'admin-disable-user',
        '--region',
        'eu-west-1',
        '--user-pool-id',
        'eu-west-1_AbCdEf123',
        '--username',
        'EntraID_alice@acme.io',
      ],
    ]);
    expect(r.out).toBe(
      'revoke: EntraID_alice@acme.io signed out everywhere and disabled in eu-west-1_AbCdEf123; their ALB sessions end within the access token lifetime\n',
    );
  });

  test('CENTRAL_AUTH_USER_POOL_ID names the pool without any lookup', () => {
    const r = revoke(['bob'], { CENTRAL_AUTH_USER_POOL_ID: 'us-gov-west-1_Xyz789' });
    expect(r.code).toBe(0);
    expect(r.calls.map((c) => c.slice(1, 6))).toEqual([
      ['admin-user-global-sign-out', '--region', 'us-gov-west-1', '--user-pool-id', 'us-gov-west-1_Xyz789'],
      ['admin-disable-user', '--region', 'us-gov-west-1', '--user-pool-id', 'us-gov-west-1_Xyz789'],
    ]);
  });

  test.each([
    [[], 2, `${USAGE}\n`],
    [['--force', 'bob'], 2, `revoke: unknown option --force\n${USAGE}\n`],
    [['a', 'b'], 2, `${USAGE}\n`],
    [['two words'], 2, 'revoke: username must be 1-128 printable characters without spaces: "two words"\n'],
    [['x'.repeat(129)], 2, `revoke: username must be 1-128 printable characters without spaces: "${'x'.repeat(129)}"\n`],
  ] as [string[], number, string][])('refuses the arguments %j before calling anything', (args, code, message) => {
    const r = revoke(args, { CENTRAL_AUTH_CONFIG: DEV });
    expect([r.code, r.err, r.calls]).toEqual([code, message, []]);
  });

  test('--help prints the usage and exits 0, calling nothing', () => {
    const r = revoke(['--help'], {});
    expect([r.code, r.out, r.calls]).toEqual([0, `${USAGE}\n`, []]);
  });

  test.each([[{}], [{ CENTRAL_AUTH_CONFIG: 'example' }]] as [
    NodeJS.ProcessEnv,
  ][])('refuses the embedded example (%j), calling nothing', (env) => {
    const r = revoke(['bob'], env);
    expect([r.code, r.err, r.calls]).toEqual([
      1,
      'revoke: the embedded example names no real user pool: set CENTRAL_AUTH_CONFIG=environments/<env>.yaml (or CENTRAL_AUTH_USER_POOL_ID)\n',
      [],
    ]);
  });

  test('says when the auth stack is not applied yet: no pool of that name', () => {
    const r = revoke(['bob'], { CENTRAL_AUTH_CONFIG: DEV }, POOLS([{ Id: 'eu-west-1_Other999', Name: 'prod-central-auth-users' }]));
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      'revoke: no user pool named dev-central-auth-users in eu-west-1: the auth stack of dev is not applied yet (deploy it first), or set CENTRAL_AUTH_USER_POOL_ID\n',
    );
    expect(r.calls).toHaveLength(1);
  });

  test('refuses to guess between two pools of the same name', () => {
    const pools = POOLS([
      { Id: 'eu-west-1_A1', Name: 'dev-central-auth-users' },
      { Id: 'eu-west-1_B2', Name: 'dev-central-auth-users' },
    ]);
    const r = revoke(['bob'], { CENTRAL_AUTH_CONFIG: DEV }, pools);
    expect([r.code, r.err]).toEqual([
      1,
      'revoke: 2 user pools are named dev-central-auth-users in eu-west-1 (eu-west-1_A1, eu-west-1_B2): set CENTRAL_AUTH_USER_POOL_ID to the one the auth stack manages\n',
    ]);
  });

  test('a bad CENTRAL_AUTH_USER_POOL_ID and a bad config are named, without a stack trace', () => {
    expect(revoke(['bob'], { CENTRAL_AUTH_USER_POOL_ID: 'pool-1' }).err).toBe(
      'revoke: CENTRAL_AUTH_USER_POOL_ID "pool-1" is not a user pool id such as eu-west-1_AbCdEf123\n',
    );
    const r = revoke(['bob'], { CENTRAL_AUTH_CONFIG: join(tmpdir(), 'missing.yaml') });
    expect([r.code, r.err]).toEqual([
      1,
      `Invalid config (1 problem):\n  - CENTRAL_AUTH_CONFIG: "${join(tmpdir(), 'missing.yaml')}" cannot be read (ENOENT)\n`,
    ]);
  });
});

describe('npm run revoke (the command)', () => {
  test('runs through package.json with a real AWS CLI on PATH, here a stand-in that records its calls', () => {
    // GIVEN a stand-in `aws` first on PATH
    const dir = mkdtempSync(join(tmpdir(), 'revoke-cli-'));
    mkdirSync(join(dir, 'bin'));
    const log = join(dir, 'calls.log');
    writeFileSync(
      join(dir, 'bin', 'aws'),
      `#!/usr/bin/env bash\necho "$*" >> "${log}"\n[ "$2" = list-user-pools ] && echo '${POOLS([{ Id: 'eu-west-1_AbCdEf123', Name: 'dev-central-auth-users' }])}'\nexit 0\n`,
    );
    chmodSync(join(dir, 'bin', 'aws'), 0o755);
    // WHEN npm run revoke runs
    const r = spawnSync('npm', ['run', '--silent', 'revoke', '--', 'bob'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, PATH: `${join(dir, 'bin')}:${process.env.PATH}`, CENTRAL_AUTH_CONFIG: DEV },
    });
    // THEN it looks the pool up and revokes, with the AWS CLI
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(readFileSync(log, 'utf8').trim().split('\n')).toEqual([
      'cognito-idp list-user-pools --region eu-west-1 --max-results 60 --output json',
      'cognito-idp admin-user-global-sign-out --region eu-west-1 --user-pool-id eu-west-1_AbCdEf123 --username bob',
      'cognito-idp admin-disable-user --region eu-west-1 --user-pool-id eu-west-1_AbCdEf123 --username bob',
    ]);
  });
});
