// `npm run iam -- plan|deploy`: the IAM policies of the CI roles, derived from the synthesized stacks.
// The example's and the rich config's policies are pinned byte for byte (reviewed once, in
// __tests__/fixtures/iam/); the rest checks what must hold for any config: every type is mapped, the
// plan role only reads, nothing is allowed on every action, and each document fits IAM's size limit.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { generateConfig } from '../../scripts/bench';
import { main } from '../../scripts/iam';
import { DATA_ACTIONS, TYPE_ACTIONS, UNCONFIRMED } from '../../scripts/iam/actions';
import { buildPolicy } from '../../scripts/iam/policy';
import { readStacks } from '../../scripts/iam/read';
import { MANAGED_POLICY_LIMIT, policySize, splitPolicy } from '../../scripts/iam/split';
import type { PolicyDocument, Role, Statement } from '../../scripts/iam/types';
import { runSynth } from '../../scripts/synth-runner';
import { ORDERED, STATEFUL, STATELESS } from '../../scripts/upgrade/classes';
import { ROOT } from '../run-main';

const FIXTURES = path.join(ROOT, '__tests__', 'fixtures', 'iam');
const RICH_CONFIG = '__tests__/fixtures/releases/0.2.0/rich.config.yaml';
const ROLES: Role[] = ['plan', 'deploy'];
// Only the embedded example unless a test names a config; never a CI run's settings.
const ENV = { ...process.env, CENTRAL_AUTH_CONFIG: '', CENTRAL_AUTH_REQUIRE_REMOTE_STATE: '', CENTRAL_AUTH_APPLYING: '' };

const temps: string[] = [];
const tempDir = (prefix: string) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  temps.push(dir);
  return dir;
};
afterAll(() => temps.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

/** `npm run iam -- <argv>` in-process. */
async function iam(argv: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { cwd: ROOT, env: { ...ENV, ...env }, stdout: (s) => out.push(s), stderr: (s) => err.push(s) });
  return { code, out: out.join(''), err: err.join('') };
}

async function synth(config: string): Promise<string> {
  const outdir = tempDir('iam-synth-');
  await runSynth({ cwd: ROOT, outdir, env: { ...ENV, CENTRAL_AUTH_CONFIG: config }, log: () => {} });
  return outdir;
}

/** The large generated config of scripts/bench, with the S3 state (lock file) every real environment has. */
function largeConfigFile(): string {
  const file = path.join(tempDir('iam-config-'), 'large.json');
  const config = { ...generateConfig(100), state: { backend: 's3', bucket: 'acme-tf-state', keyPrefix: 'central-auth' } };
  fs.writeFileSync(file, JSON.stringify(config));
  return file;
}

const fixture = (name: string) => fs.readFileSync(path.join(FIXTURES, name), 'utf8');
const documentsOf = (printed: string): PolicyDocument[] => [JSON.parse(printed)].flat();
const statementsOf = (printed: string): Statement[] => documentsOf(printed).flatMap((d) => [...d.Statement]);

let out: Record<'example' | 'rich' | 'large', string>;
beforeAll(async () => {
  // GIVEN the embedded example, the rich config of release 0.2.0 and 100 generated apps, synthesized once
  const [example, rich, large] = await Promise.all([synth(''), synth(RICH_CONFIG), synth(largeConfigFile())]);
  out = { example, rich, large };
}, 120_000);

