// Calls from code: the resource server and machine clients (auth), the bearer-token rules (edge),
// and the verifier's bearer check (cluster), as synthesized.
import { Testing } from 'cdktf';
import { EXAMPLE_CONFIG } from '../../modules/config/example';
import type { AppConfig, CentralAuthConfig } from '../../modules/config/types';
import { addCentralAuthStacks } from '../../modules/app';
import { planDeployment } from '../../modules/plan/deployment';
import { PRIORITY_RANGES } from '../../modules/plan/routing';
import { evaluatePolicy } from '../../modules/policy';
import { deploymentOf } from '../../modules/deployment';
import { configWith, resourcesOf, synthAll } from '../helpers';

const API: AppConfig = {
  name: 'reports',
  host: 'reports.dev.example.com',
  access: 'protected',
  bearerTokens: { scopes: ['reports.read'] },
};
const DEPLOY: AppConfig = {
  name: 'deploy',
  host: 'deploy.dev.example.com',
  access: 'protected',
  bearerTokens: { scopes: ['deploy.write', 'reports.read'] },
};
const CLIENTS: CentralAuthConfig['machineClients'] = [
  { name: 'ci', scopes: ['deploy.write', 'reports.read'] },
  { name: 'reporting-job', scopes: ['reports.read'], accessTokenValidityMinutes: 5 },
];
const withMachines = (apps: AppConfig[] = [API, DEPLOY], machineClients = CLIENTS) =>
  configWith({ apps: [...EXAMPLE_CONFIG.apps, ...apps], machineClients });
const REMOTE = (key: string) => `\${data.terraform_remote_state.remote-state-auth.outputs.${key}}`;

describe('machine access: two API hosts and two machine clients', () => {
  const config = withMachines();
  const { tf } = synthAll(config);

  test('a resource server named for the environment holds one scope per declared scope', () => {
    expect(resourcesOf(tf.auth, 'aws_cognito_resource_server')).toEqual([
      expect.objectContaining({
        identifier: 'dev-central-auth',
        name: 'dev-central-auth-apis',
        scope: ['deploy.write', 'reports.read'].map((s) => ({ scope_name: s, scope_description: `Bearer-token access: ${s}` })),
      }),
    ]);
  });

  test('each machine client runs client_credentials only, for its scopes, with short tokens and no callback URLs', () => {
    const machines = resourcesOf(tf.auth, 'aws_cognito_user_pool_client').filter((c) => c.allowed_oauth_flows[0] === 'client_credentials');
    expect(machines.map((c) => [c.name, c.allowed_oauth_scopes, c.access_token_validity])).toEqual([
      [
        'dev-central-auth-m-ci',
        [
          expect.stringMatching(
            /^\$\{aws_cognito_resource_server\.machine-access_resource-server_[0-9A-F]{8}\.identifier\}\/deploy\.write$/,
          ),
          expect.stringMatching(/\.identifier\}\/reports\.read$/),
        ],
        15,
      ],
      ['dev-central-auth-m-reporting-job', [expect.stringMatching(/\.identifier\}\/reports\.read$/)], 5],
    ]);
    for (const c of machines) {
      expect(c).toMatchObject({
        generate_secret: true,
        allowed_oauth_flows: ['client_credentials'],
        explicit_auth_flows: ['ALLOW_REFRESH_TOKEN_AUTH'],
      });
      expect(c.callback_urls).toBeUndefined();
      expect(c.logout_urls).toBeUndefined();
      // Never shorter than the access token (Cognito's minimum is 60 minutes).
      expect(c.refresh_token_validity).toBe(Math.max(60, c.access_token_validity));
      expect(c.token_validity_units).toEqual([{ access_token: 'minutes', id_token: 'minutes', refresh_token: 'minutes' }]);
    }
  });

  test('each secret lives in Secrets Manager; outputs name only the secrets’ ARNs and the token endpoint, never a secret', () => {
    const versions = resourcesOf(tf.auth, 'aws_secretsmanager_secret_version');
    expect(versions).toHaveLength(2);
    expect(versions[0]!.secret_string).toMatch(
      /client_secret" = aws_cognito_user_pool_client\.machine-access_client-ci_[0-9A-F]{8}\.client_secret/,
    );
    expect(resourcesOf(tf.auth, 'aws_secretsmanager_secret').map((s) => s.recovery_window_in_days)).toEqual([0, 0]);
    expect(resourcesOf(tf.auth, 'aws_secretsmanager_secret').map((s) => s.name)).toEqual([
      'dev-central-auth/machine-clients/ci',
      'dev-central-auth/machine-clients/reporting-job',
    ]);
    const outputs = JSON.stringify((tf.auth as any).output);
    expect(outputs).not.toMatch(/\.client_secret\b|secret_string|secret_version/);
    expect((tf.auth as any).output.machine_client_secret_arns.value).toEqual({
      ci: expect.stringMatching(/^\$\{aws_secretsmanager_secret\.machine-access_secret-ci_[0-9A-F]{8}\.arn\}$/),
      'reporting-job': expect.stringMatching(/secret-reporting-job_[0-9A-F]{8}\.arn\}$/),
    });
    expect((tf.auth as any).output.token_endpoint.value).toMatch(
      /^https:\/\/\$\{aws_cognito_user_pool_domain\..*\.domain\}\.auth\.eu-west-1\.amazoncognito\.com\/oauth2\/token$/,
    );
  });

  test('one bearer rule per scope set: host and Authorization conditions, jwt-validation then forward, the exact claims', () => {
    const rules = resourcesOf(tf.edge, 'aws_lb_listener_rule').filter((r) => r.action[0].type === 'jwt-validation');
    expect(rules).toHaveLength(2);
    const byHost = Object.fromEntries(rules.map((r) => [r.condition[0].host_header.values[0], r]));
    expect(byHost['deploy.dev.example.com']).toMatchObject({
      condition: [
        { host_header: { values: ['deploy.dev.example.com'] } },
        { http_header: { http_header_name: 'Authorization', values: ['Bearer *'] } },
      ],
      action: [
        {
          type: 'jwt-validation',
          order: 1,
          jwt_validation: {
            issuer: REMOTE('issuer_url'),
            jwks_endpoint: REMOTE('jwks_url'),
            additional_claim: [
              { name: 'token_use', format: 'single-string', values: ['access'] },
              {
                name: 'scope',
                format: 'space-separated-values',
                values: ['dev-central-auth/deploy.write', 'dev-central-auth/reports.read'],
              },
            ],
          },
        },
        { type: 'forward', order: 2, target_group_arn: expect.stringContaining('aws_lb_target_group.ingress-nlb-targets') },
      ],
    });
    // Before the host-wide sign-in rules, in the range it shares with deny paths.
    for (const r of rules) expect(r.priority).toBeGreaterThanOrEqual(PRIORITY_RANGES.denyPaths.first);
    for (const r of rules) expect(r.priority).toBeLessThanOrEqual(PRIORITY_RANGES.denyPaths.last);
  });

  test('the verifier checks bearer tokens on those hosts with the same full scopes, and passes the client on', () => {
    const configMap = resourcesOf(tf.cluster, 'kubernetes_config_map_v1').find((m) => m.data?.['config.json']);
    const verifierConfig = JSON.parse(configMap!.data['config.json']);
    expect(verifierConfig.hosts['deploy.dev.example.com'].bearerScopes).toEqual([
      'dev-central-auth/deploy.write',
      'dev-central-auth/reports.read',
    ]);
    expect(verifierConfig.hosts['grafana.dev.example.com'].bearerScopes).toBeUndefined();
  });

  test('the policy accepts it: every client can call an app, every rule has a client', () => {
    const app = Testing.app({ stackTraces: false });
    addCentralAuthStacks(app, deploymentOf(config), { policyLog: () => {} });
    const report = evaluatePolicy(app);
    expect(report.violations).toEqual([]);
    expect(report.warnings.map((w) => w.rule)).not.toContain('BEARER_SCOPE_UNOBTAINABLE');
  });
});

