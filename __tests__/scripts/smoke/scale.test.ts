// `npm run smoke` on a generated environment of 40 hosts (scripts/bench's generateConfig), every
// host answered by local servers: the whole check end to end, with its wall time reported (not
// asserted: it moves with the machine). Run with --silent=false to see the figure docs/smoke.md quotes.
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { generateConfig } from '../../../scripts/bench';
import { run } from '../../../scripts/smoke';
import { synthesize } from '../../../scripts/smoke/stacks';
import type { SynthesizedStacks } from '../../../scripts/smoke/types';
import { ROOT } from '../../run-main';
import { createPki, type TestPki } from './certs';
import { factsOf } from './expected';
import { type FakeDeployment, startFakeDeployment } from './fake-deployment';

const HOSTS = 40;
let dir: string;
let file: string;
let pki: TestPki;
let stacks: SynthesizedStacks;
let fake: FakeDeployment;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'smoke-scale-'));
  file = join(dir, `generated-${HOSTS}.json`);
  writeFileSync(file, JSON.stringify(generateConfig(HOSTS)));
  pki = createPki();
  stacks = await synthesize({ CENTRAL_AUTH_CONFIG: file }, ROOT);
  fake = await startFakeDeployment(stacks, generateConfig(HOSTS).region, pki);
}, 60_000);
afterAll(async () => {
  await fake?.close();
  pki?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

test(`${HOSTS} hosts: every check passes, 8 hosts at a time, and the run reports its wall time`, async () => {
  // GIVEN a generated environment of 40 hosts (protected, public, public paths, deny paths), deployed correctly
  const facts = factsOf(stacks);
  expect(facts.hosts).toHaveLength(HOSTS);
  // WHEN the whole smoke check runs against it, as in CI, with its default concurrency
  const out: string[] = [];
  const started = Date.now();
  const { code, report } = await run(['--json'], {
    env: { CENTRAL_AUTH_CONFIG: file },
    stdout: (s) => out.push(s),
    stderr: () => {},
    aws: fake.aws,
    synth: async () => stacks,
    resolve: fake.resolve,
    ca: fake.ca,
    lookup: fake.lookup,
  });
  const wallMs = Date.now() - started;
  // THEN every check is ok; the timing is printed, never asserted
  expect(code).toBe(0);
  expect([...JSON.parse(out.join('')).lines].sort()).toEqual(facts.okLines);
  console.log(`smoke: ${HOSTS} hosts, ${report!.results.length} checks in ${report!.checkMs} ms (wall ${wallMs} ms, synth excluded)`);
});
