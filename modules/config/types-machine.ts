// Config of calls from code: bearer tokens on apps, and the machine clients that obtain them.

export interface BearerTokensConfig {
  /**
   * Scope names (1-10) a token must all carry. Each becomes a scope of the environment's Cognito
   * resource server, `<environment>-central-auth/<name>` in tokens.
   */
  readonly scopes: readonly string[];
}

/** A CLI, CI job or service that calls `bearerTokens` apps: a confidential client_credentials app client. */
export interface MachineClientConfig {
  /** Names the Cognito app client and the Secrets Manager secret holding its id and secret. */
  readonly name: string;
  /** Scopes it may obtain: each must be a scope of some app's `bearerTokens`. */
  readonly scopes: readonly string[];
  /**
   * How long its access tokens are valid (Cognito allows 5 to 1440).
   * @default 15
   * @minimum 5
   * @maximum 1440
   * @asType integer
   */
  readonly accessTokenValidityMinutes?: number;
}
