// The config's settings for Terraform state, AWS quotas and policy suppressions: the parts of
// CentralAuthConfig (types.ts) about how it is planned and checked rather than what it builds.

export interface LocalStateConfig {
  /** State files on this machine: for trying it out, never for CI. */
  readonly backend: 'local';
  /**
   * Folder for the state files, relative to the project root.
   * @default '.state'
   */
  readonly directory?: string;
}

export interface S3StateConfig {
  /** State in S3, as CI needs it. */
  readonly backend: 's3';
  /** The state bucket (versioned, encrypted), made beforehand. */
  readonly bucket: string;
  /** The bucket's region. @default - the config's region */
  readonly region?: string;
  /** Keys are `<keyPrefix>/<environment>/<stack>.tfstate`. @default 'central-auth' */
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
  /** The policy rule's id, e.g. `ALB_ACCESS_LOGS` (docs/policy.md). */
  readonly rule: string;
  /** Why it is off here: echoed at every synth. */
  readonly reason: string;
}

/** AWS quotas to plan against; raise one only after AWS has raised it for the account. */
export interface QuotaConfig {
  /**
   * AWS quota "Rules per Application Load Balancer". @default 100
   * @minimum 2
   * @maximum 10000
   * @asType integer
   */
  readonly listenerRulesPerAlb?: number;
  /**
   * AWS quota "Certificates per Application Load Balancer". @default 25
   * @minimum 0
   * @maximum 10000
   * @asType integer
   */
  readonly certificatesPerAlb?: number;
  /**
   * Cognito quota "Callback URLs per app client". @default 100
   * @minimum 1
   * @maximum 100
   * @asType integer
   */
  readonly callbackUrlsPerAppClient?: number;
  /**
   * ACM quota "Domain names per certificate". @default 10
   * @minimum 2
   * @maximum 100
   * @asType integer
   */
  readonly domainsPerCertificate?: number;
}
