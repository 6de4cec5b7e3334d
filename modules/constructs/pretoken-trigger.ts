import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { Construct } from 'constructs';
import { join } from 'path';
import type { PreTokenPlan } from '../plan/types';
import { nodeLambda } from './node-lambda';

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
    this.function = nodeLambda(this, {
      functionName: `${props.namePrefix}-pretoken`,
      description: 'Maps IdP groups to cognito:groups in the ID and access tokens',
      handler: { dir: PRETOKEN_HANDLER_DIR, name: 'pretoken' },
      config: {
        knownGroups: [...props.plan.knownGroups].sort(),
        ...(props.plan.groupMapping ? { groupMapping: props.plan.groupMapping } : {}),
        requireGroup: props.plan.requireGroup,
      },
      // Cognito gives a trigger 5 seconds in all.
      timeoutSeconds: 3,
      logRetentionDays: props.logRetentionDays ?? 30,
    });
  }
}
