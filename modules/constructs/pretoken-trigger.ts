import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { AssetType, TerraformAsset } from 'cdktf';
import { Construct } from 'constructs';
import { lambdaLogsAndRole } from './lambda-role';
import { join } from 'path';
import type { PreTokenPlan } from '../plan/types';
import { packageHandler } from './lambda-package';

/** The trigger's folder: every `.js` file in it is packaged as-is, with the generated config.json. */
export const PRETOKEN_HANDLER_DIR = join(__dirname, '..', '..', 'lambda', 'pretoken');

export interface PreTokenTriggerProps {
  /** Prefix of the function, role and log group names. */
  readonly namePrefix: string;
  readonly plan: PreTokenPlan;
  /** @default 30 */
  readonly logRetentionDays?: number;
}

/**
 * The pre token generation trigger (event version 2) that turns IdP groups into `cognito:groups`
 * (lambda/pretoken). The pool invokes it on every sign-in and every token refresh; Cognito waits
 * at most 5 seconds for it. The invoke permission is the pool's to grant (it needs the pool's ARN).
 */
export class PreTokenTrigger extends Construct {
  readonly function: LambdaFunction;

  constructor(scope: Construct, id: string, props: PreTokenTriggerProps) {
    super(scope, id);
    const functionName = `${props.namePrefix}-pretoken`;
    const { logGroup, role } = lambdaLogsAndRole(this, functionName, props.logRetentionDays ?? 30);
    const config = {
      knownGroups: [...props.plan.knownGroups].sort(),
      ...(props.plan.groupMapping ? { groupMapping: props.plan.groupMapping } : {}),
      requireGroup: props.plan.requireGroup,
    };
    const asset = new TerraformAsset(this, 'code', {
      path: packageHandler('pretoken', PRETOKEN_HANDLER_DIR, config),
      type: AssetType.FILE,
    });
    this.function = new LambdaFunction(this, 'function', {
      functionName,
      description: 'Maps IdP groups to cognito:groups in the ID and access tokens',
      role: role.arn,
      runtime: 'nodejs22.x',
      architectures: ['arm64'],
      handler: 'index.handler',
      filename: asset.path,
      sourceCodeHash: asset.assetHash,
      memorySize: 128,
      // Cognito gives a trigger 5 seconds in all.
      timeout: 3,
      loggingConfig: { logFormat: 'Text', logGroup: logGroup.name },
      dependsOn: [logGroup],
    });
  }
}
