import type { ResolvedConfig } from './config/defaults';
import { APPLYING_ENV_VAR, flagSet, prepareConfig, readConfigFile, selectConfig } from './config/load';
import { ConfigError } from './config/errors';
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

/** The deployment of the config named by the env var or cdktf context, else of the embedded example. */
export function loadDeployment(contextValue?: unknown, env: NodeJS.ProcessEnv = process.env): Deployment {
  const { raw, source } = selectConfig(contextValue, env);
  return prepareDeployment(raw, source, env);
}

/** The deployment of one config file. */
export function loadDeploymentFile(file: string): Deployment {
  const { raw, source } = readConfigFile(file);
  return prepareDeployment(raw, source);
}