describe('the policies of the embedded example and the rich config', () => {
  test.each([
    ['example', 'plan'],
    ['example', 'deploy'],
    ['rich', 'plan'],
    ['rich', 'deploy'],
  ] as const)('%s: %s is exactly the reviewed fixture', async (config, role) => {
    // WHEN the policy is printed from the synthesized stacks
    const r = await iam([role, '--from', out[config]]);
    // THEN it is the committed one, byte for byte
    expect([r.code, r.out]).toEqual([0, fixture(`${config}.${role}.json`)]);
  });

  test('without --from it synthesizes the selected config itself, and says the account is unknown', async () => {
    // WHEN the plan policy of the example is asked for with no output folder
    const r = await iam(['plan']);
    // THEN it is the same policy; the example names no account, so every ARN says * and stderr says why
    expect([r.code, r.out]).toEqual([0, fixture('example.plan.json')]);
    expect(r.err).toContain('iam: account: nothing: no --account and no ARN in the stacks, so ARNs match any account; pass --account ID\n');
  });

  test('the rich config takes its account from its ARNs; --account names another', async () => {
    // GIVEN the rich config, whose EKS roles are in 123456789012
    const own = await iam(['plan', '--from', out.rich]);
    const other = await iam(['plan', '--from', out.rich, '--account', '210987654321']);
    // THEN that account is in every account-bearing ARN, unless --account says otherwise
    expect(own.out).not.toContain(':*:');
    expect(other.out.replaceAll('210987654321', '123456789012')).toBe(own.out);
  });

  test('the deploy policy splits into numbered documents, each under the managed-policy limit', async () => {
    // WHEN the example's deploy policy (over 6,144 characters) is printed
    const r = await iam(['deploy', '--from', out.example]);
    const documents = documentsOf(r.out);
    // THEN it is an array of documents that each fit, stderr says so, and together they are the whole policy
    expect(documents.map((d) => policySize(d) <= MANAGED_POLICY_LIMIT)).toEqual([true, true, true]);
    expect(r.err).toMatch(
      /^iam: the deploy policy has \d+ characters, over the 6144 of an IAM managed policy: printed as an array of 3 documents/m,
    );
    expect(statementsOf(r.out)).toEqual(buildPolicy(readStacks(out.example), 'deploy').Statement);
  });
});

describe('every type the stacks can contain is mapped', () => {
  const typesIn = (dir: string) => {
    const stacks = readStacks(dir);
    return {
      resource: [
        ...new Set(stacks.flatMap((s) => [...s.blocks.filter((b) => b.kind === 'resource').map((b) => b.type), ...s.removedTypes])),
      ],
      data: [...new Set(stacks.flatMap((s) => s.blocks.filter((b) => b.kind === 'data').map((b) => b.type)))],
    };
  };

  test.each(['example', 'rich', 'large'] as const)('%s: each resource and data source type has a map entry', (config) => {
    // GIVEN the types of the synthesized stacks THEN none is missing from the map
    const types = typesIn(out[config]);
    expect(types.resource.filter((t) => !TYPE_ACTIONS[t])).toEqual([]);
    expect(types.data.filter((t) => !DATA_ACTIONS[t])).toEqual([]);
  });

  test('the resource types are exactly those the upgrade check classifies (scripts/upgrade/classes.ts)', () => {
    // GIVEN the upgrade check's closed set of resource types THEN the map has an entry for each, and no other
    const classified = [...Object.keys(STATEFUL), ...Object.keys(ORDERED), ...Object.keys(STATELESS)].sort();
    expect(Object.keys(TYPE_ACTIONS).sort()).toEqual(classified);
  });

  test('a stack with a type the map lacks fails, naming every such type', async () => {
    // GIVEN the example's output with a resource and a data source of unknown types in the edge stack
    const dir = tempDir('iam-unknown-');
    fs.cpSync(out.example, dir, { recursive: true });
    const file = path.join(dir, 'stacks', 'edge', 'cdk.tf.json');
    const json = JSON.parse(fs.readFileSync(file, 'utf8'));
    json.resource.aws_shiny_thing = { x: { name: 'x' } };
    json.data.aws_shiny_lookup = { y: {} };
    fs.writeFileSync(file, JSON.stringify(json));
    // WHEN a policy is asked for THEN nothing is printed and the message names both
    for (const role of ROLES) {
      expect(await iam([role, '--from', dir])).toEqual({
        code: 1,
        out: '',
        err: "iam: account: nothing: no --account and no ARN in the stacks, so ARNs match any account; pass --account ID\niam: no IAM actions are known for data source aws_shiny_lookup, resource type aws_shiny_thing: add them to scripts/iam/actions.ts, from the provider's source\n",
      });
    }
  });
});

