import { Aspects, TerraformStack, Testing, type App } from 'cdktf';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { EXAMPLE_CONFIG } from '../../modules/config/example';
import { ConfigError } from '../../modules/config/errors';
import { evaluatePolicy, PolicyAspect, PolicyError, policyViolations, reportLines, RULE_IDS, RULES } from '../../modules/policy';
import { synthAtomically } from '../../modules/synth';
import { addCentralAuthStacks } from '../../modules/app';
import { deploymentOf } from '../../modules/deployment';
import { configWith, synthAll } from '../helpers';
import { addStacks, buildApp, INSECURE_FINDINGS, insecureApp } from './apps';
import { metadataOf, triples } from './helpers';

const EXAMPLE_SUPPRESSIONS = EXAMPLE_CONFIG.suppressions ?? [];
// The three stacks of the embedded example, synthesized once for the file: Testing.synth runs the aspect on each.
/** The warning every synth with ingress-nginx prints (the example runs the reference design's router). */
const RETIRED_LINE =
  'policy: warning ROUTER_RETIRED at cluster/ingress-nginx: ingress-nginx 4.14.5 is retired upstream (March 2026): no releases, no security fixes\n' +
  '  fix: Switch without downtime: set router: { use: traefik, keep: ingress-nginx } and apply cluster then edge; then set router: traefik and apply both again (README, "Router").';

const example = synthAll();
const exampleApp = example.stacks.auth.node.root;

describe('policy on the example config', () => {
  // GIVEN the example app
  const { json } = example;
  const report = evaluatePolicy(exampleApp);

  test.each(RULE_IDS.filter((id) => id !== 'ROUTER_RETIRED'))('%s passes', (id) => {
    // THEN no rule has an open finding: neither an error nor a warning
    expect([...report.violations, ...report.warnings].filter((f) => f.rule === id)).toEqual([]);
  });

  test('ROUTER_RETIRED warns, once, on the ingress-nginx release the example runs (the reference design)', () => {
    expect(report.warnings.map((f) => [f.rule, f.path])).toEqual([['ROUTER_RETIRED', 'cluster/ingress-nginx']]);
    expect(report.violations).toEqual([]);
  });

  test('the example suppresses exactly ALB_ACCESS_LOGS and OPERATIONS_ALARMS, each with its reason', () => {
    expect(report.suppressed.map((f) => [f.rule, f.path, f.reason])).toEqual([
      ['ALB_ACCESS_LOGS', 'edge/alb', 'Example environment: no log bucket exists in the placeholder account.'],
      ['OPERATIONS_ALARMS', 'edge', 'Example environment: nobody to notify; set alarms.email for a real one.'],
    ]);
    expect(report.unusedSuppressions).toEqual([]);
    expect(report.suppressionErrors).toEqual([]);
  });

  test('Testing.synth of every stack succeeds: the aspect finds nothing to fail', () => {
    // WHEN each stack was synthesized the way the other tests do (synthAll, above: a PolicyError would have thrown there)
    // THEN every stack has its output
    expect(Object.keys(json).sort()).toEqual(['auth', 'cluster', 'edge']);
    for (const text of Object.values(json)) expect(Object.keys(JSON.parse(text).resource ?? {}).length).toBeGreaterThan(0);
  });
});

