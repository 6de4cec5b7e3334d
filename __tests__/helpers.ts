import type { CentralAuthStacks } from '../modules/app';
import { EXAMPLE_CONFIG } from '../modules/config/example';
import { APPLYING_ENV_VAR, prepareConfig } from '../modules/config/load';
import { deploymentOf } from '../modules/deployment';
import { ConfigError } from '../modules/config/errors';
import type { ResolvedConfig } from '../modules/config/defaults';
import type { CentralAuthConfig } from '../modules/config/types';
import synthCache = require('../scripts/test/synth-cache');

/** The embedded example with some fields replaced; validated like a user's file. */
export function configWith(overrides: Partial<CentralAuthConfig> = {}): ResolvedConfig {
  return prepareConfig(structuredClone({ ...EXAMPLE_CONFIG, ...overrides }));
}

/**
 * The example plus five protected apps with a callback quota of 3 URLs per app client: seven
 * protected hosts on four app clients (`alb`, `alb-1`, `alb-2`, `alb-3`).
 */
export function configWithFourClients(): ResolvedConfig {
  const extra = ['app0', 'app1', 'app2', 'app3', 'app4'].map((name) => ({
    name,
    host: `${name}.dev.example.com`,
    access: 'protected' as const,
  }));
  return configWith({ quotas: { callbackUrlsPerAppClient: 3 }, apps: [...EXAMPLE_CONFIG.apps, ...extra] });
}

export interface Synthesized {
  readonly stacks: CentralAuthStacks;
  /** Testing.synth output per stack, for the cdktf matchers. */
  readonly json: Record<keyof CentralAuthStacks, string>;
  /** The same output parsed, for direct assertions. */
  readonly tf: Record<keyof CentralAuthStacks, TerraformJson>;
}

export interface TerraformJson {
  readonly resource: Record<string, Record<string, Record<string, any>>>;
  readonly data: Record<string, Record<string, Record<string, any>>>;
  readonly output: Record<string, { value: any; sensitive?: boolean }>;
  readonly terraform: Record<string, any>;
  readonly provider: Record<string, any[]>;
}

/**
 * The three stacks of a config, synthesized; call it at describe level, not per test. The JSON comes
 * from the run-wide synth cache when the same config was synthesized with the same sources
 * (scripts/test/synth-cache.js); `stacks` builds the constructs on first use only.
 */
export function synthAll(config: ResolvedConfig = configWith(), options: { applying?: boolean } = {}): Synthesized {
  const entry = synthCache.entryFile({ config, applying: options.applying === true });
  let built: { stacks: CentralAuthStacks; json: Synthesized['json'] } | undefined;
  const build = () => (built ??= buildAndSynth(config, options));
  const json: Synthesized['json'] = synthCache.read(entry) ?? build().json;
  if (built) synthCache.write(entry, json);
  const tf = Object.fromEntries(Object.entries(json).map(([k, v]) => [k, JSON.parse(v)])) as Synthesized['tf'];
  return {
    get stacks() {
      return build().stacks;
    },
    json,
    tf,
  };
}

function buildAndSynth(config: ResolvedConfig, options: { applying?: boolean }) {
  // Loaded here, not at the top: a suite whose synths all come from the cache never loads cdktf's
  // ~600 files and the providers' (about 0.6 s per suite under jest).
  const { Testing } = require('cdktf') as typeof import('cdktf');
  const { addCentralAuthStacks } = require('../modules/app') as typeof import('../modules/app');
  const app = Testing.app({ stackTraces: false });
  // The policy pack's echo lines are tested where they are made (policy/engine.test.ts), not printed here.
  const stacks = addCentralAuthStacks(app, deploymentOf(config, 'config', options.applying ? { [APPLYING_ENV_VAR]: '1' } : {}), {
    policyLog: () => {},
  });
  // What app.synth() does first; Testing.synth alone skips it.
  Object.values(stacks).forEach((stack) => stack.prepareStack());
  const json = {
    auth: Testing.synth(stacks.auth, true),
    cluster: Testing.synth(stacks.cluster, true),
    edge: Testing.synth(stacks.edge, true),
  };
  return { stacks, json };
}

/** All resources of one type in a stack, as a list. */
export function resourcesOf(tf: TerraformJson, type: string): Record<string, any>[] {
  return Object.values(tf.resource[type] ?? {});
}

/** The `field: value rule` lines of the ConfigError `run` throws, or [] when it does not throw. */
export function problemLines(run: () => unknown): string[] {
  try {
    run();
    return [];
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return err.message
      .split('\n')
      .slice(1)
      .map((l) => l.replace(/^ {2}- /, ''));
  }
}
