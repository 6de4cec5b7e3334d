/** Synthesizes today's stacks for a config file, in process, and reduces them to a ReleaseRecord. */
import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdktf';
import { addCentralAuthStacks } from '../../modules/app';
import { loadDeploymentFile } from '../../modules/deployment';
import { reduceStack } from './reduce';
import type { JsonObject, ReleaseRecord } from './types';

/** The Terraform JSON of each stack for one config file, as `cdktf synth` writes it. */
export function synthesizeStacks(configFile: string): Record<string, JsonObject> {
  const app = Testing.app({ stackTraces: false });
  const stacks = addCentralAuthStacks(app, loadDeploymentFile(configFile), { policyLog: () => {} });
  // What app.synth() does first; Testing.synth alone skips it.
  for (const stack of Object.values(stacks)) stack.prepareStack();
  return Object.fromEntries(Object.entries(stacks).map(([name, stack]) => [name, JSON.parse(Testing.synth(stack, true))]));
}

/** A record from Terraform JSON per stack. */
export function recordOf(version: string, config: string, stacks: Record<string, JsonObject>): ReleaseRecord {
  return {
    version,
    config,
    stacks: Object.fromEntries(
      Object.keys(stacks)
        .sort()
        .map((name) => [name, reduceStack(stacks[name]!)]),
    ),
  };
}

/** A record from a `cdktf synth` output folder (`<dir>/stacks/<stack>/cdk.tf.json`), e.g. an old release's. */
export function recordOfOutdir(version: string, config: string, outdir: string): ReleaseRecord {
  const stacksDir = path.join(outdir, 'stacks');
  const names = fs.readdirSync(stacksDir).filter((n) => fs.existsSync(path.join(stacksDir, n, 'cdk.tf.json')));
  return recordOf(
    version,
    config,
    Object.fromEntries(names.map((n) => [n, JSON.parse(fs.readFileSync(path.join(stacksDir, n, 'cdk.tf.json'), 'utf8'))])),
  );
}
