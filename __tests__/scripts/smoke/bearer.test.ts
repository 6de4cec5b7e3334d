// `npm run smoke` on an environment with everything the dev example lacks: a custom sign-in domain,
// three app clients (a callback quota of 3), a bearer-token API host and a machine client. The token
// endpoint, the JWKS and the ALB's jwt-validation are the fake environment's (fake-deployment.ts).
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { stringify } from 'yaml';
import { EXAMPLE_CONFIG } from '../../../modules/config/example';
import type { CentralAuthConfig } from '../../../modules/config/types';
import { run } from '../../../scripts/smoke';
import { synthesize } from '../../../scripts/smoke/stacks';
import type { SynthesizedStacks } from '../../../scripts/smoke/types';
import { ROOT } from '../../run-main';
import { createPki, type TestPki } from './certs';
import { factsOf, type StackFacts } from './expected';
import { type FakeDeployment, startFakeDeployment, WRONG_CLIENT_ID } from './fake-deployment';

const CONFIG: CentralAuthConfig = {
  ...EXAMPLE_CONFIG,
  cognito: { ...EXAMPLE_CONFIG.cognito, customDomain: 'login.dev.example.com' },
  state: { backend: 's3', bucket: 'example-central-auth-tf-state' },
  quotas: { callbackUrlsPerAppClient: 3 },
  apps: [
    ...EXAMPLE_CONFIG.apps,
    { name: 'reports', host: 'reports.dev.example.com', access: 'protected', bearerTokens: { scopes: ['reports.read'] } },
    ...['a1', 'a2', 'a3'].map((name) => ({ name, host: `${name}.dev.example.com`, access: 'protected' as const })),
  ],
  machineClients: [{ name: 'nightly-export', scopes: ['reports.read'] }],
};

let dir: string;
let file: string;
let pki: TestPki;
let stacks: SynthesizedStacks;
let facts: StackFacts;
let fake: FakeDeployment;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'smoke-bearer-'));
  file = join(dir, 'bearer.yaml');
  writeFileSync(file, stringify(CONFIG));
  pki = createPki();
  stacks = await synthesize({ CENTRAL_AUTH_CONFIG: file }, ROOT);
  facts = factsOf(stacks);
  fake = await startFakeDeployment(stacks, CONFIG.region, pki);
}, 60_000);
afterAll(async () => {
  await fake?.close();
  pki?.dispose();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  fake.scenario = {};
  fake.awsCalls.length = 0;
});

async function smoke(argv: string[] = []) {
  const out: string[] = [];
  const err: string[] = [];
  const { code } = await run(argv, {
    env: { CENTRAL_AUTH_CONFIG: file },
    stdout: (s) => out.push(s),
    stderr: (s) => err.push(s),
    aws: fake.aws,
    synth: async () => stacks,
    resolve: fake.resolve,
    ca: fake.ca,
    lookup: fake.lookup,
    backoffMs: 1,
  });
  const lines = out.join('').trimEnd().split('\n').slice(0, -1);
  return { code, out: out.join(''), err: err.join(''), lines, problems: lines.filter((l) => /^(FAIL|WARN) /.test(l)) };
}

const REPORTS = 'reports.dev.example.com';
const MACHINE_CLIENT = () => facts.clientNames.find((n) => n.endsWith('nightly-export'))!;

describe('bearer-token hosts, several app clients and a custom sign-in domain', () => {
  test("a correct deployment passes, the ALB signing in on the custom domain with each host's own client", async () => {
    // GIVEN the stacks sign in on the config's custom domain, through three app clients
    expect(facts.signInDomain).toBe(CONFIG.cognito.customDomain);
    expect(new Set(facts.hosts.map((h) => facts.clientOf(h)?.name).filter(Boolean)).size).toBe(3);
    // WHEN the smoke check runs without a machine token
    const r = await smoke();
    // THEN every check passes; the bearer host gets the malformed and forged tokens only
    expect(r.code).toBe(0);
    expect([...r.lines].sort()).toEqual(facts.okLines);
    expect(fake.awsCalls.map((c) => c[1])).not.toContain('describe-user-pool-client');
  });

  test('--with-machine-token gets one real token and calls the API host with it, printing no secret and no token', async () => {
    const r = await smoke(['--with-machine-token']);
    expect(r.code).toBe(0);
    expect([...r.lines].sort()).toEqual(
      [...facts.okLines, `ok   bearer-token ${REPORTS}`, `ok   machine-token ${MACHINE_CLIENT()}`].sort(),
    );
    // the one call that returns a secret, narrowed to it
    expect(fake.awsCalls.filter((c) => c[1] === 'describe-user-pool-client').map((c) => c.slice(6, 8))).toEqual([
      ['--query', 'UserPoolClient.ClientSecret'],
    ]);
    expect(fake.issued).not.toHaveLength(0);
    for (const secret of [...fake.secrets.values(), ...fake.issued]) {
      expect(r.out).not.toContain(secret);
      expect(r.err).not.toContain(secret);
    }
  });

  test('an ALB that does not check tokens fails both bad-token checks', async () => {
    // GIVEN the bearer rule forwarding whatever token comes
    fake.scenario = { acceptAnyToken: true };
    const rule = facts.rules.find(([, r]) => r.condition.some((c: { http_header?: unknown }) => c.http_header))![0];
    // WHEN the smoke check runs
    const r = await smoke();
    // THEN the malformed and the forged token are both reported as unchecked
    expect(r.problems).toEqual(
      ['malformed', 'forged'].map(
        (kind) =>
          `FAIL bearer-${kind} ${REPORTS}: expected 401, saw 200 (the token was not checked) — look at the edge stack's rule ${rule} (jwt-validation behind Authorization: Bearer *)`,
      ),
    );
    expect(r.code).toBe(1);
  });

  test("a host of a later app client signing in with another client's id names its own client", async () => {
    const host = facts.hosts.find((h) => facts.clientOf(h) && !/-alb$/.test(facts.clientOf(h)!.name))!;
    fake.scenario = { wrongClientId: host };
    const r = await smoke();
    const client = facts.clientOf(host)!.name;
    expect(r.problems).toEqual([
      `FAIL sign-in ${host}: expected client_id ${fake.clientIds.get(client)} (app client ${client}), saw client_id ${WRONG_CLIENT_ID} — look at the edge stack's user_pool_client_id for ${host}, read from the auth stack's client_ids output (apply edge after auth)`,
    ]);
  });
});