describe('policy on an insecure app', () => {
  // GIVEN the example without suppressions, with weak config values and insecure overrides on every stack
  const app = insecureApp();
  // WHEN the policy runs once over the whole app
  const report = evaluatePolicy(app);
  const found = triples([...report.violations, ...report.warnings]);

  test.each(INSECURE_FINDINGS)('%s fails when %s', (rule, _when, path, message) => {
    // THEN the rule reports the exact construct path and message
    expect(found).toContainEqual([rule, path, message]);
  });

  test('reports exactly these findings, nothing else', () => {
    expect(found).toEqual(triples(INSECURE_FINDINGS.map(([rule, , path, message]) => ({ rule, path, message }))));
  });

  test('COGNITO_MFA_OFF is a warning, everything else an error', () => {
    expect(report.warnings.map((f) => f.rule)).toEqual(['COGNITO_MFA_OFF', 'ROUTER_RETIRED', 'OPERATIONS_ALARMS']);
    expect(report.violations.every((f) => f.severity === 'error')).toBe(true);
  });

  test("each finding carries the rule's mirrored scanner ids and fix", () => {
    const f = report.violations.find((v) => v.rule === 'ALB_TLS_POLICY')!;
    expect(f.mirrors).toEqual(['CKV_AWS_103', 'CKV2_AWS_74', 'AWS-0047']);
    expect(f.fix).toBe('Set sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06" (TLS_POLICY in modules/stacks/edge.ts) on the listener.');
  });

  test('fails when Testing.synth runs the aspect: one PolicyError naming every violation', () => {
    // WHEN any stack of the app is synthesized for a test
    // THEN the aspect throws, listing all violations of all stacks, not only the stack's own
    let error: unknown;
    try {
      Testing.synth(app.node.findChild('auth') as TerraformStack);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(PolicyError);
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message.split('\n')[0]).toBe(`Policy check failed (${report.violations.length} problems):`);
    expect(message).toContain(
      '  - ALB_DROP_INVALID_HEADERS (CKV_AWS_131, AWS-0052) at edge/alb: drop_invalid_header_fields is false, must be true\n    fix: Set dropInvalidHeaderFields: true on the load balancer.',
    );
    expect(message).toContain('  - COGNITO_CLIENT_SECRET at auth/user-pool/alb-client: generate_secret is false, must be true');
    expect(message).not.toContain('COGNITO_MFA_OFF');
  });

  test('the aspect annotates each offending construct with an error, and prints warnings once, as lines', () => {
    const alb = app.node.findAll().find((c) => c.node.path === 'edge/alb')!;
    expect(metadataOf(alb, '@cdktf/error')).toContain(
      '[ALB_DROP_INVALID_HEADERS] (CKV_AWS_131, AWS-0052) drop_invalid_header_fields is false, must be true. Fix: Set dropInvalidHeaderFields: true on the load balancer.',
    );
    // THEN the warning is a line of the report, not also an annotation the cdktf CLI would print a second time
    const pool = app.node.findAll().find((c) => c.node.path === 'auth/user-pool/pool')!;
    expect(metadataOf(pool, '@cdktf/warn')).toEqual([]);
    expect(reportLines(report)).toContain(
      'policy: warning COGNITO_MFA_OFF (AwsSolutions-COG2) at auth/user-pool/pool: mfa_configuration is "OFF": users sign in with a password alone\n' +
        '  fix: Set cognito.mfa to "OPTIONAL" (the default) or "ON"; or suppress COGNITO_MFA_OFF with a reason to silence the warning.',
    );
  });
});

describe('policy on an app whose resources drift from the config', () => {
  // GIVEN MFA "OPTIONAL" in the config but "ON" without TOTP in the pool, and an HTTPS listener that forwards by default
  const { app } = buildApp(configWith(), ({ auth, edge }) => {
    auth.userPool.pool.addOverride('mfa_configuration', 'ON');
    auth.userPool.pool.addOverride('software_token_mfa_configuration', undefined);
    edge.httpsListener.addOverride('default_action.0.type', 'forward');
    edge.httpsListener.addOverride('default_action.0.authenticate_cognito', undefined);
    edge.httpsListener.addOverride('default_action.0.target_group_arn', edge.ingressTargetGroup.arn);
  });
  const found = triples(policyViolations(app));

  test("COGNITO_MFA fails when the pool's MFA is not the config's, or lacks TOTP", () => {
    expect(found.filter(([rule]) => rule === 'COGNITO_MFA')).toEqual([
      ['COGNITO_MFA', 'auth/user-pool/pool', 'mfa_configuration is "ON", must be "OPTIONAL" (cognito.mfa)'],
      [
        'COGNITO_MFA',
        'auth/user-pool/pool',
        'software_token_mfa_configuration.enabled is (not set), must be true when mfa_configuration is "ON"',
      ],
    ]);
  });

  test('PROTECTED_HOST_AUTH fails when the HTTPS listener forwards unmatched requests without signing in', () => {
    expect(found.filter(([rule]) => rule === 'PROTECTED_HOST_AUTH')).toEqual([
      [
        'PROTECTED_HOST_AUTH',
        'edge/https',
        'default_action[0].type is "forward", must be an authenticate action: requests no rule matches reach protected hosts',
      ],
    ]);
  });

  test('reports nothing else', () => {
    expect(found.map(([rule]) => rule)).toEqual(['COGNITO_MFA', 'COGNITO_MFA', 'PROTECTED_HOST_AUTH']);
  });
});

