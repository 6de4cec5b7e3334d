import type { ResolvedConfig } from './config/defaults';
import { APPLYING_ENV_VAR, flagSet, prepareConfig, readConfigFile } from './config/load';
import { type SelectOptions, selectConfig } from './config/select';
import { ConfigError } from './config/errors';
import { withLocations } from './config/locate';
import { checkCapacity } from './plan/capacity';
import { planDeployment } from './plan/deployment';
import type { DeploymentPlan } from './plan/types';

/** A config and its plan: what the App is built from. */
export interface Deployment {
  /** The intent, defaults applied: the policy pack checks the output against it. */
  readonly config: ResolvedConfig;
  /** What each stack builds. */
  readonly plan: DeploymentPlan;
}

/** Plans a resolved config and checks the plan against the AWS quotas: every refusal happens before any construct exists. */
export function deploymentOf(config: ResolvedConfig, source = 'config', env: NodeJS.ProcessEnv = {}): Deployment {
  const plan = planDeployment(config, { applying: flagSet(env, APPLYING_ENV_VAR) });
  const problems = checkCapacity(plan, config);
  if (problems.length > 0) throw new ConfigError(problems, source);
  return { config, plan };
}

/** read file → check shape → defaults → plan → quota check. */
export function prepareDeployment(raw: unknown, source = 'config', env: NodeJS.ProcessEnv = {}): Deployment {
  return deploymentOf(prepareConfig(raw, source, env), source, env);
}

/**
 * The deployment of the config CENTRAL_AUTH_CONFIG selects (modules/config/select.ts); `log` gets
 * the one line saying which config that is, before anything is checked.
 */
export function loadDeployment(
  env: NodeJS.ProcessEnv = process.env,
  options: SelectOptions & { readonly log?: (line: string) => void } = {},
): Deployment {
  const selection = selectConfig(env, options);
  options.log?.(selection.line);
  return withLocations(selection.locate, () => prepareDeployment(selection.raw, selection.source, env));
}

/** The deployment of one config file. */
export function loadDeploymentFile(file: string): Deployment {
  const { raw, source, locate } = readConfigFile(file);
  return withLocations(locate, () => prepareDeployment(raw, source));
}
