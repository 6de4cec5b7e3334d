import type { CognitoGroupConfig, GrafanaRole } from '../config/types';

/** The header the ALB fills with the Cognito access token after authenticate-cognito. */
export const ALB_ACCESS_TOKEN_HEADER = 'X-Amzn-Oidc-Accesstoken';

export interface GrafanaJwtInputs {
  readonly host: string;
  readonly jwksUrl: string;
  readonly signoutPath: string;
  /** From grafanaRoleAttributePath. */
  readonly roleAttributePath: string;
}

/**
 * A JMESPath expression for the string `text`, right for every legal Cognito group name: a JSON
 * literal between backticks (JMESPath spec, "Literal Expressions"), with backticks escaped. Not a
 * raw 'string': go-jmespath, which Grafana uses, unescapes only \' there, so a name ending in a
 * backslash could not be written at all.
 */
export function jmespathString(text: string): string {
  return `\`${JSON.stringify(text).replace(/`/g, '\\`')}\``;
}

/**
 * JMESPath that maps `cognito:groups` to a Grafana role. Cognito omits the claim for users in
 * no group, so it defaults to an empty list rather than failing the expression.
 */
export function grafanaRoleAttributePath(groups: readonly CognitoGroupConfig[]): string {
  const groupsExpr = 'not_null("cognito:groups", `[]`)';
  const clauses = (['Admin', 'Editor'] as GrafanaRole[]).flatMap((role) => {
    const names = groups
      .filter((g) => g.grafanaRole === role)
      .map((g) => g.name)
      .sort();
    if (names.length === 0) return [];
    const test = names.map((n) => `contains(${groupsExpr}, ${jmespathString(n)})`).join(' || ');
    return [`(${test}) && '${role}'`];
  });
  return [...clauses, "'Viewer'"].join(' || ');
}

/**
 * Grafana's JWT sign-in on the ALB's access-token header. Cognito access tokens carry
 * `username`, `client_id`, `token_use` and `cognito:groups` but no `email` and no `aud`,
 * so identity comes from `username` and the token is pinned by iss, client_id and token_use.
 */
export function grafanaJwtEnv(inputs: GrafanaJwtInputs, expectClaims: string): Record<string, string> {
  const { host, jwksUrl, signoutPath, roleAttributePath } = inputs;
  return {
    GF_SERVER_ROOT_URL: `https://${host}/`,
    GF_AUTH_JWT_ENABLED: 'true',
    GF_AUTH_JWT_HEADER_NAME: ALB_ACCESS_TOKEN_HEADER,
    GF_AUTH_JWT_USERNAME_CLAIM: 'username',
    GF_AUTH_JWT_JWK_SET_URL: jwksUrl,
    GF_AUTH_JWT_CACHE_TTL: '60m',
    GF_AUTH_JWT_EXPECT_CLAIMS: expectClaims,
    GF_AUTH_JWT_AUTO_SIGN_UP: 'true',
    GF_AUTH_JWT_ROLE_ATTRIBUTE_PATH: roleAttributePath,
    GF_AUTH_JWT_ROLE_ATTRIBUTE_STRICT: 'false',
    GF_AUTH_JWT_ALLOW_ASSIGN_GRAFANA_ADMIN: 'false',
    GF_AUTH_DISABLE_LOGIN_FORM: 'true',
    GF_AUTH_SIGNOUT_REDIRECT_URL: `https://${host}${signoutPath}`,
  };
}
