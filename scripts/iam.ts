/**
 * `npm run iam -- plan|deploy [--from DIR]... [--account ID]`
 *
 * Prints the IAM policy document the CI plan role (`plan`: terraform plan of every stack, read-only)
 * or deploy role (`deploy`: everything `plan` has, plus create, update and delete) needs for the
 * selected config: the actions hashicorp/aws calls for every resource and data source type of the
 * synthesized stacks (scripts/iam/actions.ts), scoped to this environment's names and ARNs
 * (scripts/iam/scope.ts), and the state backend's (scripts/iam/state.ts). docs/iam.md says how to
 * attach it.
 *
 * The app picks the config itself (CENTRAL_AUTH_CONFIG) and is synthesized into a temporary folder;
 * `--from DIR` reads a cdktf output instead, and may be repeated to cover several (both sides of a
 * change that removes a resource type: the deploy deletes what only the old side has).
 *
 * Exit codes: 0 printed, 1 synth failed or the stacks hold something the map does not know, 2 bad usage.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildPolicy, contextOf } from './iam/policy';
import { readStacks } from './iam/read';
import { MANAGED_POLICY_LIMIT, policySize, splitPolicy } from './iam/split';
import { ROLES, type Role } from './iam/types';
import { runSynth, SynthError } from './synth-runner';

export const USAGE = 'usage: npm run iam -- <plan|deploy> [--from DIR]... [--account ID]';

const HELP = `${USAGE}

Prints, as JSON, the IAM policy the CI plan role (plan: terraform plan of every stack, read-only)
or deploy role (deploy: the plan role's actions and create, update, delete) needs for the config
CENTRAL_AUTH_CONFIG selects, synthesized into a temporary folder.

  --from DIR     read the cdktf output in DIR (DIR/stacks/<stack>/cdk.tf.json) instead of
                 synthesizing; repeat it to cover several outputs
  --account ID   the 12-digit AWS account the stacks deploy to (default: the one the ARNs in
                 the stacks name, else * in every ARN)

A policy over IAM's ${MANAGED_POLICY_LIMIT} characters for a managed policy is printed as a JSON array of
documents, each to attach as its own managed policy. See docs/iam.md.
`;

export interface CliIo {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

interface Args {
  readonly role: Role;
  readonly from: readonly string[];
  readonly account?: string;
}

/** The arguments, or the one argument that is wrong. */
function parse(argv: readonly string[], cwd: string): Args | { bad: string; why: string } {
  let role: Role | undefined;
  let account: string | undefined;
  const from: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--from' || a === '--account') {
      const value = argv[++i];
      if (value === undefined || value.startsWith('--')) return { bad: a, why: 'needs a value' };
      if (a === '--from') from.push(path.resolve(cwd, value));
      else if (/^\d{12}$/.test(value)) account = value;
      else return { bad: `--account ${value}`, why: 'is not a 12-digit AWS account id' };
    } else if (a.startsWith('-')) return { bad: a, why: 'is not an option' };
    else if (!(ROLES as readonly string[]).includes(a)) return { bad: a, why: 'is not plan or deploy' };
    else if (role !== undefined) return { bad: a, why: 'is a second role' };
    else role = a as Role;
  }
  if (!role) return { bad: '(none)', why: 'a role is required: plan or deploy' };
  return { role, from, ...(account ? { account } : {}) };
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout(HELP);
    return 0;
  }
  const args = parse(argv, io.cwd);
  if ('bad' in args) {
    io.stderr(`iam: bad argument ${args.bad}: ${args.why}\n${USAGE}\n`);
    return 2;
  }
  let tmp: string | undefined;
  try {
    let dirs = args.from;
    if (dirs.length === 0) {
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'central-auth-iam-'));
      await runSynth({ cwd: io.cwd, outdir: tmp, env: io.env, log: io.stderr });
      dirs = [tmp];
    }
    const stacks = dirs.flatMap((dir) => readStacks(dir));
    const options = args.account ? { account: args.account } : {};
    const context = contextOf(stacks, options);
    if (context.account === '*') io.stderr(`iam: account: ${context.accountSource}; pass --account ID\n`);
    const policy = buildPolicy(stacks, args.role, options);
    const documents = splitPolicy(policy);
    if (documents.length > 1) {
      io.stderr(
        `iam: the ${args.role} policy has ${policySize(policy)} characters, over the ${MANAGED_POLICY_LIMIT} of an IAM managed policy: ` +
          `printed as an array of ${documents.length} documents, attach each as its own managed policy\n`,
      );
    }
    io.stdout(`${JSON.stringify(documents.length > 1 ? documents : policy, null, 2)}\n`);
    return 0;
  } catch (e) {
    // The app has printed why (its config or policy message) through the log above.
    if (e instanceof SynthError) io.stderr('iam: the synth failed (see above); no policy printed\n');
    else io.stderr(`iam: ${(e as Error).message}\n`);
    return 1;
  } finally {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  }
}

if (require.main === module) {
  void main(process.argv.slice(2), {
    cwd: process.cwd(),
    env: process.env,
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
  }).then((code) => {
    process.exitCode = code;
  });
}
