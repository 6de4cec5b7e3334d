import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { AssetType, Fn, TerraformAsset } from 'cdktf';
import type { Construct } from 'constructs';
import { handlerEntry, packageHandler } from './lambda-package';

export interface NodeLambdaProps {
  readonly functionName: string;
  readonly description: string;
  /** The handler's folder (every `.js` file is packaged) and the name of its zip. */
  readonly handler: { readonly dir: string; readonly name: string };
  /** The generated config.json packaged beside the handler. */
  readonly config: Record<string, unknown>;
  readonly timeoutSeconds: number;
  readonly logRetentionDays: number;
  /** @default - none */
  readonly environment?: Record<string, string>;
  /**
   * AWS API calls the function makes, beyond writing its own logs.
   * @default - none
   */
  readonly allow?: readonly { readonly actions: readonly string[]; readonly resources: readonly string[] }[];
  /** @default - none reserved (the account's unreserved pool) */
  readonly reservedConcurrency?: number;
}

/**
 * A zero-dependency Node.js function as both of this app's functions are built: its log group, an
 * execution role that may write to that log group and make only the calls in `allow`, the zip of
 * its sources with the generated config.json, and the function itself. Created in `scope` as
 * `logs`, `role`, `logs-policy`, `code` and `function`, the ids the sign-out endpoint has always had.
 */
export function nodeLambda(scope: Construct, props: NodeLambdaProps): LambdaFunction {
  const { functionName } = props;
  const logGroup = new CloudwatchLogGroup(scope, 'logs', { name: `/aws/lambda/${functionName}`, retentionInDays: props.logRetentionDays });
  const role = new IamRole(scope, 'role', {
    name: `${functionName}-lambda`,
    assumeRolePolicy: JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    }),
  });
  new IamRolePolicy(scope, 'logs-policy', {
    role: role.name,
    policy: Fn.jsonencode({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: `${logGroup.arn}:*` },
        ...(props.allow ?? []).map((s) => ({ Effect: 'Allow', Action: [...s.actions], Resource: [...s.resources] })),
      ],
    }),
  });
  const asset = new TerraformAsset(scope, 'code', {
    path: packageHandler(props.handler.name, props.handler.dir, props.config),
    type: AssetType.FILE,
  });
  return new LambdaFunction(scope, 'function', {
    functionName,
    description: props.description,
    role: role.arn,
    runtime: 'nodejs22.x',
    architectures: ['arm64'],
    handler: handlerEntry(props.handler.dir),
    filename: asset.path,
    sourceCodeHash: asset.assetHash,
    memorySize: 128,
    ...(props.reservedConcurrency === undefined ? {} : { reservedConcurrentExecutions: props.reservedConcurrency }),
    timeout: props.timeoutSeconds,
    environment: props.environment ? { variables: props.environment } : undefined,
    loggingConfig: { logFormat: 'Text', logGroup: logGroup.name },
    dependsOn: [logGroup],
  });
}
