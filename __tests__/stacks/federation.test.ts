import { readFileSync } from 'fs';
import { join } from 'path';
import { normalizedJson } from '../../modules/config/defaults';
import { EXAMPLE_CONFIG } from '../../modules/config/example';
import { DEFAULT_ATTRIBUTE_MAPPING, samlMetadataProblem } from '../../modules/config/identity-providers';
import type { CognitoConfig, IdentityProviderConfig } from '../../modules/config/types';
import { IDP_GROUPS_SCHEMA } from '../../modules/constructs/hosted-user-pool';
import { configWith, resourcesOf, synthAll } from '../helpers';

const FIXTURES = join(__dirname, '..', 'fixtures', 'saml');
const ENTRA: IdentityProviderConfig = {
  name: 'EntraID',
  type: 'SAML',
  metadataFile: '__tests__/fixtures/saml/idp-metadata.xml',
  signOut: true,
  idpIdentifiers: ['example.com'],
  groupsAttribute: 'http://schemas.microsoft.com/ws/2008/06/identity/claims/groups',
};
const OKTA: IdentityProviderConfig = {
  name: 'Okta',
  type: 'OIDC',
  issuer: 'https://example.okta.com',
  clientId: '0oa1example2345678',
  clientSecret: { ssmParameter: '/central-auth/dev/okta-client-secret' },
  groupsAttribute: 'groups',
};
const GOOGLE: IdentityProviderConfig = {
  name: 'Google',
  type: 'Google',
  clientId: '123456789012-example.apps.googleusercontent.com',
  clientSecret: { secretsManagerSecret: 'central-auth/dev/google-client-secret' },
};

const withCognito = (cognito: Partial<CognitoConfig>) => configWith({ cognito: { ...EXAMPLE_CONFIG.cognito, ...cognito } });
const byName = (tf: any) => Object.fromEntries(resourcesOf(tf, 'aws_cognito_identity_provider').map((p) => [p.provider_name, p]));

describe('SAML metadata checks', () => {
  test("an IdP's metadata passes; a service provider's, or something else, does not", () => {
    expect(samlMetadataProblem(readFileSync(join(FIXTURES, 'idp-metadata.xml'), 'utf8'))).toBeUndefined();
    expect(samlMetadataProblem(readFileSync(join(FIXTURES, 'sp-metadata.xml'), 'utf8'))).toBe(
      "must describe an identity provider (IDPSSODescriptor): this looks like another party's metadata",
    );
    expect(samlMetadataProblem('<html><body>Sign in</body></html>')).toBe(
      'must be SAML metadata XML whose root element is EntityDescriptor',
    );
    expect(
      samlMetadataProblem(
        '<!DOCTYPE x [<!ENTITY e "boom">]><EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata"><IDPSSODescriptor><SingleSignOnService/></IDPSSODescriptor></EntityDescriptor>',
      ),
    ).toBe('must be SAML metadata XML whose root element is EntityDescriptor');
  });
});

describe('the example, which federates nothing', () => {
  const { tf } = synthAll();

  test('keeps local users only, has no trigger, and still carries the IdP groups attribute (Cognito never removes one)', () => {
    const pool = resourcesOf(tf.auth, 'aws_cognito_user_pool')[0]!;
    expect(pool.schema).toEqual([
      {
        name: 'idp_groups',
        attribute_data_type: 'String',
        mutable: true,
        developer_only_attribute: false,
        required: false,
        string_attribute_constraints: { min_length: '0', max_length: '2048' },
      },
    ]);
    expect(IDP_GROUPS_SCHEMA.name).toBe('idp_groups');
    // Managed login (the default) needs the Essentials plan; the trigger is not there.
    expect([pool.lambda_config, pool.user_pool_tier]).toEqual([undefined, 'ESSENTIALS']);
    expect(resourcesOf(tf.auth, 'aws_cognito_user_pool_client')[0]!.supported_identity_providers).toEqual(['COGNITO']);
    expect(resourcesOf(tf.auth, 'aws_cognito_identity_provider')).toEqual([]);
    expect(resourcesOf(tf.auth, 'aws_cognito_user_pool_client')[0]!.write_attributes).toBeUndefined();
  });
});

