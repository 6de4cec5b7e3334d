import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsElbServiceAccount } from '@cdktf/provider-aws/lib/data-aws-elb-service-account';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';

/**
 * Regions that opened before August 2022, where ELB writes logs as its own regional account (the
 * AWS provider's aws_elb_service_account knows exactly these); in later regions it writes as the
 * log delivery service principal, which the policy always admits (ELB user guide, "Access logs").
 */
export const ELB_ACCOUNT_REGIONS: ReadonlySet<string> = new Set([
  'af-south-1', 'ap-east-1', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-south-1', 'ap-southeast-1',
  'ap-southeast-2', 'ap-southeast-3', 'ca-central-1', 'cn-north-1', 'cn-northwest-1', 'eu-central-1', 'eu-north-1',
  'eu-south-1', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'me-south-1', 'sa-east-1', 'us-east-1', 'us-east-2',
  'us-gov-east-1', 'us-gov-west-1', 'us-west-1', 'us-west-2',
]); // biome-ignore format: one region list

export interface AlbLogBucketProps {
  /** The bucket name's prefix (a random suffix follows: bucket names are global). */
  readonly bucketPrefix: string;
  readonly region: string;
  /** The key prefix the ALB writes under (access logs there, connection logs under `<prefix>/connection`). */
  readonly logPrefix: string;
  /** Days after which log objects are deleted. */
  readonly expireDays: number;
}

/**
 * A bucket for the ALB's access and connection logs: private (public access blocked, owner-enforced
 * objects), encrypted with S3-managed keys (the only encryption ELB log delivery supports), TLS-only,
 * expiring, and writable by ELB log delivery under this account's `AWSLogs/` keys only.
 */
export class AlbLogBucket extends Construct {
  readonly bucket: S3Bucket;
  /** What the ALB must wait for: ELB checks it may write when logging is switched on. */
  readonly policy: S3BucketPolicy;

  constructor(scope: Construct, id: string, props: AlbLogBucketProps) {
    super(scope, id);
    const account = new DataAwsCallerIdentity(this, 'account');
    this.bucket = new S3Bucket(this, 'bucket', { bucketPrefix: props.bucketPrefix });
    new S3BucketPublicAccessBlock(this, 'public-access', {
      bucket: this.bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, 'ownership', { bucket: this.bucket.id, rule: { objectOwnership: 'BucketOwnerEnforced' } });
    new S3BucketServerSideEncryptionConfigurationA(this, 'encryption', {
      bucket: this.bucket.id,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }],
    });
    new S3BucketLifecycleConfiguration(this, 'lifecycle', {
      bucket: this.bucket.id,
      rule: [
        {
          id: 'expire-logs',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          expiration: [{ days: props.expireDays }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
      ],
    });
    const writable = [
      `${this.bucket.arn}/${props.logPrefix}/AWSLogs/${account.accountId}/*`,
      `${this.bucket.arn}/${props.logPrefix}/connection/AWSLogs/${account.accountId}/*`,
    ];
    const writers: Record<string, unknown>[] = [{ Service: 'logdelivery.elasticloadbalancing.amazonaws.com' }];
    if (ELB_ACCOUNT_REGIONS.has(props.region)) writers.push({ AWS: new DataAwsElbServiceAccount(this, 'elb-account').arn });
    this.policy = new S3BucketPolicy(this, 'policy', {
      bucket: this.bucket.id,
      policy: Fn.jsonencode({
        Version: '2012-10-17',
        Statement: [
          ...writers.map((principal, i) => ({
            Sid: `ElbLogDelivery${i}`,
            Effect: 'Allow',
            Principal: principal,
            Action: 's3:PutObject',
            Resource: writable,
          })),
          {
            Sid: 'TlsOnly',
            Effect: 'Deny',
            Principal: '*',
            Action: 's3:*',
            Resource: [this.bucket.arn, `${this.bucket.arn}/*`],
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          },
        ],
      }),
    });
  }
}
