import { isType } from '../context';
import { isUnknown, list, show } from '../inspect';
import type { PolicyRule, Problem } from './types';

/** A provider's details as synthesized (a map, or an expression). */
const detailsOf = (attrs: Record<string, unknown>): Record<string, unknown> =>
  typeof attrs.provider_details === 'object' && attrs.provider_details !== null ? (attrs.provider_details as Record<string, unknown>) : {};

export const FEDERATION_RULES: readonly PolicyRule[] = [
  {
    id: 'COGNITO_IDP_SECRET_REFERENCE',
    mirrors: [],
    description:
      "An OIDC or Google identity provider's client secret is read from SSM Parameter Store or Secrets Manager when Terraform plans, never written into the config or the synthesized JSON.",
    fix: 'Name the secret in the config as clientSecret: { ssmParameter: <name> } or { secretsManagerSecret: <name or ARN> }.',
    severity: 'error',
    suppressible: false,
    check: (c, ctx) => {
      if (!isType(c, 'aws_cognito_identity_provider')) return [];
      const attrs = ctx.attributes(c);
      if (attrs.provider_type !== 'OIDC' && attrs.provider_type !== 'Google') return [];
      const secret = detailsOf(attrs).client_secret;
      if (secret === undefined) return ['provider_details.client_secret is not set'];
      return typeof secret === 'string' && /^\$\{data\.(aws_ssm_parameter|aws_secretsmanager_secret_version)\.[^}]+\}$/.test(secret)
        ? []
        : [
            'provider_details.client_secret is a literal or another expression, must be read from a data source (aws_ssm_parameter or aws_secretsmanager_secret_version)',
          ];
    },
  },
  {
    id: 'COGNITO_SAML_METADATA_HTTPS',
    mirrors: [],
    description:
      "A SAML identity provider's metadata URL is https: metadata over plain http could be swapped in transit, with the IdP's signing key.",
    fix: 'Use the https metadata URL of the IdP, or download the metadata and set metadataFile.',
    severity: 'error',
    suppressible: false,
    check: (c, ctx) => {
      if (!isType(c, 'aws_cognito_identity_provider')) return [];
      const attrs = ctx.attributes(c);
      const url = detailsOf(attrs).MetadataURL;
      if (attrs.provider_type !== 'SAML' || url === undefined) return [];
      return typeof url === 'string' && url.startsWith('https://') && !isUnknown(url)
        ? []
        : [`provider_details.MetadataURL is ${show(url)}, must be an https URL`];
    },
  },
  {
    id: 'COGNITO_LOCAL_USERS_MFA',
    mirrors: [],
    description:
      "When users can sign in through the company's IdP, the pool's own users (a second password store) remain only with MFA required.",
    fix: 'Set cognito.mfa: ON, or cognito.localUsers: false once everyone signs in through the IdP; or suppress with the reason local users remain.',
    severity: 'warning',
    suppressible: true,
    checkAll: (ctx) => {
      const pools = ctx.resources.filter((r) => isType(r, 'aws_cognito_user_pool'));
      const providers = ctx.resources.filter((r) => isType(r, 'aws_cognito_identity_provider'));
      if (providers.length === 0) return [];
      const local = ctx.resources
        .filter((r) => isType(r, 'aws_cognito_user_pool_client'))
        .some((r) => list(ctx.attributes(r).supported_identity_providers).includes('COGNITO'));
      const problems: Problem[] = [];
      for (const pool of pools) {
        const mfa = ctx.attributes(pool).mfa_configuration;
        if (local && mfa !== 'ON')
          problems.push({
            construct: pool,
            message: `local users can still sign in next to ${providers.length} identity provider(s), and mfa_configuration is ${show(mfa)}, not "ON"`,
          });
      }
      return problems;
    },
  },
];
