import { spawnSync } from 'child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { ROOT } from '../run-main';

const SCRIPT = join(ROOT, 'scripts', 'revoke.sh');

/** A folder with fake `aws` and `terraform` commands that record their arguments, one call per line. */
function fakes(poolFromState = 'eu-west-1_AbCdEf123'): { dir: string; bin: string; calls: () => string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'revoke-'));
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  const log = join(dir, 'calls.log');
  for (const [name, out] of [
    ['aws', ''],
    ['terraform', poolFromState],
  ]) {
    writeFileSync(
      join(bin, name!),
      `#!/usr/bin/env bash\nprintf '%s' "${name}" >> "${log}"; printf ' [%s]' "$@" >> "${log}"; echo >> "${log}"\nprintf '%s' "${out}"\n`,
    );
    chmodSync(join(bin, name!), 0o755);
  }
  return { dir, bin, calls: () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []) };
}

function revoke(cwd: string, bin: string, args: string[], env: Record<string, string> = {}) {
  return spawnSync('bash', [SCRIPT, ...args], { cwd, encoding: 'utf8', env: { PATH: `${bin}:/usr/bin:/bin`, ...env } });
}

describe('npm run revoke -- <username>', () => {
  test('signs the user out everywhere, then disables them, in the pool of the auth stack', () => {
    // GIVEN a synthesized auth stack whose state names the pool
    const { dir, bin, calls } = fakes();
    mkdirSync(join(dir, 'cdktf.out', 'stacks', 'auth'), { recursive: true });
    // WHEN a user is revoked
    const run = revoke(dir, bin, ['EntraID_alice@acme.io']);
    // THEN both calls are made, in this order, in the pool's region, with the name as one argument
    expect(run.status).toBe(0);
    expect(calls()).toEqual([
      'terraform [-chdir=cdktf.out/stacks/auth] [output] [-raw] [user_pool_id]',
      'aws [cognito-idp] [admin-user-global-sign-out] [--region] [eu-west-1] [--user-pool-id] [eu-west-1_AbCdEf123] [--username] [EntraID_alice@acme.io]',
      'aws [cognito-idp] [admin-disable-user] [--region] [eu-west-1] [--user-pool-id] [eu-west-1_AbCdEf123] [--username] [EntraID_alice@acme.io]',
    ]);
    expect(run.stdout).toContain('signed out everywhere and disabled in eu-west-1_AbCdEf123');
  });

  test('CENTRAL_AUTH_USER_POOL_ID names the pool without reading state', () => {
    const { dir, bin, calls } = fakes();
    const run = revoke(dir, bin, ['bob'], { CENTRAL_AUTH_USER_POOL_ID: 'us-gov-west-1_Xyz789' });
    expect(run.status).toBe(0);
    expect(calls()[0]).toBe(
      'aws [cognito-idp] [admin-user-global-sign-out] [--region] [us-gov-west-1] [--user-pool-id] [us-gov-west-1_Xyz789] [--username] [bob]',
    );
  });

  test.each([
    [[], 2, 'usage: npm run revoke -- <username>'],
    [['two words'], 2, 'revoke: username must be 1-128 printable characters without spaces: two\\ words'],
    [['a', 'b'], 2, 'usage: npm run revoke -- <username>'],
  ] as [string[], number, string][])('fails when the arguments are %j, calling nothing', (args, code, message) => {
    const { dir, bin, calls } = fakes();
    const run = revoke(dir, bin, args);
    expect([run.status, run.stderr.trim()]).toEqual([code, message]);
    expect(calls()).toEqual([]);
  });

  test('fails when there is no synthesized auth stack, or the state gives no pool id', () => {
    const { dir, bin } = fakes('');
    expect(revoke(dir, bin, ['bob']).stderr.trim()).toBe(
      'revoke: cdktf.out/stacks/auth not found: run npx cdktf synth first, or set CENTRAL_AUTH_USER_POOL_ID',
    );
    mkdirSync(join(dir, 'cdktf.out', 'stacks', 'auth'), { recursive: true });
    const run = revoke(dir, bin, ['bob']);
    expect([run.status, run.stderr.trim()]).toEqual([1, 'revoke: "" is not a user pool id such as eu-west-1_AbCdEf123']);
  });
});
