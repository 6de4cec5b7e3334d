import './node-compat';
import { Aspects, type App } from 'cdktf';
import type { Deployment } from './deployment';
import { PolicyAspect } from './policy/aspect';
import { declarePolicyConfig } from './policy/facts';
import { AuthStack } from './stacks/auth';
import { ClusterStack } from './stacks/cluster';
import { EdgeStack } from './stacks/edge';
import { APPLY_ORDER, STACKS } from './stacks/outputs';

export interface CentralAuthStacks {
  readonly auth: AuthStack;
  readonly cluster: ClusterStack;
  readonly edge: EdgeStack;
}

/**
 * The three stacks, each with its own state and its own slice of the plan, linked only by
 * remote-state reads. The explicit dependencies make `cdktf deploy '*'` apply them in
 * APPLY_ORDER. One policy aspect on every stack fails the synth on any violation
 * (docs/policy.md); it checks the output against the config.
 */
/** How the stacks are built beyond the deployment itself. */
export interface BuildOptions {
  /**
   * Where the policy pack's suppression and warning lines go (once per synth).
   * @default - stdout, as the synth prints them
   */
  readonly policyLog?: (line: string) => void;
}

export function addCentralAuthStacks(app: App, deployment: Deployment, options: BuildOptions = {}): CentralAuthStacks {
  const { plan, config } = deployment;
  const { shared } = plan;
  const auth = new AuthStack(app, STACKS.auth, { shared, plan: plan.auth });
  const cluster = new ClusterStack(app, STACKS.cluster, { shared, plan: plan.cluster });
  const edge = new EdgeStack(app, STACKS.edge, { shared, plan: plan.edge });
  const stacks: CentralAuthStacks = { auth, cluster, edge };
  // Each stack waits for the one before it in APPLY_ORDER, the order the scripts and workflows use too.
  APPLY_ORDER.slice(1).forEach((name, i) => stacks[name].addDependency(stacks[APPLY_ORDER[i]!]));
  declarePolicyConfig(app, config);
  const policy = new PolicyAspect({ config, log: options.policyLog });
  for (const name of APPLY_ORDER) Aspects.of(stacks[name]).add(policy);
  return stacks;
}
