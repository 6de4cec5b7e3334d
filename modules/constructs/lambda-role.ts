import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { Fn } from 'cdktf';
import type { Construct } from 'constructs';

/**
 * A function's log group and execution role, which may only write to that log group (the
 * functions here call no AWS API). Created in `scope` as `logs`, `role` and `logs-policy`, the ids
 * the sign-out endpoint has always had.
 */
export function lambdaLogsAndRole(
  scope: Construct,
  functionName: string,
  retentionInDays: number,
): { logGroup: CloudwatchLogGroup; role: IamRole } {
  const logGroup = new CloudwatchLogGroup(scope, 'logs', { name: `/aws/lambda/${functionName}`, retentionInDays });
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
      Statement: [{ Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: `${logGroup.arn}:*` }],
    }),
  });
  return { logGroup, role };
}
