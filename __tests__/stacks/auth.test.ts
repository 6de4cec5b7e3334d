import '../setup';
import { CognitoUserPool } from '@cdktf/provider-aws/lib/cognito-user-pool';
import { CognitoUserPoolClient } from '@cdktf/provider-aws/lib/cognito-user-pool-client';
import { CognitoUserPoolDomain } from '@cdktf/provider-aws/lib/cognito-user-pool-domain';
import { CognitoUserGroup } from '@cdktf/provider-aws/lib/cognito-user-group';
import { TerraformStack, Testing } from 'cdktf';
import { HostedUserPool } from '../../modules/constructs/hosted-user-pool';
import { AUTH_OUTPUTS } from '../../modules/stacks/outputs';
import { configWith, resourcesOf, synthAll } from '../helpers';

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
    expect(resourcesOf(tf.auth, 'aws_cognito_user_group')).toHaveLength(2);
  });

  test('outputs use the shared names and only the secret is sensitive', () => {
    expect(Object.keys(tf.auth.output).sort()).toEqual(Object.values(AUTH_OUTPUTS).sort());
    const sensitive = Object.entries(tf.auth.output)
      .filter(([, o]) => o.sensitive)
      .map(([name]) => name);
    expect(sensitive).toEqual([AUTH_OUTPUTS.clientSecrets]);
    expect(tf.auth.output[AUTH_OUTPUTS.clientIds].value).toEqual(['${aws_cognito_user_pool_client.user-pool_alb-client_B65B2AD8.id}']);
    expect(tf.auth.output[AUTH_OUTPUTS.jwksUrl].value).toMatch(
      /^https:\/\/cognito-idp\.eu-west-1\.amazonaws\.com\/\$\{aws_cognito_user_pool\.[\w-]+\.id\}\/\.well-known\/jwks\.json$/,
    );
    expect(tf.auth.output[AUTH_OUTPUTS.authorizationEndpoint].value).toMatch(
      /^https:\/\/\$\{aws_cognito_user_pool_domain\.[\w-]+\.domain\}\.auth\.eu-west-1\.amazoncognito\.com\/oauth2\/authorize$/,
    );
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
      cognito: { domainPrefix: 'acme-login', mfa: 'OFF', passwordMinimumLength: 16 },
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

describe('HostedUserPool', () => {
  test('fails when an app client is added twice', () => {
    // GIVEN a pool with one app client
    const pool = new HostedUserPool(new TerraformStack(Testing.app(), 's'), 'pool', {
      namePrefix: 'x',
      region: 'eu-west-1',
      domainPrefix: 'x',
    });
    pool.addAppClient({ key: 'alb', index: 0, hosts: ['a.example.com'] });
    // WHEN a client with the same key is added again THEN it is refused
    expect(() => pool.addAppClient({ key: 'alb', index: 0, hosts: ['b.example.com'] })).toThrow(
      'HostedUserPool: app client "alb" already exists',
    );
  });
});
