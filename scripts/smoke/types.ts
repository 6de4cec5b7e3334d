/**
 * Shapes the smoke check's modules share, so no module reaches into a sibling for a type (the
 * layout of scripts/diff/). Expectations come from the synthesized stacks; live values from the
 * AWS API; results are what the report prints.
 */

/** One synthesized stack, as `stacks/<stack>/cdk.tf.json` holds it. */
export interface StackJson {
  readonly resource?: Record<string, Record<string, Record<string, any>>>;
  readonly output?: Record<string, { readonly value: unknown }>;
}

/** The sign-out function's config.json, as packaged in its zip (lambda/signout/config.js, FileConfig). */
export interface SignoutFileConfig {
  readonly cookieName: string;
  readonly shardCount: number;
  readonly signoutPath: string;
  readonly clearPath?: string;
  readonly hosts: Readonly<Record<string, { readonly client: number; readonly logoutUri: string }>>;
  readonly defaultHost: string;
}

/** What the synth produced: the stacks the checks expect, and the sign-out function's packaged config. */
export interface SynthesizedStacks {
  readonly auth: StackJson;
  readonly edge: StackJson;
  /** Absent when the edge stack packages no sign-out function. */
  readonly signoutConfig?: SignoutFileConfig;
}

/**
 * What the listener does with a request that carries no session: sign in with an app client (by key),
 * answer 401 (`deny`), check a bearer token (`token`), or forward to the apps (`app`) or to the
 * sign-out function (`sign-out`).
 */
export type Outcome =
  | { readonly kind: 'sign-in'; readonly client: string }
  | { readonly kind: 'deny' }
  | { readonly kind: 'token'; readonly scopes: readonly string[] }
  | { readonly kind: 'app' }
  | { readonly kind: 'sign-out' };

/** One listener rule of the synthesized HTTPS listener, reduced to what decides a request. */
export interface ListenerRule {
  /** The rule's logical id in the edge stack: named in "look at" hints. */
  readonly id: string;
  readonly priority: number;
  /** Host header patterns (ALB wildcards); absent: any host. */
  readonly hosts?: readonly string[];
  /** Path patterns (ALB wildcards); absent: any path. */
  readonly paths?: readonly string[];
  /** An HTTP header condition (the bearer rules' `Authorization: Bearer *`). */
  readonly header?: { readonly name: string; readonly values: readonly string[] };
  /** What an unauthenticated request matching the rule gets. */
  readonly outcome: Outcome;
}

/** One host of the environment and the probes its rules call for. */
export interface HostPlan {
  readonly host: string;
  /** Protected hosts: the app client (key) whose callback URLs list this host, and that URL. */
  readonly callback?: { readonly client: string; readonly url: string };
  /** Path patterns of the path rules naming this host (public and deny paths), sorted. */
  readonly paths: readonly string[];
  /** Scope sets of the bearer rules naming this host (full scope names). */
  readonly bearerScopes: readonly (readonly string[])[];
}

/** The sign-out function as the stacks configure it. */
export interface SignoutPlan {
  readonly path: string;
  readonly cookieName: string;
  readonly shardCount: number;
  /** Protected host → the app client (key) it signs out through and its logout_uri. */
  readonly hosts: ReadonlyMap<string, { readonly client: string; readonly logoutUri: string }>;
}

/** A web ACL association of the edge stack: which ACL, on what. */
export interface WafPlan {
  readonly on: 'alb' | 'user-pool';
  /** The ACL created by the stack (by name) or an existing one (by ARN). */
  readonly acl: { readonly name: string } | { readonly arn: string };
}

/** Everything the checks expect, read from the synthesized stacks and the config. */
export interface Expectations {
  readonly environment: string;
  readonly region: string;
  /** Every host, sorted. */
  readonly hosts: readonly HostPlan[];
  /** Hosts a request may go to besides the environment's: the Cognito domains and cognito-idp. */
  readonly cognitoHosts: readonly string[];
  readonly pool: {
    readonly name: string;
    /** The issuer and JWKS URL, with `{poolId}` where the pool's id goes. */
    readonly issuer: string;
    readonly jwksUrl: string;
  };
  /** Where the ALB signs in: the auth stack's cognito_domain output. */
  readonly signInDomain: string;
  /** Query parameters the ALB adds to /oauth2/authorize besides the standard ones. */
  readonly extraAuthorizeParams: Readonly<Record<string, string>>;
  readonly logoutEndpoint: string;
  /** Absent without machine clients. */
  readonly tokenEndpoint?: string;
  /** ALB app clients by key: their Cognito names. */
  readonly clients: ReadonlyMap<string, { readonly name: string }>;
  /** Machine clients: their Cognito names and the full scopes they may obtain. */
  readonly machineClients: readonly { readonly name: string; readonly scopes: readonly string[] }[];
  readonly listener: {
    readonly rules: readonly ListenerRule[];
    readonly defaultOutcome: Outcome;
    /** Response headers the HTTPS listener adds; absent when alb.securityHeaders is off. */
    readonly headers?: { readonly hsts: string; readonly contentTypeOptions: string };
    /** The HTTPS and HTTP listeners send no Server header of their own. */
    readonly serverHeaderOff: boolean;
    /** The HTTP listener's redirect status (301). */
    readonly httpRedirectStatus: number;
  };
  readonly signout?: SignoutPlan;
  readonly albName: string;
  readonly waf: readonly WafPlan[];
}

/** What the AWS API says about the environment (read-only lookups). */
export interface LiveValues {
  readonly poolId?: string;
  /** App client id by Cognito client name. */
  readonly clientIds: ReadonlyMap<string, string>;
  readonly alb?: { readonly arn: string; readonly dnsName: string };
}

export type Status = 'ok' | 'WARN' | 'FAIL';

/** One printed line: `ok   <check> <target>` or `FAIL <check> <target>: expected X, saw Y — look at Z`. */
export interface CheckResult {
  readonly status: Status;
  readonly check: string;
  readonly target: string;
  readonly expected?: string;
  readonly saw?: string;
  readonly lookAt?: string;
}

export type { AwsRunner } from '../aws-cli';

/** Where a host's HTTPS or HTTP listener is reached: tests point every host at local servers. */
export type Resolver = (host: string, protocol: 'https:' | 'http:') => { address: string; port: number };
