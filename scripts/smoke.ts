/**
 * `npm run smoke`: proves the live front door of the environment CENTRAL_AUTH_CONFIG selects after
 * a deploy (docs/smoke.md). What a correct deployment answers is read from the synthesized stacks;
 * what only exists after apply (pool, client ids, the ALB, web ACLs) from the AWS API, read-only;
 * then every host is asked over HTTPS, without a browser and without following any redirect.
 *
 * Creates nothing, except with --with-machine-token one short-lived machine token per bearer scope
 * set. Exit codes: 0 no FAIL, 1 a FAIL (or the check could not run), 2 bad usage or the embedded
 * example. Needs the AWS CLI with cognito-idp:ListUserPools, ListUserPoolClients,
 * elasticloadbalancing:DescribeLoadBalancers, wafv2:GetWebACLForResource (and
 * cognito-idp:DescribeUserPoolClient with --with-machine-token).
 */
import { lookup as dnsLookup } from 'dns/promises';
import { resolve as resolvePath } from 'path';
import { ConfigError } from '../modules/config/errors';
import { CONFIG_ENV_VAR, selectConfig } from '../modules/config/select';
import { loadDeployment } from '../modules/deployment';
import { cliRunner } from './aws-cli';
import { checkWebAcls, lookUpLive } from './smoke/aws';
import { type CheckContext, checkHost, checkPool, mapLimit } from './smoke/checks';
import { readExpectations } from './smoke/expectations';
import { createProber } from './smoke/http';
import { parseArgs, type SmokeOptions, USAGE, UsageError } from './smoke/options';
import { exitCode, type Report, renderJson, renderText } from './smoke/report';
import { synthesize } from './smoke/stacks';
import { obtainMachineTokens } from './smoke/token';
import type { AwsRunner, CheckResult, Resolver, SynthesizedStacks } from './smoke/types';

export { USAGE } from './smoke/options';
export type { Report } from './smoke/report';

/** The project root: where main.ts is synthesized from. */
const ROOT = resolvePath(__dirname, '..');

export interface SmokeIo {
  readonly env: NodeJS.ProcessEnv;
  readonly stdout: (s: string) => void;
  readonly stderr: (s: string) => void;
  /** Runs `aws <args>`. @default - the AWS CLI */
  readonly aws?: AwsRunner;
  /** The synthesized stacks of the selected config. @default - a synth into a temporary folder */
  readonly synth?: (env: NodeJS.ProcessEnv) => Promise<SynthesizedStacks>;
  /** Where each host is reached (tests: local servers; SNI and Host stay the host). @default - DNS */
  readonly resolve?: Resolver;
  /** CA certificates to trust instead of the system's. @default - the system's */
  readonly ca?: string | Buffer;
  /** A name's addresses, for the alias check. @default - DNS */
  readonly lookup?: (name: string) => Promise<string[]>;
  readonly now?: () => Date;
  /** Wait before the first retry, doubled for each next one. @default 250 */
  readonly backoffMs?: number;
}