describe('suppressions', () => {
  test('the example echoes each suppression with its reason, once, as a line and not as an annotation', () => {
    // GIVEN the example app with a second aspect that captures its lines
    const lines: string[] = [];
    const capture = new PolicyAspect({ log: (l) => lines.push(l) });
    const { app, stacks } = buildApp(configWith(), (s) => Object.values(s).forEach((stack) => Aspects.of(stack).add(capture)));
    // WHEN a stack is synthesized
    Testing.synth(stacks.edge);
    // THEN one line per suppressed finding, and no annotation the cdktf CLI would print again
    expect(lines).toEqual([
      'policy: ALB_ACCESS_LOGS suppressed for edge/alb — Example environment: no log bucket exists in the placeholder account.',
      'policy: OPERATIONS_ALARMS suppressed for edge — Example environment: nobody to notify; set alarms.email for a real one.',
      RETIRED_LINE,
    ]);
    const alb = app.node.findAll().find((c) => c.node.path === 'edge/alb')!;
    expect(metadataOf(alb, '@cdktf/info')).toEqual([]);
    // AND the other stacks synthesize without repeating the lines
    Testing.synth(stacks.auth);
    expect(lines).toHaveLength(3);
  });

  test('a password minimum below 12 passes with a suppression, and MFA OFF warns once', () => {
    // GIVEN passwordMinimumLength 10 and mfa OFF, with COGNITO_PASSWORD_LENGTH suppressed
    const config = configWith({
      cognito: { ...EXAMPLE_CONFIG.cognito, mfa: 'OFF', passwordMinimumLength: 10 },
      suppressions: [...EXAMPLE_SUPPRESSIONS, { rule: 'COGNITO_PASSWORD_LENGTH', reason: 'Legacy kiosk accounts; rotated to 12 by Q3.' }],
    });
    const report = evaluatePolicy(buildApp(config).app);
    // THEN nothing fails; the suppression and the warning are echoed
    expect(report.violations).toEqual([]);
    expect(reportLines(report)).toEqual([
      'policy: ALB_ACCESS_LOGS suppressed for edge/alb — Example environment: no log bucket exists in the placeholder account.',
      'policy: COGNITO_PASSWORD_LENGTH suppressed for auth/user-pool/pool — Legacy kiosk accounts; rotated to 12 by Q3.',
      'policy: OPERATIONS_ALARMS suppressed for edge — Example environment: nobody to notify; set alarms.email for a real one.',
      'policy: warning COGNITO_MFA_OFF (AwsSolutions-COG2) at auth/user-pool/pool: mfa_configuration is "OFF": users sign in with a password alone\n' +
        '  fix: Set cognito.mfa to "OPTIONAL" (the default) or "ON"; or suppress COGNITO_MFA_OFF with a reason to silence the warning.',
      RETIRED_LINE,
    ]);
  });

  test('a suppression with nothing to suppress is echoed as removable', () => {
    // GIVEN access logs and a WAF configured, while the example's suppressions stay
    const config = configWith({
      alb: {
        accessLogs: { bucket: 'acme-alb-logs' },
      },
      waf: { mode: 'existing', webAclArn: 'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/dev/0b0c0d0e-1111-2222-3333-444455556666' },
    });
    const report = evaluatePolicy(buildApp(config).app);
    expect(report.violations).toEqual([]);
    expect(reportLines(report)).toEqual([
      'policy: OPERATIONS_ALARMS suppressed for edge — Example environment: nobody to notify; set alarms.email for a real one.',
      'policy: ALB_ACCESS_LOGS suppressed but nothing to suppress (remove the suppression) — Example environment: no log bucket exists in the placeholder account.',
      RETIRED_LINE,
    ]);
  });

  test('fails when a suppression names an unknown rule, listing the known ids', () => {
    // GIVEN a suppression of a misspelt rule
    const config = configWith({
      suppressions: [...EXAMPLE_SUPPRESSIONS, { rule: 'ALB_LOGS', reason: 'We ship logs through Firehose instead.' }],
    });
    const { stacks } = buildApp(config);
    // WHEN a stack is synthesized THEN it throws naming the id and every known id
    expect(() => Testing.synth(stacks.auth)).toThrow(
      `Policy check failed (1 problem):\n  - suppressions[2].rule: "ALB_LOGS" is not a known policy rule (known rules: ${RULE_IDS.join(', ')})\n`,
    );
  });

  test('fails when a suppression names a rule that cannot be suppressed', () => {
    // GIVEN the example app, checked against its config plus a suppression of an unsuppressible rule
    const config = configWith({
      suppressions: [
        { rule: 'ALB_DROP_INVALID_HEADERS', reason: 'Legacy clients send underscores in header names.' },
        ...EXAMPLE_SUPPRESSIONS,
      ],
    });
    // WHEN the policy runs with that config (suppressions only change the report, not the findings)
    const report = evaluatePolicy(exampleApp, { config });
    const suppressible = RULES.filter((r) => r.suppressible).map((r) => r.id);
    expect(suppressible).toEqual([
      'ALB_DELETION_PROTECTION',
      'ALB_ACCESS_LOGS',
      'ALB_WAF',
      'COGNITO_DELETION_PROTECTION',
      'COGNITO_PASSWORD_LENGTH',
      'COGNITO_MFA_OFF',
      'COGNITO_LOCAL_USERS_MFA',
      'BEARER_SCOPE_UNOBTAINABLE',
      'SENSITIVE_APP_GROUPS',
      'ROUTER_RETIRED',
      'COGNITO_WAF',
      'ALB_SECURITY_HEADERS',
      'OPERATIONS_ALARMS',
    ]);
    expect(report.suppressionErrors).toEqual([
      `suppressions[0].rule: "ALB_DROP_INVALID_HEADERS" cannot be suppressed; fix the finding instead (suppressible rules: ${suppressible.join(', ')})`,
    ]);
  });
});

