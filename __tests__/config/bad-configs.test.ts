import { Testing } from 'cdktf';
import { mkdtempSync, readdirSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { addCentralAuthStacks } from '../../modules/app';
import { loadDeploymentFile } from '../../modules/deployment';
import { evaluatePolicy, PolicyError } from '../../modules/policy';
import { runMain } from '../run-main';

/**
 * Each `<name>.json|yaml` in the corpus is small and broken in one way; `<name>.expected.txt`
 * holds the exact message that refuses it, with `<file>` standing for the config's path.
 */
const DIR = join(__dirname, '..', 'fixtures', 'bad-configs');
const CONFIGS = readdirSync(DIR)
  .filter((f) => /\.(json|ya?ml)$/.test(f))
  .sort();
const CASES = CONFIGS;

function expectedFor(file: string): string {
  const text = readFileSync(join(DIR, `${file.replace(/\.[^.]+$/, '')}.expected.txt`), 'utf8');
  return text.replace(/\n$/, '').split('<file>').join(join(DIR, file));
}

/** What refuses the config in process: loading and validation, else the policy over the three stacks. */
function refusalOf(file: string): string {
  try {
    const app = Testing.app();
    addCentralAuthStacks(app, loadDeploymentFile(join(DIR, file)), { policyLog: () => {} });
    const report = evaluatePolicy(app);
    return report.violations.length > 0 || report.suppressionErrors.length > 0 ? new PolicyError(report).message : '(accepted)';
  } catch (err) {
    return (err as Error).message;
  }
}

describe('bad-config corpus', () => {
  test('holds at least 100 broken configs, JSON and YAML, each with its expected message', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(100);
    expect(CASES.filter((f) => f.endsWith('.json')).length).toBeGreaterThanOrEqual(10);
    expect(CASES.filter((f) => f.endsWith('.yaml')).length).toBeGreaterThanOrEqual(10);
    const expected = readdirSync(DIR)
      .filter((f) => f.endsWith('.expected.txt'))
      .sort();
    expect(expected).toEqual(CONFIGS.map((f) => `${f.replace(/\.[^.]+$/, '')}.expected.txt`).sort());
  });

  test.each(CASES)('fails when the config is %s, with the exact message', (file) => {
    // GIVEN one broken config WHEN it is loaded and checked THEN it is refused with exactly the expected text
    expect(refusalOf(file)).toBe(expectedFor(file));
  });
});

describe('bad configs through main.ts', () => {
  // A few representatives run as real child processes (about 0.6 s each): a validation error
  // in YAML and in JSON, a parse error, and a policy violation.
  const suppressionLines = [
    'policy: ALB_ACCESS_LOGS suppressed for edge/alb — Logs go to the org trail bucket through Firehose.',
    'policy: OPERATIONS_ALARMS suppressed for edge — Alarms come from the central monitoring account.',
    'policy: warning ROUTER_RETIRED at cluster/ingress-nginx: ingress-nginx 4.14.5 is retired upstream (March 2026): no releases, no security fixes',
    '  fix: Switch without downtime: set router: { use: traefik, keep: ingress-nginx } and apply cluster then edge; then set router: traefik and apply both again (README, "Router").',
  ];
  test.each([
    ['reserved-prefix-cognito.yaml', []],
    ['host-both-public-and-protected.json', []],
    ['invalid-yaml.yaml', []],
    ['policy-alb-deletion-unprotected.yaml', suppressionLines],
  ] as [string, string[]][])('fails when main.ts gets %s: exit 1, the exact message on stderr, nothing written', (file, suppressed) => {
    // GIVEN an empty working folder
    const cwd = mkdtempSync(join(tmpdir(), 'central-auth-bad-'));
    // WHEN main.ts synthesizes the config
    const run = runMain(cwd, { CENTRAL_AUTH_CONFIG: join(DIR, file) });
    // THEN it exits 1 printing the message alone (no stack trace) on stderr, suppressions echoed
    // once on stdout as information, and the folder stays empty: no cdktf.out, no staging folder
    expect(run.stderr).toBe(`${expectedFor(file)}\n`);
    expect(run.status).toBe(1);
    // (the line naming the config comes first, once the file could be read)
    const selected = file === 'invalid-yaml.yaml' ? [] : [`config: ${join(DIR, file)} (CENTRAL_AUTH_CONFIG)`];
    expect(run.stdout).toBe([...selected, ...suppressed].map((line) => `${line}\n`).join(''));
    expect(readdirSync(cwd)).toEqual([]);
  });
});
