/**
 * Stack names and the outputs each stack publishes. Producer and consumer share these
 * constants, so a rename is a compile error rather than a silently empty remote-state read.
 */
export const STACKS = {
  auth: 'auth',
  certs: 'certs',
  cluster: 'cluster',
  edge: 'edge',
} as const;

export type StackName = (typeof STACKS)[keyof typeof STACKS];

/** Apply order: each stack reads only the remote state of stacks before it. */
export const APPLY_ORDER: readonly StackName[] = [STACKS.auth, STACKS.certs, STACKS.cluster, STACKS.edge];

export const AUTH_OUTPUTS = {
  userPoolId: 'user_pool_id',
  userPoolArn: 'user_pool_arn',
  issuerUrl: 'issuer_url',
  jwksUrl: 'jwks_url',
  domain: 'cognito_domain',
  authorizationEndpoint: 'authorization_endpoint',
  tokenEndpoint: 'token_endpoint',
  userInfoEndpoint: 'userinfo_endpoint',
  logoutEndpoint: 'logout_endpoint',
  /** App client ids, in client index order (see planRouting). */
  clientIds: 'client_ids',
  /** Sensitive, same order: read through remote state by the edge stack only. */
  clientSecrets: 'client_secrets',
} as const;

export const CERTS_OUTPUTS = {
  /** Map of certificate key (see modules/plan/certificates.ts) to validated certificate ARN. */
  certificateArns: 'certificate_arns',
} as const;

export const CLUSTER_OUTPUTS = {
  albSecurityGroupId: 'alb_security_group_id',
  ingressSecurityGroupId: 'ingress_security_group_id',
  /** Tags that identify the ingress-nginx internal NLB created by the AWS Load Balancer Controller. */
  ingressNlbTags: 'ingress_nlb_tags',
} as const;

export const EDGE_OUTPUTS = {
  albArn: 'alb_arn',
  albDnsName: 'alb_dns_name',
  hosts: 'hosts',
} as const;