describe('machine access stays out of the way', () => {
  test('without bearer apps there is no resource server, machine client, secret or extra output', () => {
    const { tf } = synthAll();
    for (const type of ['aws_cognito_resource_server', 'aws_secretsmanager_secret']) expect(resourcesOf(tf.auth, type)).toEqual([]);
    expect(Object.keys((tf.auth as any).output)).not.toContain('token_endpoint');
  });

  test('adding an API host adds its bearer rule and moves no other rule', () => {
    const before = planDeployment(withMachines([API], [CLIENTS[1]!])).edge.rules;
    const after = planDeployment(withMachines([API, DEPLOY], [CLIENTS[1]!])).edge.rules;
    const key = (rules: typeof before) => new Map(rules.map((r) => [r.key, r.priority]));
    const added = [...key(after)].filter(([k]) => !key(before).has(k));
    expect(added.map(([k]) => k)).toEqual([expect.stringMatching(/^bearer-[0-9a-f]{8}-0\.0$/)]);
    for (const [k, p] of key(before)) expect(key(after).get(k)).toBe(p);
  });

  test('hosts needing the same scopes share a rule, four to a rule (the header takes the fifth condition value)', () => {
    const apis = Array.from(
      { length: 9 },
      (_, i): AppConfig => ({
        name: `api${i}`,
        host: `api${i}.dev.example.com`,
        access: 'protected',
        bearerTokens: { scopes: ['reports.read'] },
      }),
    );
    const bearer = planDeployment(withMachines(apis, [CLIENTS[1]!])).edge.rules.filter((r) => r.kind === 'bearer');
    expect(bearer.flatMap((r) => r.hosts).sort()).toEqual(apis.map((a) => a.host).sort());
    expect(Math.max(...bearer.map((r) => r.hosts.length))).toBeLessThanOrEqual(4);
    expect(bearer.length).toBe(3);
  });

  test('fails when the bearer rules would exceed the ALB quota, counted by kind', () => {
    // GIVEN 60 API hosts with a scope each, on an ALB whose quota is 50 rules
    const apis = Array.from(
      { length: 60 },
      (_, i): AppConfig => ({
        name: `api${i}`,
        host: `api${i}.dev.example.com`,
        access: 'protected',
        bearerTokens: { scopes: [`s${i}`] },
      }),
    );
    const config = configWith({ apps: [...EXAMPLE_CONFIG.apps, ...apis], quotas: { listenerRulesPerAlb: 50 } });
    // WHEN the deployment is planned THEN the quota refuses it, naming the bearer rules
    expect(() => deploymentOf(config)).toThrow(
      'apps: "63 apps" need 64 ALB listener rules (sign-out 2, public-paths 1, bearer 60, public-hosts 1) but the quota "Rules per Application Load Balancer" is 50',
    );
  });
});
