import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Fn, Op, TerraformOutput, type TerraformOutputConfig, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import type { SharedPlan } from '../plan/types';
import { APPLY_ORDER, PLACEHOLDERS_OUTPUT, type StackName } from './outputs';
import { configureBackend } from './state';
import { placeholderStacks, Upstream } from './upstream';

/** Terraform versions every stack accepts. */
export const REQUIRED_TERRAFORM = '>= 1.10.0';

/** What every stack receives: the shared settings and its own slice of the plan. */
export interface CentralAuthStackProps<Slice> {
  /** Environment, region and state settings, the same for every stack. */
  readonly shared: SharedPlan;
  /** This stack's part of the deployment plan. */
  readonly plan: Slice;
}

/** The tags every resource of a stack carries (its providers' default tags). */
export function stackTags(shared: SharedPlan, name: StackName): Record<string, string> {
  return { Project: 'central-auth', Environment: shared.environment, Stack: name, ManagedBy: 'cdktf' };
}

/** A stack with its own state, an AWS provider for the configured region, and tagged resources. */
export class CentralAuthStack extends TerraformStack {
  protected readonly shared: SharedPlan;

  constructor(scope: Construct, name: StackName, shared: SharedPlan) {
    super(scope, name);
    this.shared = shared;
    configureBackend(this, name, shared);
    // The S3 backend's lock file (use_lockfile) needs Terraform 1.10; older ones would ignore it and not lock.
    this.addOverride('terraform.required_version', REQUIRED_TERRAFORM);
    new AwsProvider(this, 'aws', {
      region: shared.region,
      defaultTags: [{ tags: stackTags(shared, name) }],
    });
  }

  /** Reads an upstream stack's outputs through its state, each with a placeholder (see Upstream). */
  protected upstream(stack: StackName, placeholders: Record<string, unknown>, contract: string): Upstream {
    return new Upstream(this, { shared: this.shared, stack, placeholders, contract });
  }

  /** What a consumer publishes so the PR plan review can tell a real plan from one against placeholders. */
  protected publishPlaceholders(upstreams: readonly Upstream[]): TerraformOutput {
    const waiting = placeholderStacks(upstreams);
    const output = this.publish(PLACEHOLDERS_OUTPUT, {
      value: waiting,
      description: 'Upstream stacks whose state is older than this code: planned against placeholders',
    });
    // A plan may show placeholders; an apply must never deploy them (set by the deploy job). As an
    // override: cdktf 0.21 keeps an output's `precondition` setting but never writes it.
    if (this.shared.applying) {
      output.addOverride('precondition', [
        {
          condition: Op.lt(Fn.lengthOf(waiting), 1),
          error_message: `Refusing to apply against placeholders: an upstream stack (${upstreams.map((u) => u.stack).join(', ')}) is not applied, or is older than this code. Deploy the stacks in order: ${APPLY_ORDER.join(', ')}.`,
        },
      ]);
    }
    return output;
  }

  /** Publishes an output under its shared constant name, never an auto-generated one. */
  protected publish(name: string, config: TerraformOutputConfig): TerraformOutput {
    const output = new TerraformOutput(this, name, config);
    output.overrideLogicalId(name);
    return output;
  }
}
