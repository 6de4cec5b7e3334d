// The state backend's statements: what Terraform's S3 backend calls (hashicorp/terraform
// internal/backend/remote-state/s3, backend_state.go and client.go), for the stacks' own states and
// the upstream states they read through terraform_remote_state. A local backend needs none.
import type { Role, StackFacts, Statement } from './types';

/**
 * `terraform init`, and every terraform_remote_state read, list the workspaces: ListObjects under
 * the workspace key prefix, `env:` unless configured (Backend.Workspaces). That is the only listing.
 */
export const WORKSPACE_PREFIX = 'env:/';

/** Suffix of the S3 lock file (use_lockfile) and of the DynamoDB digest item (client.go). */
const LOCK_FILE = '.tflock';
const DIGEST_ITEM = '-md5';

const sorted = (values: Iterable<string>): string[] => [...new Set(values)].sort();

export function stateStatements(stacks: readonly StackFacts[], role: Role, partition: string, account: string): Statement[] {
  const s3 = stacks.flatMap((s) => (s.backend.type === 's3' ? [{ stack: s, backend: s.backend }] : []));
  if (s3.length === 0) return [];
  const own = s3.map(({ backend }) => `${backend.bucket}/${backend.key}`);
  const read = sorted([...own, ...stacks.flatMap((s) => s.remoteStates.map((r) => `${r.bucket}/${r.key}`))]);
  const buckets = sorted(read.map((object) => object.slice(0, object.indexOf('/'))));
  const object = (path: string) => `arn:${partition}:s3:::${path}`;
  const statements: Statement[] = [
    {
      Sid: 'StateBucketList',
      Effect: 'Allow',
      Action: ['s3:ListBucket'],
      Resource: buckets.map(object),
      Condition: { StringEquals: { 's3:prefix': [WORKSPACE_PREFIX] } },
    },
    // HeadObject, which Terraform calls before GetObject, is authorized as s3:GetObject. The plan
    // job reads every state; only the deploy job writes its stacks' own.
    {
      Sid: 'StateObjects',
      Effect: 'Allow',
      Action: role === 'deploy' ? ['s3:GetObject', 's3:PutObject'] : ['s3:GetObject'],
      Resource: (role === 'deploy' ? sorted([...read, ...own]) : read).map(object),
    },
  ];
  if (role === 'deploy') {
    // Lock: HeadObject + GetObject to see whether it is held, PutObject to take it, DeleteObject to
    // release it. Plans run with -lock=false and never touch it.
    const lockFiles = s3.filter(({ backend }) => backend.lockfile).map(({ backend }) => `${backend.bucket}/${backend.key}${LOCK_FILE}`);
    if (lockFiles.length) {
      statements.push({
        Sid: 'StateLockFile',
        Effect: 'Allow',
        Action: ['s3:DeleteObject', 's3:GetObject', 's3:PutObject'],
        Resource: sorted(lockFiles).map(object),
      });
    }
  }
  // DynamoDB locking: the lock item `<bucket>/<key>`, and the state digest `<bucket>/<key>-md5` that
  // every read compares (a refused read only logs a warning, but then nothing catches a stale state).
  const tables = s3.filter(({ backend }) => backend.dynamodbTable !== undefined);
  if (tables.length) {
    const items = tables.flatMap(({ backend }) => {
      const lock = `${backend.bucket}/${backend.key}`;
      return role === 'deploy' ? [lock, `${lock}${DIGEST_ITEM}`] : [`${lock}${DIGEST_ITEM}`];
    });
    statements.push({
      Sid: 'StateLockTable',
      Effect: 'Allow',
      Action: role === 'deploy' ? ['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem'] : ['dynamodb:GetItem'],
      Resource: sorted(
        tables.map(({ backend }) => `arn:${partition}:dynamodb:${backend.region}:${account}:table/${backend.dynamodbTable}`),
      ),
      Condition: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': sorted(items) } },
    });
  }
  return statements;
}
