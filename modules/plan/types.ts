import type { ResolvedWaf } from '../config/defaults';
import type { ResolvedIdentityProvider } from '../config/identity-providers';
import type { AlbConfig, CognitoConfig, EksAccessConfig, RouterKind, StateConfig } from '../config/types';
import type { PlannedCertificate } from './certificates';
import type { NlbAddress } from './nlb';
import type { PlannedClient, PlannedRule } from './routing';

/**
 * What every stack shares: where its state lives and how its resources are named and tagged.
 * Remote-state reads use the same settings, so producer and consumer never disagree.
 */
export interface SharedPlan {
  readonly environment: string;
  readonly region: string;
  readonly state: StateConfig;
  /** Applying, not planning: a stack then refuses placeholders for its upstream outputs. */
  readonly applying: boolean;
}

export interface CognitoGroupPlan {
  readonly name: string;
  readonly description?: string;
}

/** The pool settings of the config, with defaults applied. */
export type PoolSettings = Required<
  Omit<
    CognitoConfig,
    | 'groups'
    | 'identityProviders'
    | 'groupMapping'
    | 'localUsers'
    | 'requireGroup'
    | 'customDomain'
    | 'managedLogin'
    | 'brandingFile'
    | 'passkeys'
  >
>;

/** Where users sign in: the prefix domain, the company's own domain, and which sign-in pages. */
export interface SignInPlan {
  /** Managed login version 2, a style per app client (Essentials plan); else the classic hosted UI. */
  readonly managedLogin: boolean;
  /** The styles' settings (normalized JSON); without it, Cognito's own style. */
  readonly branding?: string;
  /** The custom domain and the zone it is in. */
  readonly customDomain?: { readonly name: string; readonly zoneName: string };
  /** Passkeys as a first factor, registered to this relying party (the custom domain). */
  readonly passkeys?: { readonly relyingPartyId: string };
}

/** The pre token generation trigger: which groups exist, how IdP groups map (lambda/pretoken/config.js). */
export interface PreTokenPlan {
  readonly knownGroups: readonly string[];
  readonly groupMapping?: Readonly<Record<string, string>>;
  readonly requireGroup: boolean;
}

/** Who signs in how: the company's identity providers, the pool's own users, the groups trigger. */
export interface FederationPlan {
  readonly providers: readonly ResolvedIdentityProvider[];
  /** `supported_identity_providers` of every ALB app client: `COGNITO` (local users) first, then the providers. */
  readonly clientProviders: readonly string[];
  /**
   * The pool attributes the providers fill, which the app clients must be allowed to write (a client
   * without write_attributes may write only standard attributes; Cognito fails the sign-in otherwise).
   * Empty without providers: the clients then keep AWS's default.
   */
  readonly clientWriteAttributes: readonly string[];
  /** Present when IdP groups or requireGroup need the trigger. */
  readonly preToken?: PreTokenPlan;
}

/** The auth stack: the pool (settings with defaults applied), its app clients and groups. */
/** Calls from code: the environment's resource server and its client_credentials app clients. */
export interface MachineAccessPlan {
  /** The resource server identifier: tokens carry `<identifier>/<scope>`. */
  readonly identifier: string;
  /** Every scope some app's bearerTokens declares, sorted. */
  readonly scopes: readonly string[];
  /** Sorted by name. */
  readonly clients: readonly {
    readonly name: string;
    readonly scopes: readonly string[];
    readonly accessTokenValidityMinutes: number;
  }[];
}

export interface AuthPlan {
  readonly pool: PoolSettings & { readonly namePrefix: string; readonly region: string };
  /** @default - no resource server, no machine clients (no app takes bearer tokens) */
  readonly machineAccess?: MachineAccessPlan;
  readonly federation: FederationPlan;
  readonly signIn: SignInPlan;
  /** Keyed app clients; the first one serves the listener's default action. */
  readonly clients: readonly PlannedClient[];
  readonly groups: readonly CognitoGroupPlan[];
}

/** Grafana signed in by the ALB's access token: what the cluster stack needs besides remote values. */
export interface GrafanaPlan {
  readonly name: string;
  readonly host: string;
  /** Key of the app client serving Grafana's host: its tokens carry that client_id. */
  readonly client: string;
  readonly signoutPath: string;
  /** JMESPath mapping `cognito:groups` to a Grafana role. */
  readonly roleAttributePath: string;
  /** A persistent volume of this StorageClass, or none. */
  readonly storageClassName?: string;
}

export interface EchoAppPlan {
  readonly name: string;
  readonly host: string;
}

/** One protected host as the verifier checks it (verifier/config.js, `hosts`). */
export interface VerifiedHostPlan {
  readonly app: string;
  /** Empty: every signed-in user. */
  readonly allowedGroups: readonly string[];
  readonly publicPaths: readonly string[];
  readonly forwardAccessToken: boolean;
  /** Full scopes (`<identifier>/<name>`) a bearer token must carry; absent: browsers only. */
  readonly bearerScopes?: readonly string[];
}

