import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformOutput, TerraformStack, type TerraformOutputConfig } from 'cdktf';
import type { Construct } from 'constructs';
import type { ResolvedConfig } from '../config/defaults';
import type { StackName } from './outputs';
import { configureBackend } from './state';

export interface CentralAuthStackProps {
  readonly config: ResolvedConfig;
}

/** A stack with its own state, an AWS provider for the configured region, and tagged resources. */
export class CentralAuthStack extends TerraformStack {
  readonly config: ResolvedConfig;

  constructor(scope: Construct, name: StackName, props: CentralAuthStackProps) {
    super(scope, name);
    const { config } = props;
    this.config = config;
    configureBackend(this, name, config);
    new AwsProvider(this, 'aws', {
      region: config.region,
      defaultTags: [{ tags: { Project: 'central-auth', Environment: config.environment, Stack: name, ManagedBy: 'cdktf' } }],
    });
  }

  /** Publishes an output under its shared constant name, never an auto-generated one. */
  protected publish(name: string, config: TerraformOutputConfig): TerraformOutput {
    const output = new TerraformOutput(this, name, config);
    output.overrideLogicalId(name);
    return output;
  }
}
