import type { BearerTokensConfig, MachineClientConfig } from './types-machine';
import type { AlarmsConfig, WafConfig } from './types-operations';
import type { IdentityProviderConfig } from './types-federation';
import type { VerifierSettings } from './sections/verifier';
import type { PolicySuppression, QuotaConfig, StateConfig } from './types-platform';

export type { BearerTokensConfig, MachineClientConfig } from './types-machine';
export type { AlarmsConfig, WafConfig } from './types-operations';
export type { VerifierSettings } from './sections/verifier';
export type { LocalStateConfig, PolicySuppression, QuotaConfig, S3StateConfig, StateConfig } from './types-platform';
export type {
  GoogleProviderConfig,
  IdentityProviderConfig,
  OidcProviderConfig,
  SamlProviderConfig,
  SecretReference,
} from './types-federation';

/** Who may reach an app without signing in. */
export type AccessMode = 'protected' | 'public';

/** What the ALB does with an unauthenticated request to a protected host. */
export type UnauthenticatedAction = 'authenticate';

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
   * Only `authenticate` is accepted: a host-wide `deny` would make the host unreachable (the ALB
   * never starts a sign-in there, and its session cookie is host-only). Use `denyPaths` for the
   * XHR/fetch paths of a browser app.
   * @default 'authenticate'
   */
  readonly onUnauthenticated?: UnauthenticatedAction;
  /**
   * ALB path patterns on a protected host that answer 401 instead of redirecting to sign-in when
   * the request carries no session (the AJAX calls of an app whose pages sign in as usual).
   * @default - none
   */
  readonly denyPaths?: readonly string[];
  /**
   * @default 'none'
   */
  readonly workload?: Workload;
  /**
   * Protected apps only: the Cognito groups (of `cognito.groups`) whose members may open the app.
   * The router's identity check answers 403 to anyone else, with a page naming the groups.
   * @default - every signed-in user of the pool
   */
  readonly allowedGroups?: readonly string[];
  /**
   * Protected apps only: pass the verified Cognito access token (`x-amzn-oidc-accesstoken`, and
   * the ALB's `x-amzn-oidc-data`) to the app. Other apps receive only the identity headers, so a
   * token they expose cannot be replayed against an app that accepts tokens.
   * @default false (true for Grafana, which signs users in from the token)
   */
  readonly forwardAccessToken?: boolean;
  /**
   * Protected apps only: also accept requests from code. A request with `Authorization: Bearer
   * <token>` skips the browser sign-in: the ALB verifies the token (a Cognito access token of this
   * pool carrying every listed scope, from `machineClients`) and answers 401 otherwise. Browsers
   * keep signing in as before.
   * @default - browsers only
   */
  readonly bearerTokens?: BearerTokensConfig;
}

export interface CognitoGroupConfig {
  /** The group's name in the pool and in the tokens' `cognito:groups` claim. */
  readonly name: string;
  /** Shown in the Cognito console. @default - no description */
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
  /** Multi-factor authentication for pool users: `OFF`, `OPTIONAL` or `ON`. @default 'OPTIONAL' */
  readonly mfa?: 'OFF' | 'OPTIONAL' | 'ON';
  /**
   * Minimum length of pool users' passwords (8-99). @default 12
   * @minimum 8
   * @maximum 99
   * @asType integer
   */
  readonly passwordMinimumLength?: number;
  /**
   * Lifetime of access and ID tokens. Short by default: the ALB session cookie carries them.
   * @default 60
   * @minimum 5
   * @maximum 1440
   * @asType integer
   */
  readonly accessTokenValidityMinutes?: number;
  /**
   * How long a session lasts without a new sign-in, in hours. @default 12
   * @minimum 1
   * @maximum 87600
   * @asType integer
   */
  readonly refreshTokenValidityHours?: number;
  /** Cognito refuses to delete the pool while this is on. @default true */
  readonly deletionProtection?: boolean;
  /** Pool groups that apps can require (`AppConfig.groups`). @default - no groups */
  readonly groups?: readonly CognitoGroupConfig[];
  /** The company's identity providers; every ALB app client offers them. @default - none */
  readonly identityProviders?: readonly IdentityProviderConfig[];
  /**
   * Users created in the pool may sign in too (`COGNITO`). With `false`, users sign in only through
   * an identity provider, and with exactly one, the ALB skips Cognito's chooser.
   * @default true
   */
  readonly localUsers?: boolean;
  /**
   * IdP group → Cognito group (a group of `groups`). Without it, IdP groups named like a configured
   * group count as that group; with it, only mapped IdP groups count.
   * @default - IdP groups count by name
   */
  readonly groupMapping?: Readonly<Record<string, string>>;
  /**
   * Refuse the sign-in of a user who ends with no group (pool memberships plus mapped IdP groups).
   * @default false
   */
  readonly requireGroup?: boolean;
  /**
   * The company's own sign-in domain, a host in the zone such as `login.<zoneName>`: an ACM
   * certificate in us-east-1, the Cognito custom domain and its Route 53 alias. The ALB then signs
   * in there; the issuer stays `cognito-idp.<region>.amazonaws.com`. Cognito requires the parent
   * domain to resolve (an A record).
   * @default - the prefix domain only (`<domainPrefix>.auth.<region>.amazoncognito.com`)
   */
  readonly customDomain?: string;
  /**
   * Managed login (version 2) instead of the classic hosted UI, with a style per app client. It needs
   * the Essentials feature plan, which the stack then sets (billed per monthly active user).
   * @default true
   */
  readonly managedLogin?: boolean;
  /**
   * A managed login branding settings file (JSON, as the Cognito branding editor exports it),
   * relative to the project root, applied to every app client's style.
   * @default - Cognito's own style
   */
  readonly brandingFile?: string;
  /**
   * Passkeys (WebAuthn) as a first sign-in factor for the pool's own users, beside passwords, on
   * the managed login pages. The relying party is `customDomain`, which is therefore required, as
   * are managed login and local users; `mfa: ON` is refused (Cognito offers passkey sign-in in a
   * pool that requires MFA only with passkey MFA, which the pinned AWS provider cannot set).
   * @default false
   */
  readonly passkeys?: boolean;
}

