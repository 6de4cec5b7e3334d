import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformOutput, type TerraformOutputConfig, type TerraformRemoteState, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import type { SharedPlan } from '../plan/types';
import type { StackName } from './outputs';
import { configureBackend, remoteStateOf } from './state';

/** What every stack receives: the shared settings and its own slice of the plan. */
export interface CentralAuthStackProps<Slice> {
  /** Environment, region and state settings, the same for every stack. */
  readonly shared: SharedPlan;
  /** This stack's part of the deployment plan. */
  readonly plan: Slice;
}

/** A stack with its own state, an AWS provider for the configured region, and tagged resources. */
export class CentralAuthStack extends TerraformStack {
  protected readonly shared: SharedPlan;

  constructor(scope: Construct, name: StackName, shared: SharedPlan) {
    super(scope, name);
    this.shared = shared;
    configureBackend(this, name, shared);
    new AwsProvider(this, 'aws', {
      region: shared.region,
      defaultTags: [{ tags: { Project: 'central-auth', Environment: shared.environment, Stack: name, ManagedBy: 'cdktf' } }],
    });
  }

  /** Reads another stack's outputs through its state, the only link between stacks. */
  protected remoteState(name: StackName): TerraformRemoteState {
    return remoteStateOf(this, name, this.shared);
  }

  /** Publishes an output under its shared constant name, never an auto-generated one. */
  protected publish(name: string, config: TerraformOutputConfig): TerraformOutput {
    const output = new TerraformOutput(this, name, config);
    output.overrideLogicalId(name);
    return output;
  }
}
