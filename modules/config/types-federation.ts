// Config of the identity providers users sign in with (cognito.identityProviders).

/** Where a client secret lives: never in the config file. */
export type SecretReference =
  /** An SSM Parameter Store SecureString, read (decrypted) by the auth stack's plan. */
  | {
      /** The SecureString parameter's name, e.g. `/central-auth/dev/okta-secret`. */
      readonly ssmParameter: string;
    }
  /** A Secrets Manager secret (name or ARN) holding the secret as plain text. */
  | {
      /** The secret's name or ARN. */
      readonly secretsManagerSecret: string;
    };

interface IdentityProviderBase {
  /**
   * Cognito's provider name (3-32 characters), shown on the sign-in page and used in
   * `supported_identity_providers`; a Google provider is named `Google`. Renaming replaces it.
   */
  readonly name: string;
  /**
   * User pool attribute → IdP claim or SAML attribute.
   * @default - SAML: email and name from the WS-Federation claim URIs (Entra ID, AD FS); OIDC and
   *   Google: email → email, name → name, username → sub
   */
  readonly attributeMapping?: Readonly<Record<string, string>>;
  /**
   * The IdP claim or SAML attribute holding the user's groups; they become `cognito:groups`
   * (see CognitoConfig.groupMapping).
   * @default - no groups from the IdP
   */
  readonly groupsAttribute?: string;
}

/** A SAML 2.0 IdP (Entra ID, Google Workspace, Okta, AD FS). Exactly one of metadataUrl and metadataFile. */
export interface SamlProviderConfig extends IdentityProviderBase {
  /** A SAML 2.0 identity provider. */
  readonly type: 'SAML';
  /** https URL of the IdP's metadata, which Cognito reads. */
  readonly metadataUrl?: string;
  /** Path of the metadata XML, relative to the project root, read and checked at synth. */
  readonly metadataFile?: string;
  /**
   * Sign users out of the IdP too when they sign out (SAML single logout, IDPSignout).
   * @default false
   */
  readonly signOut?: boolean;
  /** Email domains or other identifiers that send users straight to this IdP. @default - none */
  readonly idpIdentifiers?: readonly string[];
}

/** An OpenID Connect IdP (Okta, Entra ID, Auth0, Keycloak). */
export interface OidcProviderConfig extends IdentityProviderBase {
  /** An OpenID Connect identity provider. */
  readonly type: 'OIDC';
  /** The IdP's issuer (https); Cognito discovers its endpoints from it. */
  readonly issuer: string;
  /** The client id the IdP gave this pool. */
  readonly clientId: string;
  /** Never the secret itself. */
  readonly clientSecret: SecretReference;
  /** Scopes Cognito asks the IdP for. @default ['openid', 'email', 'profile'] */
  readonly scopes?: readonly string[];
  /** How Cognito calls the IdP's userinfo endpoint. @default 'GET' */
  readonly attributesRequestMethod?: 'GET' | 'POST';
  /** Email domains or other identifiers that send users straight to this IdP. @default - none */
  readonly idpIdentifiers?: readonly string[];
}

/** Google (consumer accounts or Workspace through Google's OAuth client). */
export interface GoogleProviderConfig extends IdentityProviderBase {
  /** Google as an identity provider. */
  readonly type: 'Google';
  /** The OAuth client id from the Google Cloud console. */
  readonly clientId: string;
  /** Never the secret itself. */
  readonly clientSecret: SecretReference;
  /** Scopes Cognito asks Google for. @default ['openid', 'email', 'profile'] */
  readonly scopes?: readonly string[];
}

export type IdentityProviderConfig = SamlProviderConfig | OidcProviderConfig | GoogleProviderConfig;