describe('SAML, OIDC and Google providers with IdP groups', () => {
  // GIVEN the three kinds of provider, two with groups, mapped and required
  const config = withCognito({
    identityProviders: [ENTRA, OKTA, GOOGLE],
    groupMapping: { 'GRP-Grafana-Admins': 'grafana-admins' },
    requireGroup: true,
  });
  const { tf, json } = synthAll(config);
  const providers = byName(tf.auth);

  test('SAML reads the metadata file, signs out at the IdP, and maps its groups claim to the groups attribute', () => {
    expect(providers.EntraID).toMatchObject({
      provider_type: 'SAML',
      provider_details: { MetadataFile: readFileSync(join(FIXTURES, 'idp-metadata.xml'), 'utf8'), IDPSignout: 'true' },
      idp_identifiers: ['example.com'],
      attribute_mapping: { ...DEFAULT_ATTRIBUTE_MAPPING.SAML, 'custom:idp_groups': ENTRA.groupsAttribute },
    });
  });

  test('OIDC and Google read their client secrets from SSM and Secrets Manager while Terraform plans', () => {
    expect(providers.Okta.provider_details).toEqual({
      client_id: '0oa1example2345678',
      oidc_issuer: 'https://example.okta.com',
      authorize_scopes: 'openid email profile',
      attributes_request_method: 'GET',
      client_secret: expect.stringMatching(/^\$\{data\.aws_ssm_parameter\.identity-providers_secret-Okta_[0-9A-F]{8}\.value\}$/),
    });
    expect(providers.Google.provider_details.client_secret).toMatch(
      /^\$\{data\.aws_secretsmanager_secret_version\.identity-providers_secret-Google_[0-9A-F]{8}\.secret_string\}$/,
    );
    const ssm = Object.values((tf.auth as any).data.aws_ssm_parameter)[0] as Record<string, unknown>;
    expect(ssm).toMatchObject({ name: '/central-auth/dev/okta-client-secret', with_decryption: true });
    // No secret value anywhere in the synthesized JSON, and no output names one
    expect(json.auth).not.toMatch(/s3cr3t|client_secret\\":\\"[^$]/);
    expect(Object.keys(tf.auth.output).filter((k) => /secret/.test(k))).toEqual([]);
  });

  test('the keys Cognito fills in itself are ignored, the configured ones still compared', () => {
    expect(providers.Okta.lifecycle.ignore_changes).toEqual([
      'provider_details["attributes_url"]',
      'provider_details["attributes_url_add_attributes"]',
      'provider_details["authorize_url"]',
      'provider_details["jwks_uri"]',
      'provider_details["token_url"]',
    ]);
    expect(providers.EntraID.lifecycle.ignore_changes).not.toContain('provider_details["MetadataFile"]');
  });

  test('the app clients may write exactly the attributes the providers fill (Cognito fails a sign-in otherwise)', () => {
    expect(resourcesOf(tf.auth, 'aws_cognito_user_pool_client')[0]!.write_attributes).toEqual(['custom:idp_groups', 'email', 'name']);
  });

  test('every ALB app client offers local users and each provider, naming the provider resources', () => {
    expect(resourcesOf(tf.auth, 'aws_cognito_user_pool_client')[0]!.supported_identity_providers).toEqual([
      'COGNITO',
      expect.stringMatching(/^\$\{aws_cognito_identity_provider\.identity-providers_idp-EntraID_[0-9A-F]{8}\.provider_name\}$/),
      expect.stringMatching(/^\$\{aws_cognito_identity_provider\.identity-providers_idp-Okta_[0-9A-F]{8}\.provider_name\}$/),
      expect.stringMatching(/^\$\{aws_cognito_identity_provider\.identity-providers_idp-Google_[0-9A-F]{8}\.provider_name\}$/),
    ]);
  });

  test('the pool runs the groups trigger (event version 2, on the Essentials plan it needs), which only Cognito may invoke', () => {
    const pool = resourcesOf(tf.auth, 'aws_cognito_user_pool')[0]!;
    expect(pool.user_pool_tier).toBe('ESSENTIALS');
    expect(pool.lambda_config.pre_token_generation_config).toEqual({
      lambda_arn: expect.stringMatching(/^\$\{aws_lambda_function\.pretoken_function_[0-9A-F]{8}\.arn\}$/),
      lambda_version: 'V2_0',
    });
    const permission = resourcesOf(tf.auth, 'aws_lambda_permission')[0]!;
    expect(permission).toMatchObject({ principal: 'cognito-idp.amazonaws.com', action: 'lambda:InvokeFunction' });
    expect(permission.source_arn).toMatch(/^\$\{aws_cognito_user_pool\.user-pool_[0-9A-F]{8}\.arn\}$/);
    const fn = resourcesOf(tf.auth, 'aws_lambda_function')[0]!;
    expect([fn.runtime, fn.handler, fn.timeout]).toEqual(['nodejs22.x', 'lambda/pretoken/index.handler', 3]);
  });

  test('the ALB still shows the chooser: local users and three providers', () => {
    const listener = resourcesOf(tf.edge, 'aws_lb_listener').find((l) => l.port === 443)!;
    expect(listener.default_action[0].authenticate_cognito.authentication_request_extra_params).toBeUndefined();
  });
});

