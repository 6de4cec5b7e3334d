import { CognitoManagedLoginBranding } from '@cdktf/provider-aws/lib/cognito-managed-login-branding';
import { CognitoUserGroup } from '@cdktf/provider-aws/lib/cognito-user-group';
import { CognitoUserPool } from '@cdktf/provider-aws/lib/cognito-user-pool';
import { CognitoUserPoolClient, type CognitoUserPoolClientConfig } from '@cdktf/provider-aws/lib/cognito-user-pool-client';
import { CognitoUserPoolDomain } from '@cdktf/provider-aws/lib/cognito-user-pool-domain';
import { Construct } from 'constructs';
import { DEFAULTS } from '../config/defaults';
import { callbackUrl } from '../config/patterns';
import { terraformLiteral } from '../config/strings';
import { nameKey, userPoolName } from '../plan/naming';
import type { CognitoConfig } from '../config/types';
import type { PlannedClient } from '../plan/routing';

/** The pool settings of the config (documented, with defaults, in CognitoConfig); clients and groups are added one by one. */
export interface HostedUserPoolProps
  extends Omit<CognitoConfig, 'groups' | 'identityProviders' | 'groupMapping' | 'localUsers' | 'requireGroup' | 'passkeys'> {
  /** Prefix of every Cognito name. */
  readonly namePrefix: string;
  readonly region: string;
  /**
   * The pre token generation trigger (event version 2, which needs the Essentials feature plan).
   * @default - no trigger, and the pool's feature plan as AWS has it
   */
  readonly preTokenGeneration?: { readonly lambdaArn: string };
  /**
   * Passkeys as a first factor beside passwords, registered to this relying party (Cognito: with a
   * custom domain, the relying party must be that domain). Needs managed login.
   * @default - passwords only
   */
  readonly passkeys?: { readonly relyingPartyId: string };
}

/**
 * The custom attribute identity providers map their groups to. Every pool has it, used or not:
 * Cognito can add a custom attribute to a pool but never remove one, so a pool that once had it
 * must keep it (hashicorp/aws: "cannot modify or remove schema items").
 */
export const IDP_GROUPS_SCHEMA = {
  name: 'idp_groups',
  attributeDataType: 'String',
  // An attribute mapped from an IdP must be mutable (Cognito developer guide, attribute mapping).
  mutable: true,
  developerOnlyAttribute: false,
  required: false,
  stringAttributeConstraints: { minLength: '0', maxLength: '2048' },
} as const;

/** The OAuth scopes the ALB asks for; `openid` is required by the ALB's sign-in actions. */
export const OAUTH_SCOPES = ['openid', 'email', 'profile'] as const;

/**
 * A Cognito user pool only administrators can add users to, with a hosted-UI domain and one
 * confidential app client per group of up to 100 hosts for the ALB. Hosts are registered one
 * by one because Cognito has no wildcard callback URLs.
 */
export class HostedUserPool extends Construct {
  readonly pool: CognitoUserPool;
  readonly domain: CognitoUserPoolDomain;
  /** 2: managed login; 1: the classic hosted UI. */
  readonly managedLoginVersion: 1 | 2;
  /** Each app client's managed login style, by client key. */
  readonly styles = new Map<string, CognitoManagedLoginBranding>();
  /** `<prefix>.auth.<region>.amazoncognito.com` */
  readonly domainName: string;
  readonly issuerUrl: string;
  /** App clients by key, in the order they were added. */
  readonly clients = new Map<string, CognitoUserPoolClient>();
  private readonly groups = new Set<string>();
  private clientSettings: Omit<CognitoUserPoolClientConfig, 'name'>;
  private readonly namePrefix: string;

