/**
 * Offboarding: `npm run revoke -- <username>` signs the user out of every device and app (Cognito
 * AdminUserGlobalSignOut revokes every refresh token, so each ALB session ends at its next token
 * refresh, at most cognito.accessTokenValidityMinutes later) and disables the user, so no new
 * sign-in succeeds. Federated users are named <provider>_<id> in the pool (e.g. EntraID_alice@acme.io);
 * disable them in the IdP too. Needs the AWS CLI with credentials allowed cognito-idp:ListUserPools,
 * AdminUserGlobalSignOut and AdminDisableUser.
 *
 * The pool is CENTRAL_AUTH_USER_POOL_ID when set; else the pool of the environment CENTRAL_AUTH_CONFIG
 * selects, found by its name (`<environment>-central-auth-users`) in the config's region: no
 * Terraform, no state, no synth. The embedded example is refused: it names no real pool.
 *
 * Exit codes: 0 done, 1 the pool cannot be found or an AWS call failed, 2 bad usage.
 */
import { type AwsRunner, cliRunner, userPoolsNamed } from './aws-cli';
import { ConfigError } from '../modules/config/errors';
import { prepareConfig } from '../modules/config/load';
import { withLocations } from '../modules/config/locate';
import { selectConfig } from '../modules/config/select';
import { planDeployment } from '../modules/plan/deployment';
import { userPoolName } from '../modules/plan/naming';

export const USAGE = `usage: npm run revoke -- <username>

Signs <username> out of every device and app and disables it in the user pool of the environment
CENTRAL_AUTH_CONFIG selects (or CENTRAL_AUTH_USER_POOL_ID, e.g. eu-west-1_AbCdEf123).
Federated users are named <provider>_<id>, e.g. EntraID_alice@acme.io.`;

const POOL_ID = /^([a-z]{2}(?:-gov|-iso[a-z]*)?-[a-z]+-[0-9])_[0-9A-Za-z]+$/;

export interface RevokeIo {
  readonly env: NodeJS.ProcessEnv;
  readonly stdout: (s: string) => void;
  readonly stderr: (s: string) => void;
  /** Runs `aws <args>` (tests replace the AWS CLI). */
  readonly aws?: AwsRunner;
}

class RevokeError extends Error {}

/** The pool id: CENTRAL_AUTH_USER_POOL_ID, or the selected environment's pool looked up by name. */
function findPool(io: RevokeIo, aws: AwsRunner): string {
  const given = (io.env.CENTRAL_AUTH_USER_POOL_ID ?? '').trim();
  if (given !== '') {
    if (!POOL_ID.test(given))
      throw new RevokeError(`CENTRAL_AUTH_USER_POOL_ID "${given}" is not a user pool id such as eu-west-1_AbCdEf123`);
    return given;
  }
  const selection = selectConfig(io.env, { cwd: process.cwd() });
  if (selection.example) {
    throw new RevokeError(
      'the embedded example names no real user pool: set CENTRAL_AUTH_CONFIG=environments/<env>.yaml (or CENTRAL_AUTH_USER_POOL_ID)',
    );
  }
  const config = withLocations(selection.locate, () => prepareConfig(selection.raw, selection.source, io.env));
  const { pool } = planDeployment(config, { applying: false }).auth;
  const name = userPoolName(pool.namePrefix);
  const found = userPoolsNamed(aws, pool.region, name);
  if ('failed' in found) throw new RevokeError(`listing the user pools in ${pool.region} failed: ${found.failed.stderr.trim()}`);
  const pools = found.ids;
  if (pools.length === 0) {
    throw new RevokeError(
      `no user pool named ${name} in ${pool.region}: the auth stack of ${config.environment} is not applied yet (deploy it first), or set CENTRAL_AUTH_USER_POOL_ID`,
    );
  }
  if (pools.length > 1) {
    throw new RevokeError(
      `${pools.length} user pools are named ${name} in ${pool.region} (${pools.join(', ')}): set CENTRAL_AUTH_USER_POOL_ID to the one the auth stack manages`,
    );
  }
  return pools[0]!;
}

export function main(argv: string[], io: RevokeIo): number {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  const option = argv.find((a) => a.startsWith('-'));
  if (option !== undefined || argv.length !== 1) {
    io.stderr(`${option !== undefined ? `revoke: unknown option ${option}\n` : ''}${USAGE}\n`);
    return 2;
  }
  const user = argv[0]!;
  // Cognito's Username: 1-128 characters of [\p{L}\p{M}\p{S}\p{N}\p{P}] (API reference, AdminDisableUser).
  if (!/^[\p{L}\p{M}\p{S}\p{N}\p{P}]{1,128}$/u.test(user)) {
    io.stderr(`revoke: username must be 1-128 printable characters without spaces: ${JSON.stringify(user)}\n`);
    return 2;
  }
  const aws = io.aws ?? cliRunner(io.env);
  try {
    const pool = findPool(io, aws);
    const region = POOL_ID.exec(pool)![1]!;
    for (const action of ['admin-user-global-sign-out', 'admin-disable-user']) {
      const r = aws(['cognito-idp', action, '--region', region, '--user-pool-id', pool, '--username', user]);
      if (r.status !== 0) throw new RevokeError(`${action} failed for ${user} in ${pool}: ${r.stderr.trim()}`);
    }
    io.stdout(`revoke: ${user} signed out everywhere and disabled in ${pool}; their ALB sessions end within the access token lifetime\n`);
    return 0;
  } catch (err) {
    if (err instanceof RevokeError) io.stderr(`revoke: ${err.message}\n`);
    else if (err instanceof ConfigError) io.stderr(`${err.message}\n`);
    else throw err;
    return 1;
  }
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2), {
    env: process.env,
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
  });
}