describe('one provider and no local users', () => {
  // GIVEN Okta as the only way to sign in
  const { tf } = synthAll(withCognito({ identityProviders: [OKTA], localUsers: false }));

  test('the clients offer only Okta, and the ALB sends users straight to it', () => {
    expect(resourcesOf(tf.auth, 'aws_cognito_user_pool_client')[0]!.supported_identity_providers).toEqual([
      expect.stringMatching(/identity-providers_idp-Okta_/),
    ]);
    const listener = resourcesOf(tf.edge, 'aws_lb_listener').find((l) => l.port === 443)!;
    expect(listener.default_action[0].authenticate_cognito.authentication_request_extra_params).toEqual({ identity_provider: 'Okta' });
    const rules = resourcesOf(tf.edge, 'aws_lb_listener_rule').filter((r) => r.action[0].type === 'authenticate-cognito');
    rules.forEach((r) =>
      expect(r.action[0].authenticate_cognito.authentication_request_extra_params).toEqual({ identity_provider: 'Okta' }),
    );
  });
});

describe('managed login and the company sign-in domain', () => {
  test('the example: managed login version 2 on the prefix domain, after a Cognito style for each app client', () => {
    const { tf } = synthAll();
    const domain = resourcesOf(tf.auth, 'aws_cognito_user_pool_domain')[0]!;
    const styles = resourcesOf(tf.auth, 'aws_cognito_managed_login_branding');
    expect(styles).toEqual([
      expect.objectContaining({ use_cognito_provided_values: true, client_id: expect.stringMatching(/alb-client_[0-9A-F]{8}\.id\}$/) }),
    ]);
    expect([domain.domain, domain.managed_login_version]).toEqual(['example-dev-login', 2]);
    expect(domain.depends_on).toEqual([expect.stringMatching(/^aws_cognito_managed_login_branding\.user-pool_style_[0-9A-F]{8}$/)]);
  });

  test('managedLogin: false keeps the classic hosted UI (version 1, no styles) and the pool’s plan as AWS has it', () => {
    const { tf } = synthAll(withCognito({ managedLogin: false }));
    expect(resourcesOf(tf.auth, 'aws_cognito_user_pool_domain')[0]!.managed_login_version).toBe(1);
    expect(resourcesOf(tf.auth, 'aws_cognito_managed_login_branding')).toEqual([]);
    expect(resourcesOf(tf.auth, 'aws_cognito_user_pool')[0]!.user_pool_tier).toBeUndefined();
  });

  test('a branding file styles every app client with its settings, normalized so an unchanged file plans no change', () => {
    const { tf } = synthAll(withCognito({ brandingFile: '__tests__/fixtures/branding/settings.json' }));
    const [style] = resourcesOf(tf.auth, 'aws_cognito_managed_login_branding');
    expect(style!.use_cognito_provided_values).toBeUndefined();
    const file = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'branding', 'settings.json'), 'utf8'));
    expect(JSON.parse(style!.settings)).toEqual(file);
    // Sorted keys, no whitespace: the same settings in another order or layout give the same text.
    expect(style!.settings.startsWith('{"categories":{"global":{"colorSchemeMode"')).toBe(true);
    expect(normalizedJson(JSON.stringify({ b: { y: 1, x: [2, { d: 1, c: 2 }] }, a: 0 }, null, 4))).toBe(
      '{"a":0,"b":{"x":[2,{"c":2,"d":1}],"y":1}}',
    );
  });

  describe('customDomain: login.dev.example.com', () => {
    const { tf } = synthAll(withCognito({ customDomain: 'login.dev.example.com' }));
    const domains = Object.fromEntries(resourcesOf(tf.auth, 'aws_cognito_user_pool_domain').map((d) => [d.domain, d]));

    test('a certificate in us-east-1, validated in the zone, with the domain that uses it, in the same stack', () => {
      const certificate = resourcesOf(tf.auth, 'aws_acm_certificate')[0]!;
      expect(certificate).toMatchObject({
        domain_name: 'login.dev.example.com',
        region: 'us-east-1',
        validation_method: 'DNS',
        lifecycle: { create_before_destroy: true },
      });
      // The stack's own provider manages it there (hashicorp/aws 6 per-resource region): no alias to clash.
      expect((tf.auth as any).provider.aws).toHaveLength(1);
      expect(resourcesOf(tf.auth, 'aws_acm_certificate_validation')[0]!.region).toBe('us-east-1');
    });

    test('the custom domain beside the prefix one, both on managed login, aliased to its CloudFront distribution', () => {
      expect(Object.keys(domains).sort()).toEqual(['example-dev-login', 'login.dev.example.com']);
      expect(domains['login.dev.example.com']).toMatchObject({
        certificate_arn: expect.stringMatching(
          /aws_acm_certificate_validation\.sign-in-domain_certificate_issued_[0-9A-F]{8}\.certificate_arn/,
        ),
        managed_login_version: 2,
      });
      const aliases = resourcesOf(tf.auth, 'aws_route53_record').filter((r) => r.alias);
      expect(aliases.map((r) => [r.name, r.type, r.alias.name, r.alias.zone_id])).toEqual([
        [
          'login.dev.example.com',
          'A',
          expect.stringMatching(/\.cloudfront_distribution\}$/),
          expect.stringMatching(/\.cloudfront_distribution_zone_id\}$/),
        ],
        [
          'login.dev.example.com',
          'AAAA',
          expect.stringMatching(/\.cloudfront_distribution\}$/),
          expect.stringMatching(/\.cloudfront_distribution_zone_id\}$/),
        ],
      ]);
    });

    test("the ALB signs in, and the sign-out function signs out, on the company's domain; the issuer stays Cognito's", () => {
      expect(tf.auth.output.cognito_domain.value).toMatch(/^\$\{aws_cognito_user_pool_domain\.sign-in-domain_[0-9A-F]{8}\.domain\}$/);
      expect(tf.auth.output.logout_endpoint.value).toMatch(
        /^https:\/\/\$\{aws_cognito_user_pool_domain\.sign-in-domain_[0-9A-F]{8}\.domain\}\/logout$/,
      );
      expect(tf.auth.output.issuer_url.value).toMatch(/^https:\/\/cognito-idp\.eu-west-1\.amazonaws\.com\//);
    });
  });

  describe('passkeys: true on login.dev.example.com', () => {
    const { tf } = synthAll(withCognito({ customDomain: 'login.dev.example.com', passkeys: true }));
    const pool = resourcesOf(tf.auth, 'aws_cognito_user_pool')[0]!;

    test('the pool offers passkeys beside passwords, registered to the custom domain, with user verification', () => {
      expect(pool.sign_in_policy).toEqual({ allowed_first_auth_factors: ['PASSWORD', 'WEB_AUTHN'] });
      expect(pool.web_authn_configuration).toEqual({ relying_party_id: 'login.dev.example.com', user_verification: 'required' });
      expect(pool.user_pool_tier).toBe('ESSENTIALS');
    });

    test('every ALB app client allows the choice of first factor that managed login needs, and nothing else new', () => {
      const flows = resourcesOf(tf.auth, 'aws_cognito_user_pool_client').map((c) => c.explicit_auth_flows);
      expect(flows).toEqual([['ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_AUTH']]);
    });

    test('without passkeys the pool says passwords only, so turning them off is applied', () => {
      const { tf: plain } = synthAll(withCognito({ customDomain: 'login.dev.example.com' }));
      const other = resourcesOf(plain.auth, 'aws_cognito_user_pool')[0]!;
      expect(other.sign_in_policy).toEqual({ allowed_first_auth_factors: ['PASSWORD'] });
      expect(other.web_authn_configuration).toBeUndefined();
      expect(resourcesOf(plain.auth, 'aws_cognito_user_pool_client')[0]!.explicit_auth_flows).toEqual(['ALLOW_REFRESH_TOKEN_AUTH']);
    });
  });
});

