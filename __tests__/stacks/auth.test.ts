import '../setup';
import { CognitoUserPool } from '@cdktf/provider-aws/lib/cognito-user-pool';
import { CognitoUserPoolClient } from '@cdktf/provider-aws/lib/cognito-user-pool-client';
import { CognitoUserPoolDomain } from '@cdktf/provider-aws/lib/cognito-user-pool-domain';
import { CognitoUserGroup } from '@cdktf/provider-aws/lib/cognito-user-group';
import { TerraformStack, Testing } from 'cdktf';
import { EXAMPLE_CONFIG } from '../../modules/config/example';
import { HostedUserPool } from '../../modules/constructs/hosted-user-pool';
import { previousGroupAddress } from '../../modules/stacks/auth';
import { AUTH_OUTPUTS, authContract, CONTRACT_OUTPUT } from '../../modules/stacks/outputs';
import { configWith, configWithFourClients, resourcesOf, synthAll } from '../helpers';

describe('auth stack', () => {
  // GIVEN the example config (two protected hosts, one public)
  const { json, tf } = synthAll();

  test('the user pool admits only admin-created users and hides which users exist', () => {
    expect(json.auth).toHaveResourceWithProperties(CognitoUserPool, {
      name: 'dev-central-auth-users',
      admin_create_user_config: { allow_admin_create_user_only: true },
      username_configuration: { case_sensitive: false },
      deletion_protection: 'ACTIVE',
      mfa_configuration: 'OPTIONAL',
      software_token_mfa_configuration: { enabled: true },
      password_policy: expect.objectContaining({
        minimum_length: 12,
        require_symbols: true,
        require_numbers: true,
        require_uppercase: true,
        require_lowercase: true,
      }),
    });
  });

  test('the app client is confidential, code flow only, and hides user existence', () => {
    expect(json.auth).toHaveResourceWithProperties(CognitoUserPoolClient, {
      generate_secret: true,
      allowed_oauth_flows: ['code'],
      allowed_oauth_flows_user_pool_client: true,
      allowed_oauth_scopes: ['openid', 'email', 'profile'],
      supported_identity_providers: ['COGNITO'],
      prevent_user_existence_errors: 'ENABLED',
      explicit_auth_flows: ['ALLOW_REFRESH_TOKEN_AUTH'],
      access_token_validity: 60,
      token_validity_units: [{ access_token: 'minutes', id_token: 'minutes', refresh_token: 'hours' }],
    });
  });

  test('the callback URLs are exactly the protected hosts, and so are the logout URLs', () => {
    const [client] = resourcesOf(tf.auth, 'aws_cognito_user_pool_client');
    expect(client.callback_urls).toEqual([
      'https://echo.dev.example.com/oauth2/idpresponse',
      'https://grafana.dev.example.com/oauth2/idpresponse',
    ]);
    expect(client.logout_urls).toEqual(['https://echo.dev.example.com/', 'https://grafana.dev.example.com/']);
  });

  test('the hosted UI domain and groups come from config', () => {
    expect(json.auth).toHaveResourceWithProperties(CognitoUserPoolDomain, { domain: 'example-dev-login' });
    expect(json.auth).toHaveResourceWithProperties(CognitoUserGroup, { name: 'grafana-admins', description: 'Grafana administrators' });
    expect(resourcesOf(tf.auth, 'aws_cognito_user_group')).toHaveLength(3);
  });

  test('outputs use the shared names, are identifiers only, and none is sensitive', () => {
    expect(Object.keys(tf.auth.output).sort()).toEqual([...Object.values(AUTH_OUTPUTS), CONTRACT_OUTPUT].sort());
    // THEN the client secrets stay in this stack's state: authenticate-cognito reads them from Cognito itself
    expect(Object.entries(tf.auth.output).filter(([, o]) => o.sensitive !== undefined)).toEqual([]);
    expect(JSON.stringify(tf.auth.output)).not.toContain('client_secret');
    expect(tf.auth.output[AUTH_OUTPUTS.clientIds].value).toEqual({
      alb: '${aws_cognito_user_pool_client.user-pool_alb-client_B65B2AD8.id}',
    });
    expect(tf.auth.output[AUTH_OUTPUTS.userPoolArn].value).toBe('${aws_cognito_user_pool.user-pool_54D4728B.arn}');
    expect(tf.auth.output[AUTH_OUTPUTS.jwksUrl].value).toMatch(
      /^https:\/\/cognito-idp\.eu-west-1\.amazonaws\.com\/\$\{aws_cognito_user_pool\.[\w-]+\.id\}\/\.well-known\/jwks\.json$/,
    );
    expect(tf.auth.output[AUTH_OUTPUTS.domain].value).toBe(
      '${aws_cognito_user_pool_domain.user-pool_domain_6518832D.domain}.auth.eu-west-1.amazoncognito.com',
    );
    expect(tf.auth.output[AUTH_OUTPUTS.logoutEndpoint].value).toBe(
      'https://${aws_cognito_user_pool_domain.user-pool_domain_6518832D.domain}.auth.eu-west-1.amazoncognito.com/logout',
    );
    expect(tf.auth.output[CONTRACT_OUTPUT].value).toBe(authContract(['alb']));
  });

  test('state is local and per stack in the example', () => {
    expect(tf.auth.terraform.backend).toEqual({ local: { path: '../../../.state/dev/auth.tfstate' } });
  });
});

