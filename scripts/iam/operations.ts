import type { Grants } from './types';

/**
 * What the deploy job runs with the deploy role besides Terraform: `npm run smoke` after the last
 * stack (scripts/smoke/aws.ts). Its lookups are read-only: the pool by name (ListUserPools, which
 * takes no resource), its app clients, the ALB by name, and the web ACLs associated with both.
 * `--with-machine-token` (DescribeUserPoolClient, which returns the client secret) is not granted:
 * CI never asks for a token.
 */
export const SMOKE_CHECK: Grants = {
  any: ['cognito-idp:ListUserPools', 'elasticloadbalancing:DescribeLoadBalancers'],
  'cognito-user-pool': ['cognito-idp:ListUserPoolClients'],
  'cognito-web-acl': ['cognito-idp:GetWebACLForResource'],
  'wafv2-protected': ['wafv2:GetWebACLForResource'],
};
