import { Aspects, type App } from 'cdktf';
import { AuthStack } from './stacks/auth';
import { CertsStack } from './stacks/certs';
import { ClusterStack } from './stacks/cluster';
import type { ResolvedConfig } from './config/defaults';
import { EdgeStack } from './stacks/edge';
import { PolicyAspect } from './policy/aspect';

export interface CentralAuthStacks {
  readonly auth: AuthStack;
  readonly certs: CertsStack;
  readonly cluster: ClusterStack;
  readonly edge: EdgeStack;
}

/**
 * The four stacks, each with its own state, linked only by remote-state reads. The explicit
 * dependencies make `cdktf deploy '*'` apply them in order: auth, certs, cluster, edge.
 * One policy aspect on every stack fails the synth on any violation (docs/policy.md).
 */
export function addCentralAuthStacks(app: App, config: ResolvedConfig): CentralAuthStacks {
  const auth = new AuthStack(app, { config });
  const certs = new CertsStack(app, { config });
  const cluster = new ClusterStack(app, { config });
  const edge = new EdgeStack(app, { config });
  certs.addDependency(auth);
  cluster.addDependency(certs);
  edge.addDependency(cluster);
  const policy = new PolicyAspect();
  for (const stack of [auth, certs, cluster, edge]) Aspects.of(stack).add(policy);
  return { auth, certs, cluster, edge };
}