/** The identity verifier: what its config.json holds, besides the ALB's account (computed). */
export interface VerifierPlan {
  /** The ALB whose signature it accepts: `<albName>` in this region, any id (created later, by edge). */
  readonly albName: string;
  /** Protected hosts, sorted. */
  readonly hosts: Readonly<Record<string, VerifiedHostPlan>>;
  /** Public apps' hosts, sorted. */
  readonly publicHosts: readonly string[];
  readonly signoutPath: string;
  /** The Traefik NLB's addresses (the ALB's health check Host), allowed the health check path only. */
  readonly healthCheckHosts: readonly string[];
  /** The Node.js image, pinned by digest. */
  readonly image: string;
  /** The autoscaler's range of pods. */
  readonly replicas: { readonly min: number; readonly max: number };
  /** `debug`: token hash prefixes and cache hits in each decision line. */
  readonly logLevel: 'info' | 'debug';
}

/** One NLB address of one router: a target of the ALB. */
export interface RouterTarget extends NlbAddress {
  readonly router: RouterKind;
}

/** One router behind its own internal NLB. */
export interface RouterPlan {
  readonly kind: RouterKind;
  /** Gets the ALB's traffic; the other one (a switch in progress) only keeps running. */
  readonly inUse: boolean;
  /** Its NLB's subnets and pinned addresses, sorted by subnet id. */
  readonly nlb: readonly NlbAddress[];
}

/** The cluster stack: the router behind the internal NLB and the sample workloads. */
export interface ClusterPlan {
  readonly clusterName: string;
  readonly vpcId: string;
  /** Prefix of the security group names. */
  readonly namePrefix: string;
  /** The NLB subnets' reserved /28s, around the base addresses, sorted by subnet id. */
  readonly nlb: readonly NlbAddress[];
  /** The router in use first, then the one kept during a switch. */
  readonly routers: readonly RouterPlan[];
  /** App clients whose ids Grafana may need, by key (all of them: the contract names them). */
  readonly clientKeys: readonly string[];
  readonly eks: EksAccessConfig;
  readonly grafana?: GrafanaPlan;
  readonly verifier: VerifierPlan;
  readonly echoApps: readonly EchoAppPlan[];
}

export interface SignoutPlan {
  /** Prefix of the function, role and log group names. */
  readonly namePrefix: string;
  readonly targetGroupName: string;
  readonly path: string;
  readonly cookieName: string;
  /** Protected host → position of its app client in `clientKeys`. */
  readonly hosts: Readonly<Record<string, number>>;
  /** The app clients, in the order the handler's CLIENT_IDS list gives their ids. */
  readonly clientKeys: readonly string[];
  /** @default - no reserved concurrency */
  readonly reservedConcurrency?: number;
}

/** The edge stack: the ALB, its certificates, listeners and rules, the sign-out endpoint and the aliases. */
export interface EdgePlan {
  readonly albName: string;
  readonly namePrefix: string;
  readonly targetGroupTagName: string;
  readonly vpcId: string;
  readonly publicSubnetIds: readonly string[];
  readonly zoneName: string;
  readonly alb: Required<Pick<AlbConfig, 'deletionProtection' | 'idleTimeoutSeconds' | 'securityHeaders'>> & Pick<AlbConfig, 'accessLogs'>;
  /** The web ACL of both front doors: created here, an existing one, or none. */
  readonly waf: ResolvedWaf;
  /** Where alarms go: mail addresses for a topic of this app, or an existing topic. */
  readonly alarms: { readonly email: readonly string[]; readonly snsTopicArn?: string };
  /** The identity verifier's Deployment, for its alarms (Container Insights dimensions). */
  readonly verifierWorkload: { readonly clusterName: string; readonly namespace: string; readonly name: string };
  /** The one way to sign in, when there is exactly one (one provider, no local users): the ALB skips Cognito's chooser. */
  readonly signInProvider?: string;
  readonly session: { readonly cookieName: string; readonly timeoutSeconds: number };
  /** Every certificate the listener serves, keyed by name; the first is the listener's default. */
  readonly certificates: readonly PlannedCertificate[];
  /** The app client of the listener's default action. */
  readonly defaultClient: string;
  /** Every app client key the listener uses (the auth contract names them). */
  readonly clientKeys: readonly string[];
  /** Listener rules besides sign-out, with their priorities. */
  readonly rules: readonly PlannedRule[];
  /** The resource server identifier bearer rules' scopes belong to. */
  readonly resourceServer: string;
  readonly signout: SignoutPlan;
  /**
   * The ingress target group's targets: every router's NLB addresses, the router in use first.
   * During a switch both routers are registered (both serve the same routes and pass the same
   * health check), so the old one leaves with connection draining only once `keep` is removed.
   */
  readonly nlbTargets: readonly RouterTarget[];
  /** Every host, sorted: each gets an alias record to the ALB. */
  readonly hosts: readonly string[];
}

/**
 * Everything the stacks build, decided once from the resolved config: a plain, immutable value
 * that is tested without synthesizing anything. Each stack receives only its slice.
 */
export interface DeploymentPlan {
  readonly shared: SharedPlan;
  readonly auth: AuthPlan;
  readonly cluster: ClusterPlan;
  readonly edge: EdgePlan;
}
