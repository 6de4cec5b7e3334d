import { Testing } from 'cdktf';
import fc from 'fast-check';
import { addCentralAuthStacks } from '../../modules/app';
import { ConfigError } from '../../modules/config/errors';
import { EXAMPLE_CONFIG } from '../../modules/config/example';
import { prepareDeployment } from '../../modules/deployment';
import { evaluatePolicy, PolicyError } from '../../modules/policy';

/**
 * Whatever a user writes, the app either synthesizes or refuses with `field: value … rule`
 * lines: never a JavaScript error, never a stack trace.
 */
const MESSAGE =
  /^(Invalid [^\n]+ \(\d+ problems?\):|Policy check failed \(\d+ problems?\):)(\n {2}- [^\n]+(\n {4}fix: [^\n]+)?)+(\nSuppress [^\n]+)?$/;

function outcome(raw: unknown): 'synthesized' | string {
  try {
    const deployment = prepareDeployment(raw);
    const app = Testing.app({ stackTraces: false });
    const stacks = addCentralAuthStacks(app, deployment, { policyLog: () => {} });
    const report = evaluatePolicy(app);
    if (report.violations.length || report.suppressionErrors.length) throw new PolicyError(report);
    for (const stack of Object.values(stacks)) Testing.synth(stack);
    return 'synthesized';
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return err.message;
  }
}

/** Strings a user might type, including everything that has broken parsers before. */
const text = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom(
    '${var.x}',
    '%{if x}',
    '${TfToken[TOKEN.3]}',
    'a\\',
    "it's",
    'a/b',
    '/..',
    '/./x',
    '\u202e',
    '\n',
    '',
    ' ',
    'internal',
    'x'.repeat(300),
  ),
  fc.string({ unit: 'binary', maxLength: 8 }),
);
const scalar = fc.oneof(text, fc.integer(), fc.double(), fc.constantFrom(NaN, Infinity, -0, 2 ** 60), fc.boolean(), fc.constant(null));
const value = fc.letrec((tie) => ({
  any: fc.oneof({ depthSize: 'small' }, scalar, fc.array(tie('any'), { maxLength: 3 }), fc.dictionary(text, tie('any'), { maxKeys: 3 })),
})).any;

/** A path into the example config: a top-level key, or a key of one of its objects or apps. */
const FIELDS = [
  ...Object.keys(EXAMPLE_CONFIG).map((k) => [k]),
  ...['domainPrefix', 'mfa', 'groups', 'passwordMinimumLength'].map((k) => ['cognito', k]),
  ...['name', 'host', 'access', 'publicPaths', 'denyPaths', 'onUnauthenticated', 'workload'].map((k) => ['apps', 0, k]),
  ['session', 'signoutPath'],
  ['alb', 'accessLogs'],
  ['state', 'directory'],
  ['quotas', 'callbackUrlsPerAppClient'],
  ['nlb', 'subnets', 0, 'cidr'],
  ['nlb', 'subnets', 0, 'privateIp'],
  ['eks', 'planRoleArn'],
  ['alb', 'webAclArn'],
  ['state', 'bucket'],
  ['state', 'keyPrefix'],
  ['cognito', 'groups', 0, 'name'],
  ['cognito', 'groups', 0, 'grafanaRole'],
  ['grafana', 'storageClassName'],
] as (string | number)[][];

function withValue(path: readonly (string | number)[], v: unknown): unknown {
  const config = structuredClone(EXAMPLE_CONFIG) as unknown as Record<string | number, unknown>;
  let cursor = config;
  for (const key of path.slice(0, -1)) {
    if (typeof cursor[key] !== 'object' || cursor[key] === null) cursor[key] = {};
    cursor = cursor[key] as Record<string | number, unknown>;
  }
  cursor[path[path.length - 1]!] = v;
  return config;
}

describe('any config, valid or not', () => {
  test('either synthesizes or is refused with field, value and rule, never a stack trace', () => {
    fc.assert(
      fc.property(fc.constantFrom(...FIELDS), value, (path, v) => {
        const result = outcome(withValue(path, v));
        return result === 'synthesized' || (MESSAGE.test(result) && !/\n\s+at /.test(result));
      }),
      { numRuns: 150, seed: 20261127 },
    );
  });

  test('refuses a value that loops back into itself, naming where', () => {
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    expect(outcome(withValue(['alb'], loop))).toMatch(
      /^Invalid config \(\d+ problems?\):\n {2}- alb\.self: "\(circular\)" refers to itself/,
    );
  });

  test('valid random apps always synthesize', () => {
    const label = fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/);
    fc.assert(
      fc.property(
        fc.uniqueArray(label, { minLength: 1, maxLength: 12 }),
        fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
        (names, isPublic) => {
          const apps = names.map((name, i) => ({
            name,
            host: `${name}.dev.example.com`,
            access: i > 0 && isPublic[i] ? ('public' as const) : ('protected' as const),
          }));
          return outcome({ ...EXAMPLE_CONFIG, apps }) === 'synthesized';
        },
      ),
      { numRuns: 6, seed: 7 },
    );
  });
});