describe('what the plan role must read for the IdP secrets (docs/review.md)', () => {
  // GIVEN one secret in each store
  const { tf } = synthAll(withCognito({ identityProviders: [OKTA, GOOGLE] }));
  const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'review.md'), 'utf8');

  test('the auth plan reads exactly the named secrets, through the two data sources whose permissions the docs list', () => {
    // WHEN the auth stack is planned THEN it reads these and no other secret store
    const secretReads = Object.entries(tf.auth.data)
      .filter(([type]) => /secret|ssm|kms/.test(type))
      .flatMap(([type, byName]) => Object.values(byName).map((d: any) => [type, d.secret_id ?? d.name, d.with_decryption]));
    expect(secretReads).toEqual([
      ['aws_secretsmanager_secret_version', 'central-auth/dev/google-client-secret', undefined],
      ['aws_ssm_parameter', '/central-auth/dev/okta-client-secret', true],
    ]);
    // THEN the docs name the action each needs, on that secret, and the key use through its service
    for (const line of [
      '`secretsmanager:GetSecretValue`',
      '`ssm:GetParameter`',
      '`kms:ViaService` = `secretsmanager.<region>.amazonaws.com`',
      '`kms:ViaService` = `ssm.<region>.amazonaws.com`',
    ])
      expect(doc).toContain(line);
    expect(doc).toContain('`arn:aws:secretsmanager:<region>:<account>:secret:<name>-??????`');
  });
});
