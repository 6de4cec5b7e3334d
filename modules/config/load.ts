import { readFileSync } from 'fs';
import { extname } from 'path';
import { parse as parseYaml } from 'yaml';
import { type ResolvedConfig, resolveConfig } from './defaults';
import { EXAMPLE_CONFIG } from './example';
import { ConfigError } from './errors';
import { validateConfig } from './validate';

/** Environment variable that selects the config file. */
export const CONFIG_ENV_VAR = 'CENTRAL_AUTH_CONFIG';
/** cdktf context key (cdktf.json "context") that selects the config file. */
export const CONFIG_CONTEXT_KEY = 'centralAuthConfig';

/** A config as read, before validation, and what to call it in messages. */
export interface RawConfig {
  readonly raw: unknown;
  /** `config <file>` or `embedded example config`. */
  readonly source: string;
}

/** Reads and parses a JSON or YAML config file. */
export function readConfigFile(file: string): RawConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError([
      { field: CONFIG_ENV_VAR, value: file, rule: `cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})` },
    ]);
  }
  try {
    const raw: unknown = ['.yaml', '.yml'].includes(extname(file).toLowerCase()) ? parseYaml(text) : JSON.parse(text);
    return { raw, source: `config ${file}` };
  } catch (err) {
    throw new ConfigError([
      {
        field: file,
        value: extname(file),
        rule: `is not valid ${extname(file).slice(1).toUpperCase() || 'JSON'}: ${(err as Error).message.split('\n')[0]}`,
      },
    ]);
  }
}

/** The config file named by the env var or context value, else the embedded example. */
export function selectConfig(contextValue?: unknown, env: NodeJS.ProcessEnv = process.env): RawConfig {
  const file = env[CONFIG_ENV_VAR] || (typeof contextValue === 'string' ? contextValue : undefined);
  return file ? readConfigFile(file) : { raw: EXAMPLE_CONFIG, source: 'embedded example config' };
}

/** Set in CI plan and deploy jobs: a config there must keep its state in S3, never on the runner. */
export const REQUIRE_REMOTE_STATE_ENV_VAR = 'CENTRAL_AUTH_REQUIRE_REMOTE_STATE';

/** Validation, then defaults (applied here and nowhere else). */
export function prepareConfig(raw: unknown, source = 'config', env: NodeJS.ProcessEnv = {}): ResolvedConfig {
  const config = resolveConfig(validateConfig(raw, source));
  if (env[REQUIRE_REMOTE_STATE_ENV_VAR] && config.state.backend !== 's3') {
    throw new ConfigError(
      [
        {
          field: 'state.backend',
          value: config.state.backend,
          rule: `must be "s3" when ${REQUIRE_REMOTE_STATE_ENV_VAR} is set: a plan or deploy in CI against local state would start from nothing and lose what it applied`,
        },
      ],
      source,
    );
  }
  return config;
}

/** Reads, parses, validates and resolves a JSON or YAML config file. */
export function loadConfigFile(file: string): ResolvedConfig {
  const { raw, source } = readConfigFile(file);
  return prepareConfig(raw, source);
}

/** The selected config (see selectConfig), validated and resolved. */
export function loadConfig(contextValue?: unknown, env: NodeJS.ProcessEnv = process.env): ResolvedConfig {
  const { raw, source } = selectConfig(contextValue, env);
  return prepareConfig(raw, source, env);
}
