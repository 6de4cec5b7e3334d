import { isType } from '../context';
import { block, mustBe, referenceTo, show } from '../inspect';
import { literal } from './helpers';
import type { PolicyRule } from './types';

/** Floor for `password_policy.minimum_length`; a lower config value needs a suppression. */
export const MIN_PASSWORD_LENGTH = 12;

export const COGNITO_RULES: readonly PolicyRule[] = [
  {
    id: 'COGNITO_ADMIN_CREATE_ONLY',
    mirrors: [],
    description: 'Only administrators create users: nobody signs themselves up.',
    fix: 'Set adminCreateUserConfig: { allowAdminCreateUserOnly: true } on the user pool.',
    severity: 'error',
    suppressible: false,
    check: (c, ctx) =>
      isType(c, 'aws_cognito_user_pool') ? literal(ctx.attributes(c), 'admin_create_user_config.allow_admin_create_user_only', true) : [],
  },
  {
    id: 'COGNITO_CASE_INSENSITIVE_USERNAMES',
    mirrors: [],
    description: 'Usernames are case-insensitive, so "Alice" and "alice" are one user.',
    fix: 'Set usernameConfiguration: { caseSensitive: false } on the user pool (it cannot change after creation).',
    severity: 'error',
    suppressible: false,
    check: (c, ctx) =>
      isType(c, 'aws_cognito_user_pool') ? literal(ctx.attributes(c), 'username_configuration.case_sensitive', false) : [],
  },
  {
    id: 'COGNITO_DELETION_PROTECTION',
    mirrors: [],
    description: 'The user pool has deletion protection.',
    fix: 'Set cognito.deletionProtection: true in the config (the default), or suppress COGNITO_DELETION_PROTECTION with a reason.',
    severity: 'error',
    suppressible: true,
    check: (c, ctx) => (isType(c, 'aws_cognito_user_pool') ? literal(ctx.attributes(c), 'deletion_protection', 'ACTIVE') : []),
  },
  {
    id: 'COGNITO_PASSWORD_LENGTH',
    mirrors: ['AwsSolutions-COG1'],
    description: `Passwords have at least ${MIN_PASSWORD_LENGTH} characters, and at least cognito.passwordMinimumLength when that is higher.`,
    fix: `Leave cognito.passwordMinimumLength at ${MIN_PASSWORD_LENGTH} or more; a lower value needs a suppression of COGNITO_PASSWORD_LENGTH with a reason.`,
    severity: 'error',
    suppressible: true,
    check: (c, ctx) => {
      if (!isType(c, 'aws_cognito_user_pool')) return [];
      const length = block(ctx.attributes(c).password_policy)?.minimum_length;
      const configured = ctx.config?.cognito.passwordMinimumLength;
      const required = Math.max(MIN_PASSWORD_LENGTH, configured ?? 0);
      if (typeof length === 'number' && length >= required) return [];
      const source = configured !== undefined && configured > MIN_PASSWORD_LENGTH ? ' (cognito.passwordMinimumLength)' : '';
      return [
        mustBe('password_policy.minimum_length', length, `at least ${required}${source}`) +
          (length === undefined ? ' (the AWS default is 8)' : ''),
      ];
    },
  },
  {
    id: 'COGNITO_PASSWORD_CLASSES',
    mirrors: ['AwsSolutions-COG1'],
    description: 'Passwords need lowercase, uppercase, digits and symbols.',
    fix: 'Set requireLowercase, requireUppercase, requireNumbers and requireSymbols to true in passwordPolicy.',
    severity: 'error',
    suppressible: false,
    check: (c, ctx) => {
      if (!isType(c, 'aws_cognito_user_pool')) return [];
      const attrs = ctx.attributes(c);
      return ['require_lowercase', 'require_uppercase', 'require_numbers', 'require_symbols'].flatMap((k) =>
        literal(attrs, `password_policy.${k}`, true),
      );
    },
  },
  {
    id: 'COGNITO_MFA',
    mirrors: [],
    description: "The user pool's MFA setting is the config's cognito.mfa, with TOTP enabled whenever MFA is on or optional.",
    fix: 'Build the pool from config.cognito.mfa (HostedUserPool does) and enable softwareTokenMfaConfiguration unless MFA is OFF.',
    severity: 'error',
    suppressible: false,
    check: (c, ctx) => {
      if (!isType(c, 'aws_cognito_user_pool')) return [];
      const attrs = ctx.attributes(c);
      const mfa = attrs.mfa_configuration ?? 'OFF';
      const wanted = ctx.config?.cognito.mfa;
      return [
        ...(wanted !== undefined && mfa !== wanted ? [mustBe('mfa_configuration', mfa, `${show(wanted)} (cognito.mfa)`)] : []),
        ...((mfa === 'ON' || mfa === 'OPTIONAL') &&
        block(attrs.software_token_mfa_configuration)?.enabled !== true &&
        attrs.sms_configuration === undefined
          ? [
              mustBe(
                'software_token_mfa_configuration.enabled',
                block(attrs.software_token_mfa_configuration)?.enabled,
                `true when mfa_configuration is ${show(mfa)}`,
              ),
            ]
          : []),
      ];
    },
  },
  {
    id: 'COGNITO_MFA_OFF',
    mirrors: ['AwsSolutions-COG2'],
    description: 'Warns when users can sign in with a password alone (cognito.mfa: OFF).',
    fix: 'Set cognito.mfa to "OPTIONAL" (the default) or "ON"; or suppress COGNITO_MFA_OFF with a reason to silence the warning.',
    severity: 'warning',
    suppressible: true,
    check: (c, ctx) => {
      if (!isType(c, 'aws_cognito_user_pool')) return [];
      const mfa = ctx.attributes(c).mfa_configuration;
      return mfa === undefined || mfa === 'OFF' ? [`mfa_configuration is ${show(mfa ?? 'OFF')}: users sign in with a password alone`] : [];
    },
  },
  {
    id: 'COGNITO_USER_EXISTENCE_ERRORS',
    mirrors: [],
    description: 'App clients do not reveal whether a username exists.',
    fix: 'Set preventUserExistenceErrors: "ENABLED" on the app client.',
    severity: 'error',
    suppressible: false,
    check: (c, ctx) =>
      isType(c, 'aws_cognito_user_pool_client') ? literal(ctx.attributes(c), 'prevent_user_existence_errors', 'ENABLED') : [],
  },
  {
    id: 'COGNITO_CLIENT_CODE_FLOW',
    mirrors: [],
    description:
      "Browser app clients allow the authorization-code flow only (no implicit flow). Machine clients are a kind of their own: client_credentials only, no callback or logout URLs, no user sign-in flow, and only scopes of this environment's resource server.",
    fix: 'Set allowedOauthFlows: ["code"] on a browser client; declare machine clients in machineClients.',
    severity: 'error',
    suppressible: false,
    check: (c, ctx) => {
      if (!isType(c, 'aws_cognito_user_pool_client')) return [];
      const attrs = ctx.attributes(c);
      const flows = attrs.allowed_oauth_flows;
      const only = (value: unknown, single: string) => Array.isArray(value) && value.length === 1 && value[0] === single;
      if (only(flows, 'code')) return [];
      if (!only(flows, 'client_credentials'))
        return [mustBe('allowed_oauth_flows', flows, 'exactly ["code"], or ["client_credentials"] for a machine client')];
      const problems: string[] = [];
      for (const key of ['callback_urls', 'logout_urls'] as const) {
        if (Array.isArray(attrs[key]) ? attrs[key].length > 0 : attrs[key] !== undefined)
          problems.push(`${key} is ${show(attrs[key])} on a machine client, must be empty (nobody is redirected)`);
      }
      if (!only(attrs.explicit_auth_flows, 'ALLOW_REFRESH_TOKEN_AUTH'))
        problems.push(
          `${mustBe('explicit_auth_flows', attrs.explicit_auth_flows, 'exactly ["ALLOW_REFRESH_TOKEN_AUTH"]')} (no user signs in through a machine client)`,
        );
      const scopes = Array.isArray(attrs.allowed_oauth_scopes) ? attrs.allowed_oauth_scopes : [];
      const servers = ctx.resources.filter((r) => isType(r, 'aws_cognito_resource_server'));
      // A scope of a resource server of this app: `${<server>.identifier}/name` or `<its literal identifier>/name`.
      const ofServer = (scope: unknown) =>
        typeof scope === 'string' &&
        servers.some((s) => {
          const literalId = ctx.attributes(s).identifier;
          const prefixes = [`${referenceTo(s, 'identifier')}/`, ...(typeof literalId === 'string' ? [`${literalId}/`] : [])];
          return prefixes.some((p) => scope.startsWith(p) && /^[^\s/]+$/.test(scope.slice(p.length)));
        });
      if (scopes.length === 0) problems.push('allowed_oauth_scopes is empty on a machine client, must name its resource server scopes');
      for (const scope of scopes.filter((s) => !ofServer(s)))
        problems.push(
          `allowed_oauth_scopes has ${show(scope)}, must be a scope of this environment's resource server (no openid, email, profile or admin scope)`,
        );
      return problems;
    },
  },
  {
    id: 'COGNITO_CLIENT_SECRET',
    mirrors: [],
    description: 'App clients are confidential: they have a secret, which the ALB presents.',
    fix: 'Set generateSecret: true on the app client.',
    severity: 'error',
    suppressible: false,
    check: (c, ctx) => (isType(c, 'aws_cognito_user_pool_client') ? literal(ctx.attributes(c), 'generate_secret', true) : []),
  },
];
