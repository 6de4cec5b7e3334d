import type { AlbConfig, CognitoConfig, StateConfig } from '../config/types';
import type { PlannedCertificate } from './certificates';
import type { PlannedRule } from './routing';

/**
 * What every stack shares: where its state lives and how its resources are named and tagged.
 * Remote-state reads use the same settings, so producer and consumer never disagree.
 */
export interface SharedPlan {
  readonly environment: string;
  readonly region: string;
  readonly state: StateConfig;
}

/** One confidential app client of the ALB; hosts are split across clients by hash (Cognito allows 100 URLs each). */
export interface AppClientPlan {
  /** Stable key: `alb` for client 0, `alb-<k>` after; never a list position of the config. */
  readonly key: string;
  /** Position in the auth stack's client lists. */
  readonly index: number;
  /** Protected hosts whose callback and logout URLs this client registers, sorted. */
  readonly hosts: readonly string[];
}

export interface CognitoGroupPlan {
  readonly name: string;
  readonly description?: string;
}

/** The auth stack: the pool (settings with defaults applied), its app clients and groups. */
export interface AuthPlan {
  readonly pool: Required<Omit<CognitoConfig, 'groups'>> & { readonly namePrefix: string; readonly region: string };
  readonly clients: readonly AppClientPlan[];
  readonly groups: readonly CognitoGroupPlan[];
}

/** The certs stack: every certificate, keyed by name. */
export interface CertsPlan {
  readonly zoneName: string;
  readonly certificates: readonly PlannedCertificate[];
}

/** Grafana signed in by the ALB's access token: what the cluster stack needs besides remote values. */
export interface GrafanaPlan {
  readonly name: string;
  readonly host: string;
  /** Index of the app client serving Grafana's host: its tokens carry that client_id. */
  readonly client: number;
  readonly signoutPath: string;
  /** JMESPath mapping `cognito:groups` to a Grafana role. */
  readonly roleAttributePath: string;
}

export interface EchoAppPlan {
  readonly name: string;
  readonly host: string;
}

/** The cluster stack: the router behind the internal NLB and the sample workloads. */
export interface ClusterPlan {
  readonly clusterName: string;
  readonly vpcId: string;
  /** Value of the tag the edge stack finds the NLB by. */
  readonly nlbTagValue: string;
  /** Prefix of the security group names. */
  readonly namePrefix: string;
  readonly grafana?: GrafanaPlan;
  readonly echoApps: readonly EchoAppPlan[];
}

/** The listener's certificates: one default, the rest attached. */
export interface ListenerCertificatesPlan {
  readonly defaultKey: string;
  readonly additionalKeys: readonly string[];
}

export interface SignoutPlan {
  /** Prefix of the function, role and log group names. */
  readonly namePrefix: string;
  readonly targetGroupName: string;
  readonly path: string;
  readonly cookieName: string;
  /** Protected host → index of the app client it signs out through. */
  readonly hosts: Readonly<Record<string, number>>;
}

/** The edge stack: the ALB, its listeners and rules, the sign-out endpoint and the aliases. */
export interface EdgePlan {
  readonly albName: string;
  readonly targetGroupTagName: string;
  readonly vpcId: string;
  readonly publicSubnetIds: readonly string[];
  readonly zoneName: string;
  readonly alb: Required<Pick<AlbConfig, 'deletionProtection' | 'idleTimeoutSeconds'>> & Pick<AlbConfig, 'accessLogs' | 'webAclArn'>;
  readonly session: { readonly cookieName: string; readonly timeoutSeconds: number };
  readonly certificates: ListenerCertificatesPlan;
  /** Listener rules besides sign-out, with their priorities. */
  readonly rules: readonly PlannedRule[];
  readonly signout: SignoutPlan;
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
  readonly certs: CertsPlan;
  readonly cluster: ClusterPlan;
  readonly edge: EdgePlan;
}
