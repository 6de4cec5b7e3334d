// docs/review.md shows two PR plan comments. Each is what the project's own renderer (buildComment,
// scripts/plan-comment.ts) prints for plans made from today's synthesized stacks (plan-from-synth.ts),
// with the offline change summary of scripts/diff.ts on the same synths: a change to the stacks, the
// configs or the renderer that alters a comment fails here until the doc shows it.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse as parseYaml } from 'yaml';
import { loadConfigFile, prepareConfig, readConfigFile } from '../../modules/config/load';
import { APPLY_ORDER, PLACEHOLDERS_OUTPUT } from '../../modules/stacks/outputs';
import { diffSynthOutputs, renderMarkdown } from '../../scripts/diff';
import { buildComment, type PlanJson, type StackPlanInput } from '../../scripts/plan-comment';
import { type Synthesized, synthAll } from '../helpers';
import { fencedBlocks, markedBlocks, ROOT, readDoc, replaceMarkedBlocks } from './markdown';
import { missingStateOutput, planFromSynth } from './plan-from-synth';

const DOC = 'docs/review.md';
const MARKER = 'example-comment';
const UPDATE = 'UPDATE_DOC_EXAMPLES';
const REFRESH = `docs/review.md no longer shows what the renderer prints for today's stacks. Refresh the examples with
  ${UPDATE}=1 npx jest __tests__/docs/review.test.ts
and read the diff of docs/review.md before committing it.`;

/** What the workflow passes: the PR head and base commits, and the run's address. */
const HEAD_SHA = '0123456789abcdef0123456789abcdef01234567';
const BASE_SHA = '1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d';
const runUrl = (id: number) => `https://github.com/OWNER/REPO/actions/runs/${id}`;

/** The app the dev example's PR adds, and the sign-in prefix it renames to (the doc says both). */
const WIKI = { name: 'wiki', host: 'wiki.dev.example.com', access: 'protected' } as const;
const NEW_PREFIX = 'example-dev-signin';

/** Writes synthesized stacks as a cdktf output folder (stacks/<stack>/cdk.tf.json); none: an environment the side lacks. */
function outputFolder(tmp: string, side: string, synth: Synthesized | undefined): string {
  const dir = path.join(tmp, side);
  fs.mkdirSync(path.join(dir, 'stacks'), { recursive: true });
  for (const name of synth ? APPLY_ORDER : []) {
    fs.mkdirSync(path.join(dir, 'stacks', name));
    fs.writeFileSync(path.join(dir, 'stacks', name, 'cdk.tf.json'), synth!.json[name]);
  }
  return dir;
}

/** The offline change summary as the workflow's `npm run diff -- "$BASE_SHA"` prints it. */
function offlineSummary(base: Synthesized | undefined, head: Synthesized): string {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'docs-review-'));
  try {
    const result = diffSynthOutputs(outputFolder(tmp, 'base', base), outputFolder(tmp, 'head', head));
    return renderMarkdown(result, { baseLabel: `${BASE_SHA} (${BASE_SHA.slice(0, 7)})`, headLabel: 'working tree' });
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** A stack planned against empty upstream states: its `upstream_placeholders` output names them all. */
function againstPlaceholders(plan: PlanJson, upstreams: readonly string[]): PlanJson {
  const outputs = { ...plan.planned_values?.outputs, [PLACEHOLDERS_OUTPUT]: { value: [...upstreams], sensitive: false } };
  return { ...plan, planned_values: { ...plan.planned_values, outputs } };
}

/** The PR in dev: environments/dev.yaml as it is, and with the wiki app and the new prefix. */
function devComment(): string {
  const file = path.join(ROOT, 'environments', 'dev.yaml');
  const base = synthAll(loadConfigFile(file));
  const raw = structuredClone(readConfigFile(file).raw) as { apps: object[]; cognito: { domainPrefix: string } };
  raw.apps.push({ ...WIKI });
  raw.cognito.domainPrefix = NEW_PREFIX;
  const head = synthAll(prepareConfig(raw));
  return buildComment({
    stacks: APPLY_ORDER.map((name) => ({ name, plan: planFromSynth(base.tf[name], head.tf[name]) })),
    environment: 'dev',
    offlineDiff: offlineSummary(base, head),
    headSha: HEAD_SHA,
    runUrl: runUrl(123),
  });
}

/** The config the doc shows for a new environment (the YAML block that says `environment: staging`). */
function stagingConfig(): unknown {
  const blocks = fencedBlocks(readDoc(DOC)).filter((b) => b.lang === 'yaml' && /^environment: staging$/m.test(b.body));
  if (blocks.length !== 1) throw new Error(`${DOC} should show one YAML config with environment: staging, not ${blocks.length}`);
  return parseYaml(blocks[0]!.body);
}

/** The PR that adds staging, after bootstrap-state: every stack creates everything, later ones against placeholders. */
function stagingComment(): string {
  const head = synthAll(prepareConfig(stagingConfig()));
  const stacks: StackPlanInput[] = APPLY_ORDER.map((name, i) => ({
    name,
    plan:
      i === 0
        ? planFromSynth(undefined, head.tf[name])
        : againstPlaceholders(planFromSynth(undefined, head.tf[name]), APPLY_ORDER.slice(0, i)),
  }));
  return buildComment({
    stacks,
    environment: 'staging',
    offlineDiff: offlineSummary(undefined, head),
    headSha: HEAD_SHA,
    runUrl: runUrl(124),
  });
}

describe('the example comments of docs/review.md', () => {
  // GIVEN the doc, and each example rendered from today's stacks
  const doc = readDoc(DOC);
  const rendered = [devComment(), stagingComment()];
  if (process.env[UPDATE] === '1') fs.writeFileSync(path.join(ROOT, DOC), replaceMarkedBlocks(doc, MARKER, rendered));
  const shown = markedBlocks(process.env[UPDATE] === '1' ? readDoc(DOC) : doc, MARKER);

  test('there are two: a PR with changes in dev, and a new environment', () => {
    expect(shown).toHaveLength(2);
  });

  test.each([
    ['a PR with changes in dev', 0],
    ['a new environment, staging', 1],
  ])("%s is what the renderer prints for today's stacks", (_name, i) => {
    // THEN the doc shows the renderer's output byte for byte
    try {
      expect(shown[i]).toBe(rendered[i]);
    } catch (err) {
      (err as Error).message = `${REFRESH}\n\n${(err as Error).message}`;
      throw err;
    }
  });

  test("the text names the dev PR's change as the example makes it", () => {
    expect(doc).toContain(`\`{ name: ${WIKI.name}, host: ${WIKI.host}, access: ${WIKI.access} }\``);
    expect(doc).toContain(`\`${NEW_PREFIX}\` (\`cognito.domainPrefix\`)`);
  });

  test('a stack waiting for a state that does not exist names its upstream stacks in what Terraform prints', () => {
    // GIVEN the stacks of the new environment WHEN their upstream states are missing (no bootstrap-state)
    const head = synthAll(prepareConfig(stagingConfig()));
    const c = buildComment({
      stacks: APPLY_ORDER.map((name) => ({ name, ...(name === 'auth' ? {} : { error: missingStateOutput(head.tf[name]) }) })),
    });
    // THEN the comment waits for exactly the stacks they read through remote state
    expect(c).toContain('| `cluster` | – | – | – | – | ⏳ waits for upstream apply: auth | no upstream state yet |');
    expect(c).toContain('| `edge` | – | – | – | – | ⏳ waits for upstream apply: auth, cluster | no upstream state yet |');
  });
});
