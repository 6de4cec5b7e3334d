import { CognitoUserPool, type CognitoUserPoolConfig } from '@cdktf/provider-aws/lib/cognito-user-pool';
import { CognitoUserPoolClient, type CognitoUserPoolClientConfig } from '@cdktf/provider-aws/lib/cognito-user-pool-client';
import { configWith } from '../../helpers';
import { EXAMPLE_CONFIG } from '../../../modules/config/example';
import { findingsOf, labStack, ruleTests, type FailCase, type PassCase } from '../helpers';

const SECURE_POOL: CognitoUserPoolConfig = {
  name: 'users',
  adminCreateUserConfig: { allowAdminCreateUserOnly: true },
  usernameConfiguration: { caseSensitive: false },
  deletionProtection: 'ACTIVE',
  passwordPolicy: { minimumLength: 12, requireLowercase: true, requireUppercase: true, requireNumbers: true, requireSymbols: true },
  mfaConfiguration: 'OPTIONAL',
  softwareTokenMfaConfiguration: { enabled: true },
};
const SECURE_CLIENT: CognitoUserPoolClientConfig = {
  name: 'alb',
  userPoolId: 'pool-id',
  generateSecret: true,
  allowedOauthFlows: ['code'],
  preventUserExistenceErrors: 'ENABLED',
};

