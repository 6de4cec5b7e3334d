import {
  DataTerraformRemoteStateLocal,
  DataTerraformRemoteStateS3,
  TerraformRemoteState,
  LocalBackend,
  S3Backend,
  type TerraformStack,
} from 'cdktf';
import type { Construct } from 'constructs';
import type { StackName } from './outputs';
import type { SharedPlan } from '../plan/types';

/** Stack working dirs are cdktf.out/stacks/<name>; local state paths are relative to them. */
export const PROJECT_ROOT_FROM_STACK_DIR = '../../..';

function localStatePath(config: SharedPlan, stack: StackName): string {
  const dir = config.state.backend === 'local' ? (config.state.directory ?? '.state') : '.state';
  return `${PROJECT_ROOT_FROM_STACK_DIR}/${dir}/${config.environment}/${stack}.tfstate`;
}

function s3Key(prefix: string | undefined, environment: string, stack: StackName): string {
  return `${prefix ?? 'central-auth'}/${environment}/${stack}.tfstate`;
}

/** Gives a stack its own state: one S3 key (encrypted, locked) or one local file per stack. */
export function configureBackend(stack: TerraformStack, name: StackName, config: SharedPlan): void {
  const { state } = config;
  if (state.backend === 'local') {
    new LocalBackend(stack, { path: localStatePath(config, name) });
    return;
  }
  const backend = new S3Backend(stack, {
    bucket: state.bucket,
    key: s3Key(state.keyPrefix, config.environment, name),
    region: state.region ?? config.region,
    encrypt: true,
    dynamodbTable: state.dynamodbTable,
  });
  // Terraform >= 1.10 locks with a lock object in S3; cdktf 0.21's typed config predates it.
  if (!state.dynamodbTable) backend.addOverride('use_lockfile', true);
}

/**
 * Reads another stack's outputs through its state, the only link between stacks. `defaults`
 * stand in for outputs the state does not have yet (Terraform's terraform_remote_state merges
 * them under the real outputs), so a stack can be planned before its upstream is applied.
 */
export function remoteStateOf(
  scope: Construct,
  name: StackName,
  config: SharedPlan,
  defaults: Record<string, unknown>,
): TerraformRemoteState {
  const { state } = config;
  const id = `remote-state-${name}`;
  if (state.backend === 'local') {
    return new DataTerraformRemoteStateLocal(scope, id, { path: localStatePath(config, name), defaults });
  }
  return new DataTerraformRemoteStateS3(scope, id, {
    bucket: state.bucket,
    key: s3Key(state.keyPrefix, config.environment, name),
    region: state.region ?? config.region,
    defaults,
  });
}