export interface SessionConfig {
  /**
   * Prefix of the ALB session cookie shards (`<name>-0`, `<name>-1`, …).
   * @default 'AWSELBAuthSessionCookie'
   */
  readonly cookieName?: string;
  /**
   * How long the ALB session cookie lives, in seconds (1 to 604800). @default 28800 (8 hours)
   * @minimum 1
   * @maximum 604800
   * @asType integer
   */
  readonly timeoutSeconds?: number;
  /**
   * Reserved path on every protected host that really signs the user out.
   * @default '/_auth/signout'
   */
  readonly signoutPath?: string;
  /**
   * Reserved concurrency of the sign-out function: a flood of sign-out requests cannot take the
   * account's Lambda concurrency from other functions, nor get more than this. `false` reserves
   * none (accounts whose concurrency quota is below 110: Lambda keeps 100 unreserved).
   * @default 10
   */
  readonly signoutConcurrency?: number | false;
}

export interface AlbConfig {
  /** AWS refuses to delete the ALB while this is on. @default true */
  readonly deletionProtection?: boolean;
  /** @default - no access logs */
  /**
   * Access logs, and connection logs beside them (under `<prefix>/connection`): into an existing
   * bucket that lets ELB deliver logs, or `create: true` for a bucket made here (private, SSE-S3,
   * TLS-only, objects deleted after `expireDays`, default 90).
   */
  readonly accessLogs?: {
    /** An existing bucket that lets ELB deliver logs. */
    readonly bucket?: string;
    /** Key prefix of the logs in the bucket. */
    readonly prefix?: string;
    /** Create a private, SSE-S3, TLS-only bucket for the logs here. */
    readonly create?: boolean;
    /**
     * Days before a log object in a created bucket is deleted. @default 90
     * @minimum 1
     * @maximum 3650
     * @asType integer
     */
    readonly expireDays?: number;
  };
  /**
   * Seconds a connection may stay idle (1-4000). @default 60
   * @minimum 1
   * @maximum 4000
   * @asType integer
   */
  readonly idleTimeoutSeconds?: number;
  /**
   * The HTTPS listener adds `Strict-Transport-Security: max-age=31536000; includeSubDomains` and
   * `X-Content-Type-Options: nosniff` to every response and drops its `Server` header. The listener
   * does this for every host alike: turning it off needs a suppression of ALB_SECURITY_HEADERS.
   * @default true
   */
  readonly securityHeaders?: boolean;
}

/**
 * `wildcard`: one wildcard certificate per parent domain (`*.zone` plus the apex, `*.team.zone`, …);
 * `per-host`: one certificate per host;
 * `grouped`: hosts packed into certificates of up to `quotas.domainsPerCertificate` names.
 */
export type CertificateStrategy = 'wildcard' | 'per-host' | 'grouped';

/** One private subnet of the internal NLB, whose address in it is pinned. */
export interface NlbSubnetConfig {
  /** Private subnet id; one subnet per Availability Zone. */
  readonly id: string;
  /** The subnet's IPv4 CIDR block (at least a /26), checked against AWS when the cluster stack is planned. */
  readonly cidr: string;
  /**
   * The NLB's address in this subnet. It lies in a /28 reserved for manual assignment (an
   * explicit subnet CIDR reservation), so neither EC2 nor the VPC CNI hands it to a pod.
   * @default - the fifth address of the subnet's second-to-last /28
   */
  readonly privateIp?: string;
}

