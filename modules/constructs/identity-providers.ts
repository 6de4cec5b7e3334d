import { CognitoIdentityProvider } from '@cdktf/provider-aws/lib/cognito-identity-provider';
import { DataAwsSecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/data-aws-secretsmanager-secret-version';
import { DataAwsSsmParameter } from '@cdktf/provider-aws/lib/data-aws-ssm-parameter';
import { Construct } from 'constructs';
import type { ResolvedIdentityProvider } from '../config/identity-providers';
import { terraformLiteral } from '../config/strings';
import { nameKey } from '../plan/naming';

/**
 * provider_details keys Cognito fills in itself (DescribeIdentityProvider): the provider stores
 * them, and hashicorp/aws 6.25 has no diff suppression for them, so without ignoring exactly these
 * keys every plan would show a change. The configured keys (issuer, client id and secret, metadata,
 * scopes) stay compared, so a rotated secret or new metadata is still applied.
 */
export const COGNITO_COMPUTED_DETAILS = {
  SAML: ['ActiveEncryptionCertificate', 'SLORedirectBindingURI', 'SSORedirectBindingURI'],
  OIDC: ['attributes_url', 'attributes_url_add_attributes', 'authorize_url', 'jwks_uri', 'token_url'],
  Google: ['attributes_url', 'attributes_url_add_attributes', 'authorize_url', 'oidc_issuer', 'token_request_method', 'token_url'],
} as const;

export interface IdentityProvidersProps {
  readonly userPoolId: string;
  readonly providers: readonly ResolvedIdentityProvider[];
}

const literalMap = (map: Readonly<Record<string, string>>): Record<string, string> =>
  Object.fromEntries(Object.entries(map).map(([k, v]) => [k, terraformLiteral(v)]));

/**
 * The company's identity providers in the pool. A client secret is read when Terraform plans, from
 * SSM Parameter Store or Secrets Manager: it never appears in the config, the synthesized JSON or
 * any output, only in this stack's state (as the app clients' own secrets do).
 */
export class IdentityProviders extends Construct {
  /** Provider name → the name as the resource reports it (so an app client naming it waits for it). */
  readonly names = new Map<string, string>();

  constructor(scope: Construct, id: string, props: IdentityProvidersProps) {
    super(scope, id);
    for (const p of props.providers) {
      const key = nameKey(p.name);
      let secret: string | undefined;
      if (p.clientSecret && 'ssmParameter' in p.clientSecret) {
        secret = new DataAwsSsmParameter(this, `secret-${key}`, { name: p.clientSecret.ssmParameter, withDecryption: true }).value;
      } else if (p.clientSecret) {
        secret = new DataAwsSecretsmanagerSecretVersion(this, `secret-${key}`, { secretId: p.clientSecret.secretsManagerSecret })
          .secretString;
      }
      const provider = new CognitoIdentityProvider(this, `idp-${key}`, {
        userPoolId: props.userPoolId,
        providerName: terraformLiteral(p.name),
        providerType: p.type,
        providerDetails: { ...literalMap(p.details), ...(secret ? { client_secret: secret } : {}) },
        attributeMapping: literalMap(p.attributeMapping),
        idpIdentifiers: p.idpIdentifiers.length ? [...p.idpIdentifiers] : undefined,
        lifecycle: { ignoreChanges: COGNITO_COMPUTED_DETAILS[p.type].map((k) => `provider_details["${k}"]`) },
      });
      this.names.set(p.name, provider.providerName);
    }
  }
}
