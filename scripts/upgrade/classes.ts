/**
 * Every resource type the stacks create, sorted into what an upgrade may and may not replace.
 * Shared by the upgrade check (__tests__/scripts/upgrade.test.ts) and the PR plan comment, so the
 * review refuses exactly what the test refuses. A type in none of the lists fails the upgrade test.
 */
import type { StatefulClass } from './types';

/**
 * Never destroyed or replaced by an upgrade: each holds users, sessions, data, or something other
 * stacks, DNS or people point at by id. `holds` completes "this change would destroy …".
 */
export const STATEFUL: Readonly<Record<string, StatefulClass>> = {
  aws_cognito_user_pool: { holds: 'the user pool: every user, their passwords and their MFA' },
  aws_cognito_user_pool_domain: { holds: 'the sign-in domain: every sign-in page and callback goes through it' },
  aws_cognito_user_pool_client: { holds: 'an app client: a new client id and secret sign everybody out of its hosts' },
  aws_cognito_user_group: { holds: 'a user group: every membership in it' },
  aws_cognito_identity_provider: { holds: "an identity provider: every federated user's link to it" },
  aws_cognito_resource_server: { holds: "the resource server: the scopes machine clients' tokens carry" },
  aws_lb: { holds: 'the ALB: its DNS name, which every host aliases' },
  aws_lb_listener: { holds: 'a listener of the ALB: its rules and certificates hang on it' },
  aws_security_group: { holds: 'a security group: other groups and network interfaces refer to it' },
  aws_acm_certificate: { holds: 'a certificate: the listener or the sign-in domain serves it' },
  aws_s3_bucket: { holds: 'a bucket: its objects (access logs)' },
  aws_kms_key: { holds: 'a KMS key: what it encrypted (scheduled deletion)' },
  aws_secretsmanager_secret: { holds: "a secret: a machine client's credentials" },
  aws_sns_topic: { holds: 'the alarm topic: every confirmed subscription' },
  aws_sns_topic_subscription: { holds: 'an alarm subscription: its confirmation (a new one must be confirmed by mail)' },
  aws_wafv2_web_acl: { holds: 'the web ACL: the ALB and the user pool are associated with it' },
  aws_cloudwatch_log_group: { holds: 'a log group: its logs' },
  // Replaced, an association is deleted before it is created again (a second one would take over the
  // resource, and deleting the old one would then remove it), so the front door runs without the ACL.
  aws_wafv2_web_acl_association: { holds: 'a web ACL association: between its delete and create, the ALB or the user pool has no web ACL' },
  aws_eks_access_entry: { holds: "a CI role's access entry: the role that runs the apply may lose the cluster mid-apply" },
  kubernetes_namespace_v1: { holds: 'a namespace: everything in it is deleted with it' },
  helm_release: { holds: 'a Helm release: a replacement uninstalls it (the router, its NLB, Grafana and its volume)' },
};

/**
 * Replaceable only when the new one is created first (`create_before_destroy`) and nothing outside
 * the stack refers to them: each line says what breaks otherwise.
 */
export const ORDERED: Readonly<Record<string, string>> = {
  aws_lb_target_group: 'the listener forwards to it, and AWS refuses to delete a target group in use',
};

/**
 * Replaceable when nothing outside the stack refers to them: Terraform orders their replacement
 * inside the stack. Each line says why replacing one loses nothing.
 */
export const STATELESS: Readonly<Record<string, string>> = {
  aws_acm_certificate_validation: 'a wait for issuance, no AWS object',
  aws_cloudwatch_dashboard: 'recreated from its body',
  aws_cloudwatch_metric_alarm: 'recreated from its settings; its history is lost, not its meaning',
  aws_cognito_log_delivery_configuration: 'a setting of the pool',
  aws_cognito_managed_login_branding: 'recreated from the branding file',
  aws_ec2_subnet_cidr_reservation: 'a reservation of addresses, recreated the same',
  aws_eks_access_policy_association: 'access of a CI role, recreated the same',
  aws_iam_role: 'a role of a function in the same stack',
  aws_iam_role_policy: 'a policy of a role in the same stack',
  aws_lambda_function: 'code, recreated from its zip',
  aws_lambda_permission: 'a grant, recreated the same',
  aws_lb_listener_certificate: 'a certificate binding, recreated the same',
  aws_lb_listener_rule: 'a rule, recreated from its settings',
  aws_lb_target_group_attachment: 'a target registration',
  aws_route53_record: 'a record, recreated with the same name and value',
  aws_s3_bucket_lifecycle_configuration: 'a setting of the bucket',
  aws_s3_bucket_ownership_controls: 'a setting of the bucket',
  aws_s3_bucket_policy: 'a setting of the bucket',
  aws_s3_bucket_public_access_block: 'a setting of the bucket',
  aws_s3_bucket_server_side_encryption_configuration: 'a setting of the bucket',
  aws_secretsmanager_secret_version: 'a value, rewritten from its client',
  aws_security_group_rule: 'a rule of a group',
  aws_sns_topic_policy: 'a setting of the topic',
  aws_vpc_security_group_egress_rule: 'a rule of a group',
  aws_vpc_security_group_ingress_rule: 'a rule of a group',
  aws_wafv2_web_acl_logging_configuration: 'a setting of the web ACL',
  kubernetes_config_map_v1: 'files, recreated from the repository',
  kubernetes_deployment_v1: 'pods, recreated from their spec',
  kubernetes_horizontal_pod_autoscaler_v2: 'scaling, recreated from its spec',
  kubernetes_priority_class_v1: 'a priority, recreated the same (running pods keep theirs)',
  kubernetes_ingress_v1: 'routing, recreated from its spec',
  kubernetes_network_policy_v1: 'a policy, recreated from its spec',
  kubernetes_pod_disruption_budget_v1: 'a budget, recreated from its spec',
  kubernetes_service_v1: 'a Service, recreated from its spec',
};

/**
 * A host's alias record is stateful although records are not: replaced, it is deleted before it is
 * created (two records cannot share a name and type), and resolvers cache the gap (NXDOMAIN) for
 * the zone's negative TTL. Validation records and the like stay replaceable.
 */
export const ALIAS_RECORD: StatefulClass = { holds: "a host's alias record: deleted first, and resolvers cache the gap" };

/** What a resource holds if it must never be destroyed or replaced, judged by its type and body. */
export function statefulClass(type: string, body: { readonly alias?: unknown } | undefined): StatefulClass | undefined {
  if (type === 'aws_route53_record' && body?.alias !== undefined && body.alias !== null) return ALIAS_RECORD;
  return STATEFUL[type];
}

/** The type of an address (`aws_lb.alb` → `aws_lb`). */
export const typeOf = (address: string): string => address.slice(0, address.indexOf('.'));