describe('synth with a violation', () => {
  // GIVEN a folder with a good previous output
  const dir = mkdtempSync(join(tmpdir(), 'central-auth-policy-'));
  const outdir = join(dir, 'cdktf.out');
  const insecure = (app: App): void => {
    const { edge } = addStacks(app);
    edge.alb.addOverride('drop_invalid_header_fields', false);
  };
  const expected = [
    'Policy check failed (1 problem):',
    '  - ALB_DROP_INVALID_HEADERS (CKV_AWS_131, AWS-0052) at edge/alb: drop_invalid_header_fields is false, must be true',
    '    fix: Set dropInvalidHeaderFields: true on the load balancer.',
    'Suppress a suppressible rule only in the config, with a reason: suppressions: [{ rule: <RULE_ID>, reason: <why, at least 20 characters> }] (docs/policy.md).',
  ].join('\n');
  const stdout = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  afterAll(() => {
    stdout.mockRestore();
    stderr.mockRestore();
  });

  test('fails with one PolicyError and writes nothing when there was no output', () => {
    // WHEN synthAtomically builds an app with one violation
    // THEN app.synth() throws the exact message and neither the output nor the staging folder exists
    expect(() => synthAtomically(insecure, outdir)).toThrow(expected);
    expect(existsSync(outdir)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });

  test('fails even when the cdktf CLI asks to continue on error annotations, leaving the previous output untouched', () => {
    // GIVEN a good output, and the variable `cdktf synth` sets for the app
    synthAtomically((app) => addStacks(app), outdir);
    const before = readFileSync(join(outdir, 'stacks', 'edge', 'cdk.tf.json'), 'utf8');
    process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS = 'true';
    try {
      // WHEN the insecure app is synthesized
      expect(() => synthAtomically(insecure, outdir)).toThrow(expected);
    } finally {
      delete process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS;
    }
    // THEN the previous output is still there, byte for byte, and no staging folder is left
    expect(readFileSync(join(outdir, 'stacks', 'edge', 'cdk.tf.json'), 'utf8')).toBe(before);
    expect(readdirSync(dir)).toEqual(['cdktf.out']);
  });

  test('the suppression lines go to stdout during a real synth, where the cdktf CLI shows them as information', () => {
    stdout.mockClear();
    stderr.mockClear();
    // As main.ts builds them: the policy pack's lines go to stdout by default.
    synthAtomically((app) => addCentralAuthStacks(app, deploymentOf(configWith())), outdir);
    // THEN nothing reaches stderr, which the CLI would label "[ERROR]" on a successful synth
    expect(stderr.mock.calls).toEqual([]);
    expect(stdout.mock.calls.map(([line]) => line)).toEqual([
      'policy: ALB_ACCESS_LOGS suppressed for edge/alb — Example environment: no log bucket exists in the placeholder account.\n',
      'policy: OPERATIONS_ALARMS suppressed for edge — Example environment: nobody to notify; set alarms.email for a real one.\n',
      `${RETIRED_LINE}\n`,
    ]);
  });
});
