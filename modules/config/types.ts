/** Who may reach an app without signing in. */
export type AccessMode = 'protected' | 'public';

/** What the ALB does with an unauthenticated request to a protected host. */
export type UnauthenticatedAction = 'authenticate' | 'deny';

/** What the cluster stack deploys for an app; `none` means the team brings its own Ingress. */
export type Workload = 'none' | 'grafana' | 'echo';

export type GrafanaRole = 'Admin' | 'Editor' | 'Viewer';

export interface AppConfig {
  /** Kubernetes-safe name; also the stable key of everything made for this app. */
  readonly name: string;
  /** Fully qualified host name inside the Route 53 zone. */
  readonly host: string;
  readonly access: AccessMode;
  /**
   * ALB path patterns on a protected host that skip authentication (health checks, webhooks).
   * @default - none
   */
  readonly publicPaths?: readonly string[];
  /**
   * `deny` answers 401 instead of redirecting to the sign-in page (APIs, CLIs).
   * @default 'authenticate'
   */
  readonly onUnauthenticated?: UnauthenticatedAction;
  /**
   * @default 'none'
   */
  readonly workload?: Workload;
}

export interface CognitoGroupConfig {
  readonly name: string;
  /** @default - no description */
  readonly description?: string;
  /**
   * Grafana role granted to members; the highest role of a user's groups wins.
   * @default - no Grafana role (members get Viewer)
   */
  readonly grafanaRole?: GrafanaRole;
}

export interface CognitoConfig {
  /** Hosted UI domain prefix: `<prefix>.auth.<region>.amazoncognito.com`. */
  readonly domainPrefix: string;
  /** @default 'OPTIONAL' */
  readonly mfa?: 'OFF' | 'OPTIONAL' | 'ON';
  /** @default 12 */
  readonly passwordMinimumLength?: number;
  /**
   * Lifetime of access and ID tokens. Short by default: the ALB session cookie carries them.
   * @default 60
   */
  readonly accessTokenValidityMinutes?: number;
  /** @default 12 */
  readonly refreshTokenValidityHours?: number;
  /** @default true */
  readonly deletionProtection?: boolean;
  /** @default - no groups */
  readonly groups?: readonly CognitoGroupConfig[];
}

export interface SessionConfig {
  /**
   * Prefix of the ALB session cookie shards (`<name>-0`, `<name>-1`, …).
   * @default 'AWSELBAuthSessionCookie'
   */
  readonly cookieName?: string;
  /** @default 28800 (8 hours) */
  readonly timeoutSeconds?: number;
  /**
   * Reserved path on every protected host that really signs the user out.
   * @default '/_auth/signout'
   */
  readonly signoutPath?: string;
}

export interface AlbConfig {
  /** @default true */
  readonly deletionProtection?: boolean;
  /** @default - no access logs */
  readonly accessLogs?: { readonly bucket: string; readonly prefix?: string };
  /** @default - no WAF web ACL */
  readonly webAclArn?: string;
  /** @default 60 */
  readonly idleTimeoutSeconds?: number;
}

/**
 * `wildcard`: one wildcard certificate per parent domain (`*.zone` plus the apex, `*.team.zone`, …);
 * `per-host`: one certificate per host;
 * `grouped`: hosts packed into certificates of up to `quotas.domainsPerCertificate` names.
 */
export type CertificateStrategy = 'wildcard' | 'per-host' | 'grouped';

export interface LocalStateConfig {
  readonly backend: 'local';
  /**
   * Folder for the state files, relative to the project root.
   * @default '.state'
   */
  readonly directory?: string;
}

export interface S3StateConfig {
  readonly backend: 's3';
  readonly bucket: string;
  /** @default - the config's region */
  readonly region?: string;
  /** @default 'central-auth' */
  readonly keyPrefix?: string;
  /**
   * DynamoDB lock table; without it Terraform's S3 native lock file is used.
   * @default - S3 lock file (`use_lockfile`)
   */
  readonly dynamodbTable?: string;
}

export type StateConfig = LocalStateConfig | S3StateConfig;

/** A policy rule switched off for a written reason, echoed at every synth. */
export interface PolicySuppression {
  readonly rule: string;
  readonly reason: string;
}

/** AWS quotas to plan against; raise one only after AWS has raised it for the account. */
export interface QuotaConfig {
  /** @default 100 */
  readonly listenerRulesPerAlb?: number;
  /** @default 25 */
  readonly certificatesPerAlb?: number;
  /** @default 100 */
  readonly callbackUrlsPerAppClient?: number;
  /** @default 10 */
  readonly domainsPerCertificate?: number;
}

export interface CentralAuthConfig {
  /** Short lowercase name used in every AWS resource name. */
  readonly environment: string;
  readonly region: string;
  /** Public Route 53 hosted zone that holds every host. */
  readonly zoneName: string;
  readonly vpcId: string;
  /** Public subnets (at least two AZs) for the internet-facing ALB. */
  readonly publicSubnetIds: readonly string[];
  /** Existing EKS cluster, found by name. */
  readonly clusterName: string;
  readonly cognito: CognitoConfig;
  /** @default - see SessionConfig */
  readonly session?: SessionConfig;
  /** @default - see AlbConfig */
  readonly alb?: AlbConfig;
  /** @default 'wildcard' */
  readonly certificates?: CertificateStrategy;
  /** @default { backend: 'local' } */
  readonly state?: StateConfig;
  readonly apps: readonly AppConfig[];
  /** @default - none */
  readonly suppressions?: readonly PolicySuppression[];
  /** @default - AWS default quotas (see modules/quotas.ts) */
  readonly quotas?: QuotaConfig;
}
