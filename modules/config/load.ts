import { readFileSync } from 'fs';
import { extname } from 'path';
import { parse as parseYaml } from 'yaml';
import { EXAMPLE_CONFIG } from './example';
import { checkCapacity } from '../plan/capacity';
import { resolveConfig, type ResolvedConfig } from './defaults';
import { ConfigError, validateConfig } from './validate';

/** Environment variable that selects the config file. */
export const CONFIG_ENV_VAR = 'CENTRAL_AUTH_CONFIG';
/** cdktf context key (cdktf.json "context") that selects the config file. */
export const CONFIG_CONTEXT_KEY = 'centralAuthConfig';

/** Reads, parses and validates a JSON or YAML config file. */
export function loadConfigFile(file: string): ResolvedConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError([
      { field: CONFIG_ENV_VAR, value: file, rule: `cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})` },
    ]);
  }
  let raw: unknown;
  try {
    raw = ['.yaml', '.yml'].includes(extname(file).toLowerCase()) ? parseYaml(text) : JSON.parse(text);
  } catch (err) {
    throw new ConfigError([
      {
        field: file,
        value: extname(file),
        rule: `is not valid ${extname(file).slice(1).toUpperCase() || 'JSON'}: ${(err as Error).message.split('\n')[0]}`,
      },
    ]);
  }
  return prepareConfig(raw, `config ${file}`);
}

/** Validation, defaults, then the AWS quota check: every way a config can be refused. */
export function prepareConfig(raw: unknown, source = 'config'): ResolvedConfig {
  const config = resolveConfig(validateConfig(raw, source));
  const problems = checkCapacity(config);
  if (problems.length > 0) throw new ConfigError(problems, source);
  return config;
}

/** The config file named by the env var or context value, else the embedded example. */
export function loadConfig(contextValue?: unknown, env: NodeJS.ProcessEnv = process.env): ResolvedConfig {
  const file = env[CONFIG_ENV_VAR] || (typeof contextValue === 'string' ? contextValue : undefined);
  return file ? loadConfigFile(file) : prepareConfig(EXAMPLE_CONFIG, 'embedded example config');
}