describe('what the policies never allow', () => {
  // Refresh only reads. kms:Decrypt is the one exception: Secrets Manager and SSM decrypt the IdP
  // client secrets the auth stack reads at every plan, and it changes nothing.
  const READ = /^[a-z0-9-]+:(Describe|Get|List)[A-Za-z]+$/;
  const READ_EXCEPTIONS = ['kms:Decrypt'];
  const policies = () =>
    (['example', 'rich', 'large'] as const).flatMap((config) =>
      ROLES.map((role) => ({ config, role, doc: buildPolicy(readStacks(out[config]), role) })),
    );

  test('the plan role has read actions only', () => {
    // GIVEN the plan policy of each config THEN every action is a read verb, or the one exception
    for (const { config, doc } of policies().filter((p) => p.role === 'plan')) {
      const writes = doc.Statement.flatMap((s) => s.Action).filter((a) => !READ.test(a) && !READ_EXCEPTIONS.includes(a));
      expect([config, writes]).toEqual([config, []]);
    }
  });

  test('the deploy role has every action of the plan role on the same resources', () => {
    // GIVEN each config's two policies THEN each grant of the plan's is also the deploy's, statement by statement
    for (const config of ['example', 'rich', 'large'] as const) {
      const stacks = readStacks(out[config]);
      const allowed = new Set(buildPolicy(stacks, 'deploy').Statement.flatMap((s) => s.Action.map((a) => `${s.Sid} ${a} ${s.Resource}`)));
      const missing = buildPolicy(stacks, 'plan')
        .Statement.flatMap((s) => s.Action.map((a) => `${s.Sid} ${a} ${s.Resource}`))
        .filter((grant) => !allowed.has(grant));
      expect([config, missing]).toEqual([config, []]);
    }
  });

  test('no statement allows every action of a service, uses NotAction or NotResource', () => {
    // GIVEN every policy THEN no action has a wildcard and no statement is negated
    for (const { config, role, doc } of policies()) {
      const wild = doc.Statement.flatMap((s) => s.Action).filter((a) => a.includes('*'));
      const negated = doc.Statement.filter((s) => 'NotAction' in s || 'NotResource' in s).map((s) => s.Sid);
      expect([config, role, wild, negated]).toEqual([config, role, [], []]);
    }
  });

  test('iam:PassRole names the roles the stacks create, and only for the service their trust policy names', () => {
    // GIVEN the deploy policies of the example (one function) and the rich config (two) THEN PassRole is exactly this
    const passRole = policies()
      .filter((p) => p.role === 'deploy' && p.config !== 'large')
      .map((p) => p.doc.Statement.filter((s) => s.Action.includes('iam:PassRole')));
    expect(passRole).toEqual([
      [
        {
          Sid: 'IamPassRole',
          Effect: 'Allow',
          Action: ['iam:PassRole'],
          Resource: ['arn:aws:iam::*:role/dev-central-auth-signout-lambda'],
          Condition: { StringEquals: { 'iam:PassedToService': ['lambda.amazonaws.com'] } },
        },
      ],
      [
        {
          Sid: 'IamPassRole',
          Effect: 'Allow',
          Action: ['iam:PassRole'],
          Resource: [
            'arn:aws:iam::123456789012:role/prod-central-auth-pretoken-lambda',
            'arn:aws:iam::123456789012:role/prod-central-auth-signout-lambda',
          ],
          Condition: { StringEquals: { 'iam:PassedToService': ['lambda.amazonaws.com'] } },
        },
      ],
    ]);
  });
});

