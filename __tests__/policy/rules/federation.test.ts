import { CognitoIdentityProvider } from '@cdktf/provider-aws/lib/cognito-identity-provider';
import { CognitoUserPool } from '@cdktf/provider-aws/lib/cognito-user-pool';
import { CognitoUserPoolClient } from '@cdktf/provider-aws/lib/cognito-user-pool-client';
import { DataAwsSsmParameter } from '@cdktf/provider-aws/lib/data-aws-ssm-parameter';
import { TerraformVariable } from 'cdktf';
import { findingsOf, labStack, ruleTests, type FailCase, type PassCase } from '../helpers';

describe('federation rules', () => {
  // GIVEN one plain stack with providers written each way, and a pool with local users next to them
  const stack = labStack();
  const secret = new DataAwsSsmParameter(stack, 'okta-secret', { name: '/okta/secret', withDecryption: true });
  const variable = new TerraformVariable(stack, 'secret', {});
  const idp = (id: string, type: string, details: Record<string, string>) =>
    new CognitoIdentityProvider(stack, id, { userPoolId: 'pool', providerName: id, providerType: type, providerDetails: details });
  idp('oidc-from-ssm', 'OIDC', { client_id: 'a', oidc_issuer: 'https://idp.example.com', client_secret: secret.value });
  idp('oidc-literal', 'OIDC', { client_id: 'a', oidc_issuer: 'https://idp.example.com', client_secret: 's3cr3t' });
  idp('google-variable', 'Google', { client_id: 'a', client_secret: variable.stringValue });
  idp('google-no-secret', 'Google', { client_id: 'a' });
  idp('saml-https', 'SAML', { MetadataURL: 'https://idp.example.com/metadata.xml' });
  idp('saml-http', 'SAML', { MetadataURL: 'http://idp.example.com/metadata.xml' });
  idp('saml-file', 'SAML', { MetadataFile: '<EntityDescriptor/>' });
  const pool = new CognitoUserPool(stack, 'pool', { name: 'p', mfaConfiguration: 'OPTIONAL' });
  new CognitoUserPoolClient(stack, 'client', { name: 'c', userPoolId: pool.id, supportedIdentityProviders: ['COGNITO', 'saml-https'] });
  // GIVEN another stack whose pool requires MFA, and one whose clients offer only the IdP
  const strict = labStack('strict');
  new CognitoIdentityProvider(strict, 'idp', {
    userPoolId: 'pool',
    providerName: 'x',
    providerType: 'SAML',
    providerDetails: { MetadataURL: 'https://x' },
  });
  new CognitoUserPool(strict, 'pool', { name: 'p', mfaConfiguration: 'ON' });
  new CognitoUserPoolClient(strict, 'client', { name: 'c', userPoolId: 'pool', supportedIdentityProviders: ['COGNITO', 'x'] });
  const idpOnly = labStack('idp-only');
  new CognitoIdentityProvider(idpOnly, 'idp', {
    userPoolId: 'pool',
    providerName: 'x',
    providerType: 'SAML',
    providerDetails: { MetadataURL: 'https://x' },
  });
  new CognitoUserPool(idpOnly, 'pool', { name: 'p', mfaConfiguration: 'OPTIONAL' });
  new CognitoUserPoolClient(idpOnly, 'client', { name: 'c', userPoolId: 'pool', supportedIdentityProviders: ['x'] });
  // WHEN the policy runs on each
  const found = [...findingsOf(stack), ...findingsOf(strict), ...findingsOf(idpOnly)];
  const FROM_DATA =
    'provider_details.client_secret is a literal or another expression, must be read from a data source (aws_ssm_parameter or aws_secretsmanager_secret_version)';

  const fails: FailCase[] = [
    ['COGNITO_IDP_SECRET_REFERENCE', 'the secret is written as a literal', 'lab/oidc-literal', FROM_DATA],
    ['COGNITO_IDP_SECRET_REFERENCE', 'the secret comes from a variable', 'lab/google-variable', FROM_DATA],
    ['COGNITO_IDP_SECRET_REFERENCE', 'there is no secret', 'lab/google-no-secret', 'provider_details.client_secret is not set'],
    [
      'COGNITO_SAML_METADATA_HTTPS',
      'the metadata comes over http',
      'lab/saml-http',
      'provider_details.MetadataURL is "http://idp.example.com/metadata.xml", must be an https URL',
    ],
    [
      'COGNITO_LOCAL_USERS_MFA',
      'local users sign in with optional MFA next to an IdP',
      'lab/pool',
      'local users can still sign in next to 7 identity provider(s), and mfa_configuration is "OPTIONAL", not "ON"',
    ],
  ];
  const passes: PassCase[] = [
    ['COGNITO_IDP_SECRET_REFERENCE', 'the secret is read from SSM', 'lab/oidc-from-ssm'],
    ['COGNITO_IDP_SECRET_REFERENCE', 'the provider is SAML', 'lab/saml-https'],
    ['COGNITO_SAML_METADATA_HTTPS', 'the metadata URL is https', 'lab/saml-https'],
    ['COGNITO_SAML_METADATA_HTTPS', 'the metadata is a file', 'lab/saml-file'],
  ];
  ruleTests(stack, found, fails, passes);

  test('COGNITO_LOCAL_USERS_MFA passes when MFA is required, or when only the IdP signs users in', () => {
    expect(found.filter(([r, p]) => r === 'COGNITO_LOCAL_USERS_MFA' && p !== 'lab/pool')).toEqual([]);
  });
});
