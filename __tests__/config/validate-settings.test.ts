import { EXAMPLE_CONFIG } from '../../modules/config/example';
import { prepareConfig, REQUIRE_REMOTE_STATE_ENV_VAR } from '../../modules/config/load';
import type { CentralAuthConfig } from '../../modules/config/types';
import { problemLines } from '../helpers';

/** The problems of the example with some fields replaced, one `field: value rule` line each. */
const problemsWith = (overrides: Record<string, unknown>, env: NodeJS.ProcessEnv = {}): string[] =>
  problemLines(() => prepareConfig({ ...EXAMPLE_CONFIG, ...overrides }, 'config', env));

const protectedApp = (extra: Record<string, unknown>) => [{ name: 'app', host: 'app.dev.example.com', access: 'protected', ...extra }];

describe('apps: sign-in on a whole host, 401 on chosen paths', () => {
  test('accepts denyPaths on a protected app and keeps them in the resolved config', () => {
    const config = prepareConfig({ ...EXAMPLE_CONFIG, apps: protectedApp({ denyPaths: ['/api/*'], publicPaths: ['/api/health'] }) });
    expect(config.apps[0]).toMatchObject({ denyPaths: ['/api/*'], publicPaths: ['/api/health'], onUnauthenticated: 'authenticate' });
  });

  test.each([
    [
      'a whole host denies',
      { apps: protectedApp({ onUnauthenticated: 'deny' }) },
      'apps[0] (app).onUnauthenticated: "deny" must not deny a whole host: the ALB would never start a sign-in there and its session cookie is host-only, so every request would get 401; list the XHR/fetch paths of a browser app in denyPaths, and give APIs bearer-token access instead',
    ],
    [
      'a deny path covers the whole host',
      { apps: protectedApp({ denyPaths: ['/*'] }) },
      'apps[0] (app).denyPaths[0]: "/*" covers the whole host, which could then never sign in',
    ],
    [
      'a deny path captures the sign-in callback',
      { apps: protectedApp({ denyPaths: ['/oauth2/*'] }) },
      'apps[0] (app).denyPaths[0]: "/oauth2/*" overlaps the ALB\'s sign-in callback path "/oauth2/idpresponse"',
    ],
    [
      'a path is both public and denied',
      { apps: protectedApp({ denyPaths: ['/api/*'], publicPaths: ['/api/*'] }) },
      'apps[0] (app).denyPaths: "/api/*" is also a public path; a path either skips sign-in or denies without it',
    ],
    [
      'a public app has deny paths',
      { apps: [...protectedApp({}), { name: 'pub', host: 'pub.dev.example.com', access: 'public', denyPaths: ['/x'] }] },
      'apps[1] (pub).denyPaths: ["/x"] is only allowed on protected apps (a public app is public on every path)',
    ],
  ])('fails when %s', (_case, overrides, expected) => {
    expect(problemsWith(overrides)).toEqual([expected]);
  });
});

describe('eks and grafana settings', () => {
  test('resolves Grafana to a gp3 volume by default and keeps access roles', () => {
    const config = prepareConfig({ ...EXAMPLE_CONFIG, eks: { planRoleArn: 'arn:aws:iam::123456789012:role/plan' } });
    expect(config.grafana).toEqual({ persistence: true, storageClassName: 'gp3' });
    expect(config.eks).toEqual({ planRoleArn: 'arn:aws:iam::123456789012:role/plan' });
  });

  test.each([
    [
      'a role ARN is not a role',
      { eks: { deployRoleArn: 'arn:aws:iam::123456789012:user/bob' } },
      'eks.deployRoleArn: "arn:aws:iam::123456789012:user/bob" must be an IAM role ARN such as "arn:aws:iam::123456789012:role/central-auth-plan"',
    ],
    [
      'the plan and deploy roles are the same',
      { eks: { planRoleArn: 'arn:aws:iam::123456789012:role/ci', deployRoleArn: 'arn:aws:iam::123456789012:role/ci' } },
      'eks.planRoleArn: "arn:aws:iam::123456789012:role/ci" must differ from eks.deployRoleArn: the plan role reads, the deploy role administers',
    ],
    [
      'a StorageClass name is not a Kubernetes name',
      { grafana: { storageClassName: 'GP3' } },
      'grafana.storageClassName: "GP3" must be a Kubernetes StorageClass name such as "gp3"',
    ],
    ['persistence is not a boolean', { grafana: { persistence: 'yes' } }, 'grafana.persistence: "yes" must be true or false'],
  ])('fails when %s', (_case, overrides, expected) => {
    expect(problemsWith(overrides)).toEqual([expected]);
  });
});

describe(`${REQUIRE_REMOTE_STATE_ENV_VAR}`, () => {
  const s3: Partial<CentralAuthConfig> = { state: { backend: 's3', bucket: 'acme-tf-state' } };

  test('fails when CI plans or deploys a config with local state', () => {
    expect(problemsWith({}, { [REQUIRE_REMOTE_STATE_ENV_VAR]: '1' })).toEqual([
      `state.backend: "local" must be "s3" when ${REQUIRE_REMOTE_STATE_ENV_VAR} is set: a plan or deploy in CI against local state would start from nothing and lose what it applied`,
    ]);
  });

  test('accepts S3 state in CI, and local state outside it', () => {
    expect(problemsWith(s3, { [REQUIRE_REMOTE_STATE_ENV_VAR]: '1' })).toEqual([]);
    expect(problemsWith({}, {})).toEqual([]);
  });
});