describe('auth stack with an S3 backend and MFA off', () => {
  // GIVEN an S3 state bucket without a lock table, MFA off and a longer password
  const { tf } = synthAll(
    configWith({
      state: { backend: 's3', bucket: 'acme-tf-state', keyPrefix: 'platform' },
      cognito: { ...EXAMPLE_CONFIG.cognito, domainPrefix: 'acme-login', mfa: 'OFF', passwordMinimumLength: 16 },
    }),
  );

  test('each stack gets its own encrypted, locked key', () => {
    expect(tf.auth.terraform.backend).toEqual({
      s3: { bucket: 'acme-tf-state', key: 'platform/dev/auth.tfstate', region: 'eu-west-1', encrypt: true, use_lockfile: true },
    });
    expect(tf.edge.terraform.backend.s3.key).toBe('platform/dev/edge.tfstate');
  });

  test('remote state reads the same keys', () => {
    expect(tf.edge.data.terraform_remote_state['remote-state-auth']).toMatchObject({
      backend: 's3',
      config: { bucket: 'acme-tf-state', key: 'platform/dev/auth.tfstate' },
    });
  });

  test('MFA off has no software token configuration', () => {
    const [pool] = resourcesOf(tf.auth, 'aws_cognito_user_pool');
    expect(pool.mfa_configuration).toBe('OFF');
    expect(pool.software_token_mfa_configuration).toBeUndefined();
    expect(pool.password_policy.minimum_length).toBe(16);
  });
});

describe('auth stack with several app clients', () => {
  // GIVEN seven protected hosts on four app clients
  const { tf } = synthAll(configWithFourClients());

  test('client_ids maps every client key to the id of the client named by that key', () => {
    const ids: Record<string, string> = tf.auth.output[AUTH_OUTPUTS.clientIds].value;
    expect(Object.keys(ids)).toEqual(['alb', 'alb-1', 'alb-2', 'alb-3']);
    for (const [key, id] of Object.entries(ids)) {
      const resource = /^\$\{aws_cognito_user_pool_client\.([\w-]+)\.id\}$/.exec(id)![1]!;
      expect([key, tf.auth.resource.aws_cognito_user_pool_client![resource]!.name]).toEqual([key, `dev-central-auth-${key}`]);
    }
    // AND the contract names the same keys, so a consumer planned for other clients sees placeholders
    expect(tf.auth.output[CONTRACT_OUTPUT].value).toBe(authContract(['alb', 'alb-1', 'alb-2', 'alb-3']));
  });

  test('every protected host has its callback URL on exactly one client', () => {
    const callbacks = resourcesOf(tf.auth, 'aws_cognito_user_pool_client').flatMap((c) => c.callback_urls as string[]);
    expect(callbacks.sort()).toEqual(
      ['app0', 'app1', 'app2', 'app3', 'app4', 'echo', 'grafana'].map((h) => `https://${h}.dev.example.com/oauth2/idpresponse`),
    );
  });
});

describe('HostedUserPool', () => {
  /** A pool in a fresh stack, with no app client yet. */
  const newPool = (): HostedUserPool =>
    new HostedUserPool(new TerraformStack(Testing.app(), 's'), 'pool', { namePrefix: 'x', region: 'eu-west-1', domainPrefix: 'x' });

  test('keys its clients, and names each one by its hash group so that none moves when another is added', () => {
    // GIVEN a pool WHEN the clients of groups 2 and 0 are added (group 1 has no host, so no client)
    const pool = newPool();
    pool.addAppClient({ key: 'alb-2', group: 2, hosts: ['c.example.com'] });
    pool.addAppClient({ key: 'alb', group: 0, hosts: ['b.example.com', 'a.example.com'] });
    // THEN they are found by key, in the order added, with construct ids and names from their groups
    expect([...pool.clients.keys()]).toEqual(['alb-2', 'alb']);
    expect(pool.clients.get('alb')!.node.id).toBe('alb-client');
    expect(pool.clients.get('alb-2')!.node.id).toBe('alb-client-2');
    const clients = resourcesOf(JSON.parse(Testing.synth(TerraformStack.of(pool))), 'aws_cognito_user_pool_client');
    expect(clients.map((c) => [c.name, c.callback_urls])).toEqual([
      ['x-alb-2', ['https://c.example.com/oauth2/idpresponse']],
      ['x-alb', ['https://a.example.com/oauth2/idpresponse', 'https://b.example.com/oauth2/idpresponse']],
    ]);
  });

  test('fails when an app client is added twice', () => {
    // GIVEN a pool with one app client
    const pool = newPool();
    pool.addAppClient({ key: 'alb', group: 0, hosts: ['a.example.com'] });
    // WHEN a client with the same key is added again THEN it is refused
    expect(() => pool.addAppClient({ key: 'alb', group: 0, hosts: ['b.example.com'] })).toThrow(
      'HostedUserPool: app client "alb" already exists',
    );
  });

  test('fails when a client group is not a whole number', () => {
    expect(() => newPool().addAppClient({ key: 'alb-x', group: -1, hosts: ['a.example.com'] })).toThrow(
      'HostedUserPool: client group -1 must be a whole number >= 0',
    );
  });
});

describe('groups named with other characters than letters, digits and "-"', () => {
  test('move from the address the previous release gave them, so no group (and no membership) is replaced', () => {
    // GIVEN a group whose construct id changed with the injective encoding
    const { tf } = synthAll(
      configWith({ cognito: { ...EXAMPLE_CONFIG.cognito, groups: [...EXAMPLE_CONFIG.cognito.groups!, { name: 'ops.team@x' }] } }),
    );
    const moves = (tf.auth as unknown as { moved: { from: string; to: string }[] }).moved;
    // THEN it moves from the id the previous release synthesized (checked against that release)
    expect(moves).toEqual([
      {
        from: 'aws_cognito_user_group.user-pool_group-opsteamx_1511D395',
        to: 'aws_cognito_user_group.user-pool_group-ops_2e_team_40_x_28696588',
      },
    ]);
    expect(previousGroupAddress('grafana-admins')).toBeUndefined();
  });
});
