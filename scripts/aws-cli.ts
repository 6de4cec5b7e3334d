/**
 * The AWS CLI as the scripts use it (`npm run revoke`, `npm run smoke`): a runner tests can replace,
 * and the one lookup both make, the environment's user pool by its name.
 */
import { spawnSync } from 'child_process';

/** Runs `aws <args>`: status and output. */
export type AwsRunner = (args: string[]) => { status: number | null; stdout: string; stderr: string };

/** The AWS CLI as a child process; its absence (or, with a timeout, its hanging) is an answer, not a crash. */
export function cliRunner(env: NodeJS.ProcessEnv, timeoutMs?: number): AwsRunner {
  return (args) => {
    const r = spawnSync('aws', args, { env, encoding: 'utf8', ...(timeoutMs === undefined ? {} : { timeout: timeoutMs }) });
    if (r.error) return { status: 127, stdout: '', stderr: `aws CLI not found or not finished (${r.error.message}): install AWS CLI v2` };
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };
}

/**
 * The ids of the user pools named `name` in `region` (ListUserPools: the CLI pages through it
 * itself), or the failed call. Names are not unique in Cognito: callers decide what two mean.
 */
export function userPoolsNamed(
  aws: AwsRunner,
  region: string,
  name: string,
): { readonly ids: readonly string[] } | { readonly failed: ReturnType<AwsRunner> } {
  const r = aws(['cognito-idp', 'list-user-pools', '--region', region, '--max-results', '60', '--output', 'json']);
  if (r.status !== 0) return { failed: r };
  let pools: { Id: string; Name: string }[] = [];
  try {
    pools = (JSON.parse(r.stdout || '{}') as { UserPools?: { Id: string; Name: string }[] }).UserPools ?? [];
  } catch {
    // Not JSON (a proxy's page, a truncated write): no pool found.
  }
  return { ids: pools.filter((p) => p.Name === name).map((p) => p.Id) };
}