/** The internal NLB in front of the router; the ALB targets its pinned addresses. */
export interface NlbConfig {
  /** Private subnets of the NLB, in Availability Zones the ALB's public subnets also cover. */
  readonly subnets: readonly NlbSubnetConfig[];
}

/** EKS access for the roles that plan and deploy the cluster stack. */
export interface EksAccessConfig {
  /**
   * Role of the PR plan job: an access entry with AmazonEKSAdminViewPolicy (reads everything,
   * Helm release secrets included, changes nothing).
   * @default - no access entry (give the plan role access yourself)
   */
  readonly planRoleArn?: string;
  /**
   * Role of the deploy job: an access entry with AmazonEKSClusterAdminPolicy.
   * @default - no access entry (the role that created the cluster, or one you configured)
   */
  readonly deployRoleArn?: string;
}

/** Grafana's storage. */
export interface GrafanaConfig {
  /**
   * Keep dashboards and users on a persistent volume (needs the EBS CSI driver add-on).
   * @default true
   */
  readonly persistence?: boolean;
  /** Storage class of Grafana's volume when `persistence` is on. @default 'gp3' */
  readonly storageClassName?: string;
}

/**
 * The router behind the internal NLB. `ingress-nginx` was retired upstream in March 2026 (no
 * releases, no security fixes); `traefik` is its maintained successor and serves the same
 * `Ingress` objects (class `nginx`).
 */
export type RouterKind = 'ingress-nginx' | 'traefik';

/**
 * A router switch without downtime: `use` gets the ALB's traffic, `keep` keeps running behind its
 * own NLB until the switch is done (remove `keep` afterwards to delete it).
 */
export interface RouterSwitch {
  readonly use: RouterKind;
  /** @default - no second router */
  readonly keep?: RouterKind;
}

export interface CentralAuthConfig {
  /** Short lowercase name used in every AWS resource name. */
  readonly environment: string;
  /** AWS region of every stack, e.g. `eu-west-1`. */
  readonly region: string;
  /** Public Route 53 hosted zone that holds every host. */
  readonly zoneName: string;
  /** VPC of the ALB and the EKS cluster (`vpc-…`). */
  readonly vpcId: string;
  /** Public subnets (at least two AZs) for the internet-facing ALB. */
  readonly publicSubnetIds: readonly string[];
  /** Existing EKS cluster, found by name. */
  readonly clusterName: string;
  readonly nlb: NlbConfig;
  /** @default - no access entries */
  readonly eks?: EksAccessConfig;
  /** @default - see GrafanaConfig */
  readonly grafana?: GrafanaConfig;
  /**
   * `ingress-nginx` (retired upstream; every synth warns), `traefik`, or a switch in progress
   * (`{ use: 'traefik', keep: 'ingress-nginx' }`).
   * @default 'ingress-nginx' (the router of existing deployments: a new default would replace it)
   */
  readonly router?: RouterKind | RouterSwitch;
  /** The user pool: sign-in domain, MFA, tokens, groups, company identity providers. */
  readonly cognito: CognitoConfig;
  /** The ALB session cookie and the sign-out path. @default - see SessionConfig */
  readonly session?: SessionConfig;
  /** The load balancer: deletion protection, idle timeout, security headers, logs. @default - see AlbConfig */
  readonly alb?: AlbConfig;
  /** @default 'wildcard' */
  readonly certificates?: CertificateStrategy;
  /** Where Terraform keeps each stack's state: `local` for trying it out, `s3` for CI. @default { backend: 'local' } */
  readonly state?: StateConfig;
  /** The web apps behind the ALB, one per host. */
  readonly apps: readonly AppConfig[];
  /** CLIs, CI jobs and services that call `bearerTokens` apps with client-credentials tokens. @default - none */
  readonly machineClients?: readonly MachineClientConfig[];
  /** Policy rules switched off, each with its written reason. @default - none */
  readonly suppressions?: readonly PolicySuppression[];
  /** AWS and Cognito quotas the plan is checked against. @default - AWS default quotas (see modules/config/quotas.ts) */
  readonly quotas?: QuotaConfig;
  /** @default { mode: 'managed' } */
  readonly waf?: WafConfig;
  /** @default - see VerifierSettings */
  readonly verifier?: VerifierSettings;
  /** @default - the alarms and dashboard exist, but notify nobody (OPERATIONS_ALARMS warns) */
  readonly alarms?: AlarmsConfig;
}
