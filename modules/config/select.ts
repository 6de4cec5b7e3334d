import { existsSync, readFileSync } from 'fs';
import { join } from 'path';
import { ConfigError } from './errors';
import { withLocations } from './locate';
import { EXAMPLE_CONFIG } from './example';
import type { ResolvedConfig } from './defaults';
import {
  APPLYING_ENV_VAR,
  CONFIG_ENV_VAR,
  flagSet,
  prepareConfig,
  type RawConfig,
  readConfigFile,
  REQUIRE_REMOTE_STATE_ENV_VAR,
} from './load';

export { CONFIG_ENV_VAR };
/** The value of CENTRAL_AUTH_CONFIG that asks for the embedded example by name. */
export const EXAMPLE_SELECTOR = 'example';
/**
 * The cdktf context key 0.1.0–0.2.0 also read (cdktf.json "context"). `cdktf synth` honoured it but
 * `synth:fast`, `synth:hcl` and `diff` did not, so one checkout could synthesize two configs; it
 * is now refused wherever it is set, with the way that works everywhere.
 */
export const RETIRED_CONTEXT_KEY = 'centralAuthConfig';

const HOW_TO_SELECT = `set ${CONFIG_ENV_VAR}=environments/<env>.yaml (a real environment) or ${CONFIG_ENV_VAR}=${EXAMPLE_SELECTOR} (the embedded example, for development)`;

/** A selected config: what was read, and the one line every synth prints about it. */
export interface Selection extends RawConfig {
  /** The embedded example (placeholder ids): never deployed. */
  readonly example: boolean;
  /** `config: <what> (<how it was selected>)`. */
  readonly line: string;
}

export interface SelectOptions {
  /** The app's cdktf context value for the retired key (cdktf.json "context", passed by the cdktf CLI). */
  readonly contextValue?: unknown;
  /** The project folder whose cdktf.json is checked for the retired key (commands that bypass the CLI). */
  readonly cwd?: string;
}

/**
 * Whether this run acts on a real environment: a deploy (CENTRAL_AUTH_APPLYING) or a CI plan
 * (CENTRAL_AUTH_REQUIRE_REMOTE_STATE). Those never take the embedded example.
 */
export function targetsRealEnvironment(env: NodeJS.ProcessEnv): boolean {
  return flagSet(env, APPLYING_ENV_VAR) || flagSet(env, REQUIRE_REMOTE_STATE_ENV_VAR);
}

function retiredContextValue(options: SelectOptions): { where: string; value: unknown } | undefined {
  if (options.contextValue !== undefined && options.contextValue !== null) {
    return { where: `cdktf context ${RETIRED_CONTEXT_KEY}`, value: options.contextValue };
  }
  const file = options.cwd === undefined ? undefined : join(options.cwd, 'cdktf.json');
  if (file === undefined || !existsSync(file)) return undefined;
  try {
    const context = (JSON.parse(readFileSync(file, 'utf8')) as { context?: Record<string, unknown> }).context;
    const value = context?.[RETIRED_CONTEXT_KEY];
    return value === undefined ? undefined : { where: `cdktf.json context.${RETIRED_CONTEXT_KEY}`, value };
  } catch {
    // An unreadable cdktf.json is the cdktf CLI's to report; it names no config here.
    return undefined;
  }
}

/**
 * The config selected by CENTRAL_AUTH_CONFIG: a file, or the embedded example when it says
 * `example`, or when it is unset in a development run (a synth, a diff), which says so loudly.
 * A run on a real environment (targetsRealEnvironment) refuses the example either way.
 */
export function selectConfig(env: NodeJS.ProcessEnv = process.env, options: SelectOptions = {}): Selection {
  const retired = retiredContextValue(options);
  if (retired) {
    throw new ConfigError([
      {
        field: retired.where,
        value: typeof retired.value === 'string' ? retired.value : JSON.stringify(retired.value),
        rule: `is no longer read (0.3.0): every command selects its config the same way; remove the key and ${HOW_TO_SELECT}`,
      },
    ]);
  }
  const value = (env[CONFIG_ENV_VAR] ?? '').trim();
  const real = targetsRealEnvironment(env);
  if (value === '' || value === EXAMPLE_SELECTOR) {
    if (real) {
      throw new ConfigError([
        {
          field: CONFIG_ENV_VAR,
          value: value === '' ? '(not set)' : value,
          rule: `must name a real environment's config for a deploy or a CI plan: the embedded example has placeholder ids; set ${CONFIG_ENV_VAR}=environments/<env>.yaml`,
        },
      ]);
    }
    return {
      raw: EXAMPLE_CONFIG,
      source: 'embedded example config',
      example: true,
      line:
        value === ''
          ? `config: the embedded example (placeholder ids, development only), because ${CONFIG_ENV_VAR} is not set: ${HOW_TO_SELECT}`
          : `config: the embedded example (${CONFIG_ENV_VAR}=${EXAMPLE_SELECTOR}; placeholder ids, development only)`,
    };
  }
  const read = readConfigFile(value);
  return { ...read, example: false, line: `config: ${value} (${CONFIG_ENV_VAR})` };
}

/** The selected config, validated and resolved. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, options: SelectOptions = {}): ResolvedConfig {
  const { raw, source, locate } = selectConfig(env, options);
  return withLocations(locate, () => prepareConfig(raw, source, env));
}