/** Like `main`, with the report for callers that want the numbers (the tests' 40-host timing). */
export async function run(argv: string[], io: SmokeIo): Promise<{ code: number; report?: Report }> {
  let options: SmokeOptions;
  try {
    options = parseArgs(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.stderr(`smoke: ${err.message}\n${USAGE}\n`);
    return { code: 2 };
  }
  if (options.help) {
    io.stdout(`${USAGE}\n`);
    return { code: 0 };
  }

  let loaded: { file: string; deployment: ReturnType<typeof loadDeployment> };
  try {
    const selection = selectConfig(io.env, { cwd: ROOT });
    if (selection.example) {
      io.stderr(
        `smoke: the embedded example is never deployed, so there is nothing to check: set ${CONFIG_ENV_VAR}=environments/<env>.yaml\n${USAGE}\n`,
      );
      return { code: 2 };
    }
    io.stderr(`${selection.line}\n`);
    loaded = { file: (io.env[CONFIG_ENV_VAR] ?? '').trim(), deployment: loadDeployment(io.env, { cwd: ROOT }) };
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    io.stderr(`${err.message}\n`);
    // A deploy run (CENTRAL_AUTH_APPLYING) refuses the example here: bad usage, like the check above.
    return { code: err.problems.some((p) => p.field === CONFIG_ENV_VAR) ? 2 : 1 };
  }
  const { config } = loaded.deployment;
  const unknown = options.only.filter((h) => !config.apps.some((a) => a.host === h));
  if (unknown.length > 0) {
    io.stderr(`smoke: --only ${unknown.join(', ')}: not a host of ${config.environment}\n${USAGE}\n`);
    return { code: 2 };
  }

  const synthStart = Date.now();
  let exp: ReturnType<typeof readExpectations>;
  try {
    const stacks = await (io.synth ?? ((env: NodeJS.ProcessEnv) => synthesize(env, ROOT)))(io.env);
    exp = readExpectations(stacks, config);
  } catch (err) {
    // A synth that fails (SynthError) or stacks the checks cannot read (ExpectationError): nothing to judge against.
    io.stderr(`smoke: cannot tell what ${config.environment} should answer: ${(err as Error).message}\n`);
    return { code: 1 };
  }
  const synthMs = Date.now() - synthStart;

  const checkStart = Date.now();
  // Bounded: a hanging call must not hold the deploy job.
  const aws = io.aws ?? cliRunner(io.env, 60_000);
  const { live, results: lookups } = lookUpLive(exp, aws);
  const results: CheckResult[] = [...lookups, ...checkWebAcls(exp, live, aws)];
  const hosts = exp.hosts.filter((h) => options.only.length === 0 || options.only.includes(h.host));
  // Every request, and every redirect judged, stays within the environment's hosts and its Cognito hosts.
  const allowedHosts = new Set([...exp.hosts.map((h) => h.host), ...exp.cognitoHosts]);
  const prober = createProber({
    allowedHosts,
    ...(io.resolve ? { resolve: io.resolve } : {}),
    ...(io.ca ? { ca: io.ca } : {}),
    timeoutMs: options.timeoutMs,
    retries: options.retries,
    backoffMs: io.backoffMs ?? 250,
  });
  let skipped = 0;
  try {
    const machine = options.withMachineToken
      ? await obtainMachineTokens(
          hosts.flatMap((h) => h.bearerScopes),
          { exp, live, aws, prober },
        )
      : { tokens: new Map<string, string>(), results: [] };
    const ctx: CheckContext = {
      exp,
      live,
      prober,
      allowedHosts,
      cognitoHosts: new Set(exp.cognitoHosts),
      lookup: io.lookup ?? (async (name) => (await dnsLookup(name, { all: true })).map((a) => a.address)),
      now: io.now ?? (() => new Date()),
      tokens: machine.tokens,
    };
    const [pool, perHost] = await Promise.all([checkPool(ctx), mapLimit(hosts, options.concurrency, (h) => checkHost(ctx, h))]);
    results.push(...pool, ...machine.results, ...perHost.flatMap((h) => h.results));
    skipped = perHost.reduce((n, h) => n + h.skipped, 0);
  } finally {
    prober.close();
  }

  const report: Report = {
    environment: config.environment,
    config: loaded.file,
    hosts: hosts.length,
    results,
    skipped,
    synthMs,
    checkMs: Date.now() - checkStart,
  };
  io.stdout(options.json ? renderJson(report) : renderText(report));
  return { code: exitCode(results), report };
}

export async function main(argv: string[], io: SmokeIo): Promise<number> {
  return (await run(argv, io)).code;
}

if (require.main === module) {
  main(process.argv.slice(2), {
    env: process.env,
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`smoke: ${(err as Error).stack ?? String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
