// Reads what the IAM policies depend on from synthesized stacks (<dir>/stacks/<stack>/cdk.tf.json):
// every resource and data block with the region it lives in, the state backend, the remote states a
// stack reads, and how the providers authenticate. Only reads: no AWS call, no config parsing.
import * as fs from 'fs';
import * as path from 'path';
import type { Backend, Block, StackFacts } from './types';

type Json = Record<string, any>;

export class StackReadError extends Error {}

/** A string Terraform takes as it is: no interpolation or template sequence in it. */
export const isLiteral = (value: unknown): value is string => typeof value === 'string' && !/[$%]\{/.test(value);

/** The stacks synthesized into `outdir`, in name order. */
export function readStacks(outdir: string): StackFacts[] {
  const dir = path.join(outdir, 'stacks');
  if (!fs.existsSync(dir)) throw new StackReadError(`${outdir} holds no stacks/ folder: not a cdktf output`);
  const names = fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(dir, d.name, 'cdk.tf.json')))
    .map((d) => d.name)
    .sort();
  if (names.length === 0) throw new StackReadError(`${dir} holds no <stack>/cdk.tf.json`);
  return names.map((name) => readStack(name, JSON.parse(fs.readFileSync(path.join(dir, name, 'cdk.tf.json'), 'utf8'))));
}

/** One stack's facts from its Terraform JSON. */
export function readStack(name: string, json: Json): StackFacts {
  const aws = (json.provider?.aws ?? []) as Json[];
  const primary = aws.find((p) => p.alias === undefined);
  if (!primary || !isLiteral(primary.region)) throw new StackReadError(`stack ${name}: no AWS provider with a literal region`);
  const aliasRegions = new Map(aws.filter((p) => p.alias !== undefined).map((p) => [`aws.${p.alias}`, p.region as unknown]));
  checkClusterAuth(name, json.provider ?? {});

  const blocks: Block[] = [];
  for (const kind of ['resource', 'data'] as const) {
    for (const [type, byName] of Object.entries<Json>(json[kind] ?? {})) {
      for (const [blockName, body] of Object.entries<Json>(byName)) {
        // hashicorp/aws 6 manages a resource in another region through its `region` argument;
        // an aliased provider is the older way to say the same.
        const region = body.region ?? aliasRegions.get(body.provider) ?? primary.region;
        if (!isLiteral(region)) throw new StackReadError(`stack ${name}: ${type}.${blockName} has no literal region`);
        blocks.push({ stack: name, kind, type, name: blockName, body, region });
      }
    }
  }
  const remoteStates = blocks
    .filter((b) => b.type === 'terraform_remote_state' && b.body.backend === 's3')
    .map((b) => ({ bucket: String((b.body.config as Json).bucket), key: String((b.body.config as Json).key) }));
  return {
    name,
    backend: backendOf(name, json.terraform?.backend ?? {}, primary.region),
    region: primary.region,
    defaultTags: Object.assign({}, ...((primary.default_tags ?? []) as Json[]).map((t) => t.tags ?? {})),
    blocks,
    removedTypes: ((json.removed ?? []) as Json[]).map((r) => String(r.from).split('.')[0]!),
    remoteStates,
  };
}

function backendOf(stack: string, backend: Json, region: string): Backend {
  if (backend.s3) {
    const s3 = backend.s3 as Json;
    for (const key of ['bucket', 'key']) {
      if (!isLiteral(s3[key])) throw new StackReadError(`stack ${stack}: the S3 backend has no literal ${key}`);
    }
    return {
      type: 's3',
      bucket: s3.bucket,
      key: s3.key,
      region: s3.region ?? region,
      lockfile: s3.use_lockfile === true,
      ...(s3.dynamodb_table ? { dynamodbTable: s3.dynamodb_table } : {}),
    };
  }
  if (backend.local || Object.keys(backend).length === 0) return { type: 'local' };
  throw new StackReadError(`stack ${stack}: backend ${Object.keys(backend).join(', ')} is neither local nor s3`);
}

/**
 * The Kubernetes and Helm providers reach EKS with `aws eks get-token`: a presigned
 * sts:GetCallerIdentity URL, which needs no IAM permission (AWS STS API reference, GetCallerIdentity);
 * the cluster then admits the role by its access entry. Any other way to authenticate could need
 * actions no map entry grants, so it is refused rather than guessed.
 */
function checkClusterAuth(stack: string, providers: Json): void {
  for (const type of ['kubernetes', 'helm']) {
    for (const provider of (providers[type] ?? []) as Json[]) {
      const settings = (type === 'helm' ? provider.kubernetes : provider) as Json | undefined;
      const execs = ([] as Json[]).concat(settings?.exec ?? []);
      const viaGetToken =
        execs.length === 1 && execs[0]!.command === 'aws' && execs[0]!.args?.[0] === 'eks' && execs[0]!.args?.[1] === 'get-token';
      if (!viaGetToken) throw new StackReadError(`stack ${stack}: the ${type} provider does not authenticate with \`aws eks get-token\``);
    }
  }
}
