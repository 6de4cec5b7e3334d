// Shapes shared by the IAM policy generator's modules (scripts/iam.ts), so no module reaches into a sibling.

/** The two CI roles: `plan` runs `terraform plan -lock=false`, `deploy` runs `cdktf deploy` (terraform apply). */
export type Role = 'plan' | 'deploy';

export const ROLES: readonly Role[] = ['plan', 'deploy'];

/**
 * What a group of actions is allowed on. `any` is `*` (the action has no resource-level permission);
 * every other key is resolved by scope.ts to this environment's ARNs, and a condition where the ARN
 * holds something known only after apply.
 */
export type ScopeKey =
  | 'any'
  | 'acm-certificate'
  | 'acm-new-certificate'
  | 'cloudwatch-alarm'
  | 'cloudwatch-dashboard'
  | 'cognito-new-user-pool'
  | 'cognito-user-pool'
  | 'cognito-web-acl'
  | 'ec2-new-security-group'
  | 'ec2-new-security-group-rule'
  | 'ec2-security-group'
  | 'ec2-security-group-rule'
  | 'ec2-subnet'
  | 'ec2-tag-on-create'
  | 'ec2-vpc'
  | 'eks-access-entry'
  | 'eks-access-policy'
  | 'eks-cluster'
  | 'eks-new-access-entry'
  | 'elb-listener'
  | 'elb-listener-rule'
  | 'elb-loadbalancer'
  | 'elb-new-targetgroup'
  | 'elb-targetgroup'
  | 'iam-pass-role'
  | 'iam-role'
  | 'kms-decrypt-parameter'
  | 'kms-decrypt-secret'
  | 'kms-key'
  | 'kms-new-key'
  | 'lambda-function'
  | 'logs-log-group'
  | 'route53-change'
  | 'route53-records'
  | 'route53-zone'
  | 's3-bucket'
  | 'secretsmanager-idp-secret'
  | 'secretsmanager-secret'
  | 'sns-subscription'
  | 'sns-topic'
  | 'ssm-idp-parameter'
  | 'wafv2-protected'
  | 'wafv2-web-acl';

/** IAM actions by the scope they are allowed on. */
export type Grants = Partial<Readonly<Record<ScopeKey, readonly string[]>>>;

/** What the hashicorp/aws provider calls for one resource or data source type. */
export interface TypeActions {
  /** Refresh (Read): what `terraform plan` calls, so both roles. */
  readonly read?: Grants;
  /** Create, update and delete, with the reads they wait on: the deploy role only. */
  readonly write?: Grants;
}

/** An IAM condition block: operator → condition key → value(s). */
export type Condition = Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;

export interface Statement {
  readonly Sid: string;
  readonly Effect: 'Allow';
  readonly Action: readonly string[];
  readonly Resource: readonly string[];
  readonly Condition?: Condition;
}

export interface PolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: readonly Statement[];
}

/** A resource or data block of a synthesized stack, with the region the provider manages it in. */
export interface Block {
  readonly stack: string;
  readonly kind: 'resource' | 'data';
  readonly type: string;
  readonly name: string;
  readonly body: Readonly<Record<string, unknown>>;
  readonly region: string;
}

export type Backend =
  | { readonly type: 'local' }
  | {
      readonly type: 's3';
      readonly bucket: string;
      readonly key: string;
      readonly region: string;
      /** Terraform's S3 lock file, `<key>.tflock` (use_lockfile). */
      readonly lockfile: boolean;
      readonly dynamodbTable?: string;
    };

/** What one synthesized stack says about the AWS calls its plan and apply make. */
export interface StackFacts {
  readonly name: string;
  readonly backend: Backend;
  /** The region of the stack's default AWS provider. */
  readonly region: string;
  /** The AWS provider's default tags, which every taggable resource of the stack carries. */
  readonly defaultTags: Readonly<Record<string, string>>;
  readonly blocks: readonly Block[];
  /** Types of `removed` blocks: still in the state, refreshed by the plan that forgets them. */
  readonly removedTypes: readonly string[];
  /** S3 states read through terraform_remote_state: `bucket/key`. */
  readonly remoteStates: readonly { readonly bucket: string; readonly key: string }[];
}
