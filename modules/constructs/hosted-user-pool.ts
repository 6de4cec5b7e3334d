import { CognitoUserGroup } from '@cdktf/provider-aws/lib/cognito-user-group';
import { CognitoUserPool } from '@cdktf/provider-aws/lib/cognito-user-pool';
import { CognitoUserPoolClient } from '@cdktf/provider-aws/lib/cognito-user-pool-client';
import { CognitoUserPoolDomain } from '@cdktf/provider-aws/lib/cognito-user-pool-domain';
import { Lazy } from 'cdktf';
import { Construct } from 'constructs';

export interface HostedUserPoolProps {
  /** Prefix of every Cognito name. */
  readonly namePrefix: string;
  readonly region: string;
  readonly domainPrefix: string;
  /** @default 'OPTIONAL' */
  readonly mfa?: 'OFF' | 'OPTIONAL' | 'ON';
  /** @default 12 */
  readonly passwordMinimumLength?: number;
  /** @default 60 */
  readonly accessTokenValidityMinutes?: number;
  /** @default 12 */
  readonly refreshTokenValidityHours?: number;
  /** @default true */
  readonly deletionProtection?: boolean;
}

/** The OAuth scopes the ALB asks for; `openid` is required by authenticate-oidc. */
export const OAUTH_SCOPES = ['openid', 'email', 'profile'] as const;

/**
 * A Cognito user pool only administrators can add users to, with a hosted-UI domain and one
 * confidential app client for the ALB. Hosts are registered one by one because Cognito has
 * no wildcard callback URLs.
 */
export class HostedUserPool extends Construct {
  readonly pool: CognitoUserPool;
  readonly domain: CognitoUserPoolDomain;
  readonly client: CognitoUserPoolClient;
  /** `<prefix>.auth.<region>.amazoncognito.com` */
  readonly domainName: string;
  readonly issuerUrl: string;
  private readonly hosts = new Set<string>();
  private readonly groups = new Set<string>();

  constructor(scope: Construct, id: string, props: HostedUserPoolProps) {
    super(scope, id);
    const {
      namePrefix,
      region,
      domainPrefix,
      mfa = 'OPTIONAL',
      passwordMinimumLength = 12,
      accessTokenValidityMinutes = 60,
      refreshTokenValidityHours = 12,
      deletionProtection = true,
    } = props;

    this.pool = new CognitoUserPool(this, 'pool', {
      name: `${namePrefix}-users`,
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
      passwordPolicy: {
        minimumLength: passwordMinimumLength,
        requireLowercase: true,
        requireUppercase: true,
        requireNumbers: true,
        requireSymbols: true,
        temporaryPasswordValidityDays: 3,
      },
    });

    this.domain = new CognitoUserPoolDomain(this, 'domain', { domain: domainPrefix, userPoolId: this.pool.id });
    // Read from the resource so consumers of the name wait for the domain to exist.
    this.domainName = `${this.domain.domain}.auth.${region}.amazoncognito.com`;
    this.issuerUrl = `https://cognito-idp.${region}.amazonaws.com/${this.pool.id}`;

    this.client = new CognitoUserPoolClient(this, 'alb-client', {
      name: `${namePrefix}-alb`,
      userPoolId: this.pool.id,
      generateSecret: true,
      allowedOauthFlowsUserPoolClient: true,
      allowedOauthFlows: ['code'],
      allowedOauthScopes: [...OAUTH_SCOPES],
      supportedIdentityProviders: ['COGNITO'],
      // The ALB only runs the code flow; no direct password sign-in through this client.
      explicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
      preventUserExistenceErrors: 'ENABLED',
      enableTokenRevocation: true,
      accessTokenValidity: accessTokenValidityMinutes,
      idTokenValidity: accessTokenValidityMinutes,
      refreshTokenValidity: refreshTokenValidityHours,
      tokenValidityUnits: [{ accessToken: 'minutes', idToken: 'minutes', refreshToken: 'hours' }],
      callbackUrls: Lazy.listValue({ produce: () => this.sortedHosts().map(callbackUrl) }),
      logoutUrls: Lazy.listValue({ produce: () => this.sortedHosts().map(logoutUrl) }),
    });
  }

  /** Registers the ALB callback and the post-logout landing URL of one protected host. */
  addProtectedHost(host: string): void {
    if (this.hosts.has(host)) throw new Error(`HostedUserPool: host "${host}" is already registered`);
    this.hosts.add(host);
  }

  addGroup(name: string, description?: string): CognitoUserGroup {
    if (this.groups.has(name)) throw new Error(`HostedUserPool: group "${name}" already exists`);
    this.groups.add(name);
    return new CognitoUserGroup(this, `group-${name}`, { name, description, userPoolId: this.pool.id });
  }

  get protectedHosts(): readonly string[] {
    return this.sortedHosts();
  }

  private sortedHosts(): string[] {
    return [...this.hosts].sort();
  }
}

/** Where Cognito sends the browser back to the ALB after sign-in. */
export function callbackUrl(host: string): string {
  return `https://${host}/oauth2/idpresponse`;
}

/** Where Cognito's /logout may send the browser; the sign-out function picks one of these. */
export function logoutUrl(host: string): string {
  return `https://${host}/`;
}