  constructor(scope: Construct, id: string, props: HostedUserPoolProps) {
    super(scope, id);
    const {
      namePrefix,
      region,
      domainPrefix,
      mfa = DEFAULTS.cognito.mfa,
      passwordMinimumLength = DEFAULTS.cognito.passwordMinimumLength,
      accessTokenValidityMinutes = DEFAULTS.cognito.accessTokenValidityMinutes,
      refreshTokenValidityHours = DEFAULTS.cognito.refreshTokenValidityHours,
      deletionProtection = DEFAULTS.cognito.deletionProtection,
      managedLogin = DEFAULTS.cognito.managedLogin,
    } = props;

    this.pool = new CognitoUserPool(this, 'pool', {
      name: userPoolName(namePrefix),
      deletionProtection: deletionProtection ? 'ACTIVE' : 'INACTIVE',
      adminCreateUserConfig: { allowAdminCreateUserOnly: true },
      usernameConfiguration: { caseSensitive: false },
      // Users sign in with their username or email; the username stays the `username` claim Grafana reads.
      aliasAttributes: ['email'],
      autoVerifiedAttributes: ['email'],
      userAttributeUpdateSettings: { attributesRequireVerificationBeforeUpdate: ['email'] },
      accountRecoverySetting: { recoveryMechanism: [{ name: 'verified_email', priority: 1 }] },
      mfaConfiguration: mfa,
      softwareTokenMfaConfiguration: mfa === 'OFF' ? undefined : { enabled: true },
      schema: [IDP_GROUPS_SCHEMA],
      // Explicit both ways: the provider keeps an omitted sign-in policy as AWS has it (Optional and
      // Computed), so turning passkeys off must say so.
      signInPolicy: { allowedFirstAuthFactors: props.passkeys ? ['PASSWORD', 'WEB_AUTHN'] : ['PASSWORD'] },
      ...(props.passkeys
        ? // Required: a passkey then proves the device and the person (biometrics or PIN).
          { webAuthnConfiguration: { relyingPartyId: props.passkeys.relyingPartyId, userVerification: 'required' } }
        : {}),
      // Managed login and the version 2 trigger both need the Essentials feature plan.
      ...(managedLogin || props.preTokenGeneration ? { userPoolTier: 'ESSENTIALS' } : {}),
      ...(props.preTokenGeneration
        ? { lambdaConfig: { preTokenGenerationConfig: { lambdaArn: props.preTokenGeneration.lambdaArn, lambdaVersion: 'V2_0' } } }
        : {}),
      passwordPolicy: {
        minimumLength: passwordMinimumLength,
        requireLowercase: true,
        requireUppercase: true,
        requireNumbers: true,
        requireSymbols: true,
        temporaryPasswordValidityDays: 3,
      },
    });

    // Explicit both ways, so turning managed login off is applied too.
    this.managedLoginVersion = managedLogin ? 2 : 1;
    this.domain = new CognitoUserPoolDomain(this, 'domain', {
      domain: domainPrefix,
      userPoolId: this.pool.id,
      managedLoginVersion: this.managedLoginVersion,
    });
    // Read from the resource so consumers of the name wait for the domain to exist.
    this.domainName = `${this.domain.domain}.auth.${region}.amazoncognito.com`;
    this.issuerUrl = `https://cognito-idp.${region}.amazonaws.com/${this.pool.id}`;

    this.clientSettings = {
      userPoolId: this.pool.id,
      generateSecret: true,
      allowedOauthFlowsUserPoolClient: true,
      allowedOauthFlows: ['code'],
      allowedOauthScopes: [...OAUTH_SCOPES],
      supportedIdentityProviders: ['COGNITO'],
      // The ALB only runs the code flow; no direct password sign-in through this client. Managed login
      // offers a choice of first factors (passkeys) only to clients with USER_AUTH (Cognito developer
      // guide, "Configure authentication methods for managed login"); a call to it needs the secret.
      explicitAuthFlows: props.passkeys ? ['ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_AUTH'] : ['ALLOW_REFRESH_TOKEN_AUTH'],
      preventUserExistenceErrors: 'ENABLED',
      enableTokenRevocation: true,
      accessTokenValidity: accessTokenValidityMinutes,
      idTokenValidity: accessTokenValidityMinutes,
      refreshTokenValidity: refreshTokenValidityHours,
      tokenValidityUnits: [{ accessToken: 'minutes', idToken: 'minutes', refreshToken: 'hours' }],
    };
    this.namePrefix = namePrefix;
  }

