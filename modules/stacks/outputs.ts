import { createHash } from 'crypto';

/**
 * Stack names and the outputs each stack publishes. Producer and consumer share these
 * constants, so a rename is a compile error rather than a silently empty remote-state read.
 */
export const STACKS = {
  auth: 'auth',
  cluster: 'cluster',
  edge: 'edge',
} as const;

export type StackName = (typeof STACKS)[keyof typeof STACKS];

/**
 * Apply order: each stack reads only the remote state of stacks before it. There is no
 * separate certificates stack: a certificate's replacement must be ordered against the listener
 * that uses it (ACM refuses to delete a certificate in use), so certificates live with the listener.
 */
export const APPLY_ORDER: readonly StackName[] = [STACKS.auth, STACKS.cluster, STACKS.edge];

/** Every producing stack publishes a fingerprint of what it publishes (see outputsContract). */
export const CONTRACT_OUTPUT = 'outputs_contract';

/**
 * Every consuming stack publishes the upstream stacks it was planned against placeholders for:
 * an upstream state older than this code (a new output, a new app client, a new environment).
 * The PR plan comment reports such a stack as waiting for the upstream apply.
 */
export const PLACEHOLDERS_OUTPUT = 'upstream_placeholders';

export const AUTH_OUTPUTS = {
  userPoolId: 'user_pool_id',
  userPoolArn: 'user_pool_arn',
  issuerUrl: 'issuer_url',
  jwksUrl: 'jwks_url',
  /** `<prefix>.auth.<region>.amazoncognito.com` */
  domain: 'cognito_domain',
  logoutEndpoint: 'logout_endpoint',
  /** Map of app client key (see modules/plan/routing.ts) to client id. Never the secrets. */
  clientIds: 'client_ids',
} as const;

/**
 * What the auth stack publishes for people and CI jobs, read by no other stack (so outside the
 * contract): published only when some app takes bearer tokens.
 */
export const AUTH_MACHINE_OUTPUTS = {
  /** `https://<sign-in domain>/oauth2/token`, where machine clients get their tokens. */
  tokenEndpoint: 'token_endpoint',
  /** Map of machine client name to the ARN of the Secrets Manager secret holding its id and secret. Never the secrets. */
  machineClientSecretArns: 'machine_client_secret_arns',
} as const;

export const CLUSTER_OUTPUTS = {
  /** The internal NLB's security group: the edge stack admits the ALB's group to it. */
  ingressSecurityGroupId: 'ingress_security_group_id',
} as const;

export const EDGE_OUTPUTS = {
  albArn: 'alb_arn',
  albDnsName: 'alb_dns_name',
  hosts: 'hosts',
} as const;

/** Cognito app client ids are 26 lowercase letters and digits (CreateUserPoolClient). */
export const PLACEHOLDER_CLIENT_ID = 'placeholder000000000000000';

/**
 * Values a consumer plans with while its upstream state lacks an output. Each passes the
 * provider's own validation (ARN, URL and id formats), so such a plan runs to the end and shows
 * everything else; the contract check makes sure nobody mistakes it for the real plan.
 */
export function authPlaceholders(region: string, clientKeys: readonly string[]): Record<string, unknown> {
  const poolId = `${region}_placehold`;
  const issuer = `https://cognito-idp.${region}.amazonaws.com/${poolId}`;
  const domain = `placeholder.auth.${region}.amazoncognito.com`;
  return {
    [AUTH_OUTPUTS.userPoolId]: poolId,
    [AUTH_OUTPUTS.userPoolArn]: `arn:aws:cognito-idp:${region}:000000000000:userpool/${poolId}`,
    [AUTH_OUTPUTS.issuerUrl]: issuer,
    [AUTH_OUTPUTS.jwksUrl]: `${issuer}/.well-known/jwks.json`,
    [AUTH_OUTPUTS.domain]: domain,
    [AUTH_OUTPUTS.logoutEndpoint]: `https://${domain}/logout`,
    [AUTH_OUTPUTS.clientIds]: Object.fromEntries(clientKeys.map((k) => [k, PLACEHOLDER_CLIENT_ID])),
  };
}

export function clusterPlaceholders(): Record<string, unknown> {
  return { [CLUSTER_OUTPUTS.ingressSecurityGroupId]: 'sg-00000000000000000' };
}

/**
 * A fingerprint of what a stack publishes: its output names and the keys inside its map outputs
 * (app client keys). The producer publishes it; each consumer computes the one it expects from
 * the same plan, so a mismatch means the upstream state predates this code.
 */
export function outputsContract(stack: StackName, outputs: readonly string[], keys: readonly string[] = []): string {
  const text = `${stack}\n${[...outputs].sort().join(',')}\n${[...keys].sort().join(',')}`;
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

export function authContract(clientKeys: readonly string[]): string {
  return outputsContract(STACKS.auth, Object.values(AUTH_OUTPUTS), clientKeys);
}

export function clusterContract(): string {
  return outputsContract(STACKS.cluster, Object.values(CLUSTER_OUTPUTS));
}