describe('Cognito rules', () => {
  // GIVEN a plain stack with a compliant pool and client, a bare pool, and a pool and a client that fail
  // every rule; and a second stack whose config asks for longer passwords than its pool's 12
  const stack = labStack();
  new CognitoUserPool(stack, 'pool', SECURE_POOL);
  new CognitoUserPool(stack, 'bare-pool', { name: 'bare' });
  new CognitoUserPool(stack, 'open-pool', {
    name: 'open',
    adminCreateUserConfig: { allowAdminCreateUserOnly: false },
    usernameConfiguration: { caseSensitive: true },
    deletionProtection: 'INACTIVE',
    passwordPolicy: { ...SECURE_POOL.passwordPolicy, minimumLength: 10, requireSymbols: false },
    mfaConfiguration: 'ON',
  });
  new CognitoUserPoolClient(stack, 'client', SECURE_CLIENT);
  new CognitoUserPoolClient(stack, 'leaky-client', {
    ...SECURE_CLIENT,
    generateSecret: false,
    allowedOauthFlows: ['code', 'implicit'],
    preventUserExistenceErrors: 'LEGACY',
  });
  new CognitoUserPoolClient(stack, 'bare-client', { name: 'bare', userPoolId: 'pool-id' });
  const strict = labStack('strict');
  new CognitoUserPool(strict, 'pool', SECURE_POOL);
  // WHEN the policy runs on each stack with its config, and on the lab without one
  const config = configWith();
  const found = [
    ...findingsOf(stack, { config }),
    ...findingsOf(strict, { config: configWith({ cognito: { ...EXAMPLE_CONFIG.cognito, passwordMinimumLength: 14 } }) }),
  ];
  const withoutConfig = findingsOf(stack);

  const fails: FailCase[] = [
    [
      'COGNITO_ADMIN_CREATE_ONLY',
      'a pool leaves sign-up to the AWS default',
      'lab/bare-pool',
      'admin_create_user_config.allow_admin_create_user_only is (not set), must be true',
    ],
    [
      'COGNITO_ADMIN_CREATE_ONLY',
      'users may sign themselves up',
      'lab/open-pool',
      'admin_create_user_config.allow_admin_create_user_only is false, must be true',
    ],
    [
      'COGNITO_CASE_INSENSITIVE_USERNAMES',
      'a pool leaves username case to the AWS default',
      'lab/bare-pool',
      'username_configuration.case_sensitive is (not set), must be false',
    ],
    [
      'COGNITO_CASE_INSENSITIVE_USERNAMES',
      'usernames are case-sensitive',
      'lab/open-pool',
      'username_configuration.case_sensitive is true, must be false',
    ],
    [
      'COGNITO_DELETION_PROTECTION',
      'a pool leaves deletion protection off',
      'lab/bare-pool',
      'deletion_protection is (not set), must be "ACTIVE"',
    ],
    [
      'COGNITO_DELETION_PROTECTION',
      'deletion protection is INACTIVE',
      'lab/open-pool',
      'deletion_protection is "INACTIVE", must be "ACTIVE"',
    ],
    [
      'COGNITO_PASSWORD_LENGTH',
      'a pool has no password policy',
      'lab/bare-pool',
      'password_policy.minimum_length is (not set), must be at least 12 (the AWS default is 8)',
    ],
    [
      'COGNITO_PASSWORD_LENGTH',
      'passwords may have 10 characters',
      'lab/open-pool',
      'password_policy.minimum_length is 10, must be at least 12',
    ],
    [
      'COGNITO_PASSWORD_LENGTH',
      'cognito.passwordMinimumLength asks for more than the pool',
      'strict/pool',
      'password_policy.minimum_length is 12, must be at least 14 (cognito.passwordMinimumLength)',
    ],
    [
      'COGNITO_PASSWORD_CLASSES',
      'a pool requires no lowercase letter',
      'lab/bare-pool',
      'password_policy.require_lowercase is (not set), must be true',
    ],
    ['COGNITO_PASSWORD_CLASSES', 'passwords need no symbol', 'lab/open-pool', 'password_policy.require_symbols is false, must be true'],
    ['COGNITO_MFA', "the pool's MFA is not the config's", 'lab/open-pool', 'mfa_configuration is "ON", must be "OPTIONAL" (cognito.mfa)'],
    [
      'COGNITO_MFA',
      'MFA is on without TOTP',
      'lab/open-pool',
      'software_token_mfa_configuration.enabled is (not set), must be true when mfa_configuration is "ON"',
    ],
    [
      'COGNITO_MFA_OFF',
      'a pool leaves MFA to the AWS default (off)',
      'lab/bare-pool',
      'mfa_configuration is "OFF": users sign in with a password alone',
    ],
    [
      'COGNITO_USER_EXISTENCE_ERRORS',
      'the client reveals whether a user exists',
      'lab/leaky-client',
      'prevent_user_existence_errors is "LEGACY", must be "ENABLED"',
    ],
    [
      'COGNITO_USER_EXISTENCE_ERRORS',
      'the client leaves it to the AWS default',
      'lab/bare-client',
      'prevent_user_existence_errors is (not set), must be "ENABLED"',
    ],
    [
      'COGNITO_CLIENT_CODE_FLOW',
      'the client also allows the implicit flow',
      'lab/leaky-client',
      'allowed_oauth_flows is ["code","implicit"], must be exactly ["code"], or ["client_credentials"] for a machine client',
    ],
    [
      'COGNITO_CLIENT_CODE_FLOW',
      'the client names no flow',
      'lab/bare-client',
      'allowed_oauth_flows is (not set), must be exactly ["code"], or ["client_credentials"] for a machine client',
    ],
    ['COGNITO_CLIENT_SECRET', 'the client has no secret', 'lab/leaky-client', 'generate_secret is false, must be true'],
  ];
  const passes: PassCase[] = [
    ['COGNITO_ADMIN_CREATE_ONLY', 'only administrators create users', 'lab/pool'],
    ['COGNITO_CASE_INSENSITIVE_USERNAMES', 'usernames are case-insensitive', 'lab/pool'],
    ['COGNITO_DELETION_PROTECTION', 'deletion protection is ACTIVE', 'lab/pool'],
    ['COGNITO_PASSWORD_LENGTH', 'passwords have 12 characters and the config asks for 12', 'lab/pool'],
    ['COGNITO_PASSWORD_CLASSES', 'passwords need all four classes', 'lab/pool'],
    ['COGNITO_MFA', 'MFA is the config\'s "OPTIONAL", with TOTP', 'lab/pool'],
    ['COGNITO_MFA_OFF', 'MFA is optional', 'lab/pool'],
    ['COGNITO_MFA_OFF', 'MFA is on', 'lab/open-pool'],
    ['COGNITO_USER_EXISTENCE_ERRORS', 'existence errors are prevented', 'lab/client'],
    ['COGNITO_CLIENT_CODE_FLOW', 'the client allows the code flow only', 'lab/client'],
    ['COGNITO_CLIENT_SECRET', 'the client has a secret', 'lab/client'],
  ];
  ruleTests(stack, found, fails, passes);

  test('COGNITO_MFA compares with cognito.mfa only when there is a config', () => {
    // THEN without a config only the TOTP requirement, which needs none, remains
    expect(withoutConfig.filter(([rule]) => rule === 'COGNITO_MFA')).toEqual([
      [
        'COGNITO_MFA',
        'lab/open-pool',
        'software_token_mfa_configuration.enabled is (not set), must be true when mfa_configuration is "ON"',
      ],
    ]);
  });
});
