/**
 * The stacks the checks expect: the selected config synthesized into a temporary folder with the
 * project's own runner (scripts/synth-runner.ts), read back from `stacks/<stack>/cdk.tf.json`,
 * plus the sign-out function's config.json out of its packaged zip. The folder is removed after.
 */
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { dirname, join, posix } from 'path';
import { inflateRawSync } from 'zlib';
import { runSynth } from '../synth-runner';
import { parseReference, resourcesOf } from './terraform';
import type { SignoutFileConfig, StackJson, SynthesizedStacks } from './types';

/** Synthesizes the config `env` selects (CENTRAL_AUTH_CONFIG) from the project at `cwd`. */
export async function synthesize(env: NodeJS.ProcessEnv, cwd: string): Promise<SynthesizedStacks> {
  const outdir = mkdtempSync(join(tmpdir(), 'central-auth-smoke-'));
  try {
    // The synth's own lines (config, policy echoes) are not the smoke check's output; a failure
    // still carries the tail of its stderr in the error.
    await runSynth({ cwd, outdir, env, log: () => {} });
    return readStacks(outdir);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** The stacks of a synth output folder. */
export function readStacks(outdir: string): SynthesizedStacks {
  const read = (stack: string): StackJson => JSON.parse(readFileSync(join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8'));
  const edge = read('edge');
  const signoutConfig = signoutConfigOf(edge, join(outdir, 'stacks', 'edge'));
  return { auth: read('auth'), edge, ...(signoutConfig ? { signoutConfig } : {}) };
}

/**
 * config.json of the function behind the edge stack's Lambda target group: the zip sits at the
 * function's `filename`, the config beside its handler file (`lambda/signout/index.handler` →
 * `lambda/signout/config.json`).
 */
function signoutConfigOf(edge: StackJson, stackDir: string): SignoutFileConfig | undefined {
  const lambdaGroups = new Set(resourcesOf(edge, 'aws_lb_target_group').flatMap(([id, tg]) => (tg.target_type === 'lambda' ? [id] : [])));
  for (const [, attachment] of resourcesOf(edge, 'aws_lb_target_group_attachment')) {
    const group = parseReference(attachment.target_group_arn);
    const target = parseReference(attachment.target_id);
    if (!group || !lambdaGroups.has(group.name) || target?.type !== 'aws_lambda_function') continue;
    const fn = edge.resource?.aws_lambda_function?.[target.name];
    if (typeof fn?.filename !== 'string' || typeof fn.handler !== 'string') continue;
    const entry = posix.join(dirname(fn.handler.replace(/\\/g, '/')), 'config.json');
    const data = zipEntry(readFileSync(join(stackDir, fn.filename)), entry);
    if (data) return JSON.parse(data.toString('utf8')) as SignoutFileConfig;
  }
  return undefined;
}

/** One file of a zip (stored or deflated), found through the central directory. */
export function zipEntry(zip: Buffer, name: string): Buffer | undefined {
  // The end-of-central-directory record is the last 22 bytes plus a comment of up to 64 KiB.
  let end = -1;
  for (let at = zip.length - 22; at >= Math.max(0, zip.length - 22 - 0xffff); at--) {
    if (zip.readUInt32LE(at) === 0x06054b50) {
      end = at;
      break;
    }
  }
  if (end < 0) throw new Error('not a zip file (no end of central directory)');
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error('corrupt zip central directory');
    const method = zip.readUInt16LE(at + 10);
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const skip = nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    if (zip.toString('utf8', at + 46, at + 46 + nameLength) === name) {
      const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      const raw = zip.subarray(start, start + size);
      if (method === 0) return Buffer.from(raw);
      if (method === 8) return inflateRawSync(raw);
      throw new Error(`zip entry ${name} uses compression method ${method}`);
    }
    at += 46 + skip;
  }
  return undefined;
}