describe('the state backend', () => {
  const state = (config: 'large', role: Role) =>
    buildPolicy(readStacks(out[config]), role).Statement.filter((s) => s.Sid.startsWith('State'));
  const objects = ['auth', 'cluster', 'edge'].map((s) => `arn:aws:s3:::acme-tf-state/central-auth/dev/${s}.tfstate`);

  test('S3 with a lock file: the plan role reads the state keys only; the deploy role writes them and its lock files', () => {
    // GIVEN the generated config's S3 backend with use_lockfile THEN the state statements are exactly these
    const list = {
      Sid: 'StateBucketList',
      Effect: 'Allow',
      Action: ['s3:ListBucket'],
      Resource: ['arn:aws:s3:::acme-tf-state'],
      Condition: { StringEquals: { 's3:prefix': ['env:/'] } },
    };
    expect(state('large', 'plan')).toEqual([list, { Sid: 'StateObjects', Effect: 'Allow', Action: ['s3:GetObject'], Resource: objects }]);
    expect(state('large', 'deploy')).toEqual([
      list,
      {
        Sid: 'StateLockFile',
        Effect: 'Allow',
        Action: ['s3:DeleteObject', 's3:GetObject', 's3:PutObject'],
        Resource: objects.map((o) => `${o}.tflock`),
      },
      { Sid: 'StateObjects', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: objects },
    ]);
  });

  test('DynamoDB locking: the plan role reads only the state digests, on exactly these items', () => {
    // GIVEN the rich config's DynamoDB lock table THEN the plan reads the digests, the deploy also takes the locks
    const lockTable = (role: Role) => buildPolicy(readStacks(out.rich), role).Statement.find((s) => s.Sid === 'StateLockTable');
    const items = ['auth', 'cluster', 'edge'].map((s) => `example-central-auth-tf-state/central-auth/prod/${s}.tfstate`);
    expect(lockTable('plan')?.Condition).toEqual({ 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': items.map((i) => `${i}-md5`) } });
    expect([lockTable('deploy')?.Action, lockTable('deploy')?.Condition]).toEqual([
      ['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem'],
      { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': items.flatMap((i) => [i, `${i}-md5`]).sort() } },
    ]);
  });

  test('a local backend has no state statement', () => {
    // GIVEN the example's local state THEN no statement is about a state
    expect(buildPolicy(readStacks(out.example), 'deploy').Statement.filter((s) => s.Sid.startsWith('State'))).toEqual([]);
  });
});

describe('IAM size limit', () => {
  test('100 apps: each deploy document fits, and together they are the whole policy', async () => {
    // WHEN the deploy policy of 100 generated apps is printed THEN it is cut into documents that each fit
    const r = await iam(['deploy', '--from', out.large]);
    const documents = documentsOf(r.out);
    expect(documents.length).toBeGreaterThan(1);
    expect(documents.filter((d) => policySize(d) > MANAGED_POLICY_LIMIT)).toEqual([]);
    expect(statementsOf(r.out)).toEqual(buildPolicy(readStacks(out.large), 'deploy').Statement);
  });

  test('a statement too large for one document is halved along its longest list, numbered', () => {
    // GIVEN one statement of 400 resources (about 18,000 characters: a half is still too large, a quarter fits)
    const resources = Array.from({ length: 400 }, (_, i) => `arn:aws:s3:::a-rather-long-bucket-name-${String(i).padStart(3, '0')}`);
    const doc: PolicyDocument = {
      Version: '2012-10-17',
      Statement: [{ Sid: 'Big', Effect: 'Allow', Action: ['s3:GetObject'], Resource: resources }],
    };
    // WHEN it is split THEN each part fits, the Sids are numbered, and the resources are all there, in order
    const parts = splitPolicy(doc).flatMap((d) => d.Statement);
    expect(parts.map((s) => s.Sid)).toEqual(['Big1', 'Big2', 'Big3', 'Big4']);
    expect(parts.flatMap((s) => s.Resource)).toEqual(resources);
    expect(splitPolicy(doc).every((d) => policySize(d) <= MANAGED_POLICY_LIMIT)).toBe(true);
  });

  test('a document that fits is printed as it is', () => {
    // GIVEN a one-statement document WHEN it is split THEN it is the only document
    const doc: PolicyDocument = {
      Version: '2012-10-17',
      Statement: [{ Sid: 'Small', Effect: 'Allow', Action: ['s3:GetObject'], Resource: ['*'] }],
    };
    expect(splitPolicy(doc)).toEqual([doc]);
  });
});

describe('CLI', () => {
  test('--help prints the usage on stdout and exits 0, synthesizing nothing', async () => {
    // GIVEN a config that does not exist (a synth would fail) WHEN --help is asked for THEN only the usage
    const r = await iam(['--help'], { CENTRAL_AUTH_CONFIG: '/nonexistent.yaml' });
    expect([r.code, r.err]).toEqual([0, '']);
    expect(r.out).toMatch(/^usage: npm run iam -- <plan\|deploy> \[--from DIR\]\.\.\. \[--account ID\]\n\n/);
  });

  test.each([
    [['--nope'], '--nope: is not an option'],
    [['deploy', 'frobnicate'], 'frobnicate: is not plan or deploy'],
    [['plan', 'deploy'], 'deploy: is a second role'],
    [[], '(none): a role is required: plan or deploy'],
    [['plan', '--from'], '--from: needs a value'],
    [['plan', '--account', '1234'], '--account 1234: is not a 12-digit AWS account id'],
  ])('%j exits 2 with one line naming it, then the usage', async (argv, line) => {
    // GIVEN a bad command line THEN one line names the argument, then the usage, and nothing is synthesized
    expect(await iam(argv)).toEqual({
      code: 2,
      out: '',
      err: `iam: bad argument ${line}\nusage: npm run iam -- <plan|deploy> [--from DIR]... [--account ID]\n`,
    });
  });

  test('a bad config prints the app message, no stack trace, no policy, and exits 1', async () => {
    // GIVEN a config with a bad environment name
    const file = path.join(tempDir('iam-bad-'), 'bad.yaml');
    fs.writeFileSync(file, 'environment: X\n');
    // WHEN a policy is asked for
    const r = await iam(['plan'], { CENTRAL_AUTH_CONFIG: file });
    // THEN the app's own message is there, then one line of ours
    expect([r.code, r.out]).toEqual([1, '']);
    expect(r.err).toContain(`Invalid config ${file}`);
    expect(r.err).toContain('"X" must be 2-16 lowercase letters, digits or hyphens');
    expect(r.err).toMatch(/iam: the synth failed \(see above\); no policy printed\n$/);
    expect(r.err).not.toMatch(/^\s+at /m);
  });

  test('--from a folder that is no cdktf output exits 1, naming it', async () => {
    // GIVEN an empty folder THEN it is named, and no policy is printed
    const dir = tempDir('iam-empty-');
    expect(await iam(['plan', '--from', dir])).toEqual({
      code: 1,
      out: '',
      err: `iam: ${dir} holds no stacks/ folder: not a cdktf output\n`,
    });
  });
});

test('docs/iam.md names every action the provider source does not confirm', () => {
  // GIVEN the map's UNCONFIRMED list THEN the docs' section names exactly its actions
  const doc = fs.readFileSync(path.join(ROOT, 'docs', 'iam.md'), 'utf8');
  const section = doc.slice(doc.indexOf('### Not confirmed from the provider source'));
  const named = new Set([...section.matchAll(/`([a-z0-9-]+:[A-Za-z]+)`/g)].map((m) => m[1]));
  expect([...new Set(UNCONFIRMED.flatMap((u) => u.actions))].sort()).toEqual([...named].sort());
});