  /**
   * One confidential app client of the ALB, registering the callback and post-logout landing
   * URL of each of its hosts (Cognito has no wildcard callbacks and allows 100 URLs per client).
   * Its construct id and name come from its hash group, so a client never moves when another
   * one is added or removed.
   */
  /**
   * Who the app clients offer for sign-in: `COGNITO` (the pool's own users) and the identity
   * providers' names. Set before the first client is added.
   */
  offerSignIn(providers: readonly string[], writeAttributes: readonly string[] = []): void {
    if (this.clients.size > 0) throw new Error('HostedUserPool: offerSignIn must come before the first app client');
    if (providers.length === 0) throw new Error('HostedUserPool: at least one way to sign in is needed');
    this.clientSettings = {
      ...this.clientSettings,
      supportedIdentityProviders: [...providers],
      // The attributes the IdPs fill at each sign-in (the clients' tokens carry no scope to change any).
      ...(writeAttributes.length ? { writeAttributes: [...writeAttributes] } : {}),
    };
  }

  addAppClient(client: PlannedClient): CognitoUserPoolClient {
    const { key, group, hosts } = client;
    if (this.clients.has(key)) throw new Error(`HostedUserPool: app client "${key}" already exists`);
    if (!Number.isInteger(group) || group < 0) throw new Error(`HostedUserPool: client group ${group} must be a whole number >= 0`);
    const sorted = [...hosts].sort();
    // Group 0 keeps the id it had before clients were split, so small configs never move it.
    const resource = new CognitoUserPoolClient(this, group === 0 ? 'alb-client' : `alb-client-${group}`, {
      ...this.clientSettings,
      name: group === 0 ? `${this.namePrefix}-alb` : `${this.namePrefix}-alb-${group}`,
      callbackUrls: sorted.map(callbackUrl),
      logoutUrls: sorted.map(logoutUrl),
    });
    this.clients.set(key, resource);
    return resource;
  }

  /**
   * A managed login style for every app client added so far (with managed login, a client without
   * one shows "Login pages unavailable"), with the given settings or Cognito's own. The domains wait
   * for the styles, so the version 2 pages never go live unstyled.
   */
  styleClients(settings?: string): CognitoManagedLoginBranding[] {
    if (this.managedLoginVersion !== 2) return [];
    for (const [key, client] of this.clients) {
      if (this.styles.has(key)) continue;
      const group = key === 'alb' ? '' : `-${key.slice('alb-'.length)}`;
      this.styles.set(
        key,
        new CognitoManagedLoginBranding(this, `style${group}`, {
          userPoolId: this.pool.id,
          clientId: client.id,
          ...(settings !== undefined ? { settings: terraformLiteral(settings) } : { useCognitoProvidedValues: true }),
        }),
      );
    }
    const styles = [...this.styles.values()];
    // The domain exists before its clients: the dependency is added as the plain addresses Terraform expects.
    this.domain.addOverride(
      'depends_on',
      styles.map((style) => `${style.terraformResourceType}.${style.friendlyUniqueId}`),
    );
    return styles;
  }

  addGroup(name: string, description?: string): CognitoUserGroup {
    if (this.groups.has(name)) throw new Error(`HostedUserPool: group "${name}" already exists`);
    this.groups.add(name);
    return new CognitoUserGroup(this, `group-${nameKey(name)}`, {
      // Cognito allows `$`, `{` and `%` in names and descriptions; Terraform must read them literally.
      name: terraformLiteral(name),
      description: description === undefined ? undefined : terraformLiteral(description),
      userPoolId: this.pool.id,
    });
  }
}

/** Where Cognito's /logout may send the browser; the sign-out function picks one of these. */
export function logoutUrl(host: string): string {
  return `https://${host}/`;
}
