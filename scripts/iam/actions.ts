/**
 * Every resource and data source type the stacks can contain → the IAM actions hashicorp/aws v6.25.0
 * (pinned in the stacks' required_providers) calls for it, by the scope scope.ts resolves to ARNs.
 *
 * Read from the provider's source at tag v6.25.0 (the lonegunmanb/terraform-provider-aws-index
 * extract, commit add8b630ad579abe2739cec45ae7b27c103ed9c1, the one scripts/upgrade/provider-force-new.json
 * cites): for each type, the calls reachable from its Create/Read/Update/Delete functions in
 * internal/service/<service>/<type>.go, plus the transparent-tagging interceptor (it calls the
 * service's ListTags after Read unless Read set the tags itself, and UpdateTags on a tag change).
 * Calls under arguments this app never sets (IPAM pools, capacity reservations, code signing,
 * replicas, inline policies, object lock, ...) are left out. API operation names are translated to
 * IAM action names with the AWS Service Authorization Reference (S3's differ most: HeadBucket is
 * s3:ListBucket, GetBucketEncryption is s3:GetEncryptionConfiguration).
 *
 * Actions the provider does not call but AWS requires beside a call (dependent actions, tags on
 * create) carry a comment; those not seen in the provider source at all are listed in UNCONFIRMED.
 */
import type { TypeActions } from './types';

const act =
  (service: string) =>
  (names: string): string[] =>
    names.split(' ').map((n) => `${service}:${n}`);
const acm = act('acm');
const cw = act('cloudwatch');
const cognito = act('cognito-idp');
const ec2 = act('ec2');
const eks = act('eks');
const elb = act('elasticloadbalancing');
const iam = act('iam');
const kms = act('kms');
const lambda = act('lambda');
const logs = act('logs');
const r53 = act('route53');
const s3 = act('s3');
const secrets = act('secretsmanager');
const sns = act('sns');
const ssm = act('ssm');
const waf = act('wafv2');

// CloudWatch Logs vended log delivery: the service (Cognito, WAF) writes into the log group through a
// delivery and a resource policy the caller creates (Cognito developer guide, "Exporting user pool
// logs"; WAF developer guide, "Permissions to publish logs to Amazon CloudWatch Logs"). No resource
// types in the Service Authorization Reference: `*`.
const LOG_DELIVERY = logs(
  'CreateLogDelivery GetLogDelivery UpdateLogDelivery DeleteLogDelivery ListLogDeliveries PutResourcePolicy DescribeResourcePolicies DescribeLogGroups',
);

/** No AWS call: the Kubernetes and Helm providers reach the cluster's API (see read.ts, checkClusterAuth). */
const KUBERNETES: TypeActions = {};

export const TYPE_ACTIONS: Readonly<Record<string, TypeActions>> = {
  // Tags at create are authorized as AddTagsToCertificate on a certificate that has none yet, hence
  // the request-tag scope; later tag changes on the tagged certificate.
  aws_acm_certificate: {
    read: { 'acm-certificate': acm('DescribeCertificate ListTagsForCertificate') },
    write: {
      'acm-new-certificate': acm('RequestCertificate AddTagsToCertificate'),
      'acm-certificate': acm('AddTagsToCertificate RemoveTagsFromCertificate UpdateCertificateOptions DeleteCertificate'),
    },
  },
  aws_acm_certificate_validation: { read: { 'acm-certificate': acm('DescribeCertificate') } },
  aws_cloudwatch_dashboard: {
    read: { 'cloudwatch-dashboard': cw('GetDashboard') },
    write: { 'cloudwatch-dashboard': cw('PutDashboard DeleteDashboards') },
  },
  aws_cloudwatch_log_group: {
    read: { any: logs('DescribeLogGroups'), 'logs-log-group': logs('ListTagsForResource') },
    write: { 'logs-log-group': logs('CreateLogGroup PutRetentionPolicy DeleteRetentionPolicy TagResource UntagResource DeleteLogGroup') },
  },
  aws_cloudwatch_metric_alarm: {
    read: { 'cloudwatch-alarm': cw('DescribeAlarms ListTagsForResource') },
    write: { 'cloudwatch-alarm': cw('PutMetricAlarm TagResource UntagResource DeleteAlarms') },
  },
  aws_cognito_identity_provider: {
    read: { 'cognito-user-pool': cognito('DescribeIdentityProvider') },
    write: { 'cognito-user-pool': cognito('CreateIdentityProvider UpdateIdentityProvider DeleteIdentityProvider') },
  },
  // Delete is SetLogDeliveryConfiguration without destinations, which removes the log delivery.
  aws_cognito_log_delivery_configuration: {
    read: { 'cognito-user-pool': cognito('GetLogDeliveryConfiguration') },
    write: { 'cognito-user-pool': cognito('SetLogDeliveryConfiguration'), any: LOG_DELIVERY },
  },
  // Read finds the branding's client by listing the pool's clients (managed_login_branding.go, Read).
  aws_cognito_managed_login_branding: {
    read: { 'cognito-user-pool': cognito('DescribeManagedLoginBranding DescribeManagedLoginBrandingByClient ListUserPoolClients') },
    write: { 'cognito-user-pool': cognito('CreateManagedLoginBranding UpdateManagedLoginBranding DeleteManagedLoginBranding') },
  },
  aws_cognito_resource_server: {
    read: { 'cognito-user-pool': cognito('DescribeResourceServer') },
    write: { 'cognito-user-pool': cognito('CreateResourceServer UpdateResourceServer DeleteResourceServer') },
  },
  aws_cognito_user_group: {
    read: { 'cognito-user-pool': cognito('GetGroup') },
    write: { 'cognito-user-pool': cognito('CreateGroup UpdateGroup DeleteGroup') },
  },
  // Tags come back in DescribeUserPool (UserPoolTags). MFA and the WebAuthn settings go through
  // SetUserPoolMfaConfig, whenever mfa_configuration is not OFF (user_pool.go, Create).
  aws_cognito_user_pool: {
    read: { 'cognito-user-pool': cognito('DescribeUserPool GetUserPoolMfaConfig') },
    write: {
      'cognito-new-user-pool': cognito('CreateUserPool'),
      'cognito-user-pool': cognito('SetUserPoolMfaConfig UpdateUserPool AddCustomAttributes TagResource UntagResource DeleteUserPool'),
    },
  },
  aws_cognito_user_pool_client: {
    read: { 'cognito-user-pool': cognito('DescribeUserPoolClient') },
    write: { 'cognito-user-pool': cognito('CreateUserPoolClient UpdateUserPoolClient DeleteUserPoolClient') },
  },
  // DescribeUserPoolDomain takes a domain, not a pool: no resource type.
  aws_cognito_user_pool_domain: {
    read: { any: cognito('DescribeUserPoolDomain') },
    write: { 'cognito-user-pool': cognito('CreateUserPoolDomain UpdateUserPoolDomain DeleteUserPoolDomain') },
  },
  // GetSubnetCidrReservations and DeleteSubnetCidrReservation have no resource type.
  aws_ec2_subnet_cidr_reservation: {
    read: { any: ec2('GetSubnetCidrReservations') },
    write: { 'ec2-subnet': ec2('CreateSubnetCidrReservation'), any: ec2('DeleteSubnetCidrReservation') },
  },
  // Tags come back in DescribeAccessEntry.
  aws_eks_access_entry: {
    read: { 'eks-access-entry': eks('DescribeAccessEntry') },
    write: {
      'eks-new-access-entry': eks('CreateAccessEntry'),
      'eks-access-entry': eks('TagResource UntagResource UpdateAccessEntry DeleteAccessEntry'),
    },
  },
  aws_eks_access_policy_association: {
    read: { 'eks-access-entry': eks('ListAssociatedAccessPolicies') },
    write: { 'eks-access-policy': eks('AssociateAccessPolicy DisassociateAccessPolicy') },
  },
  // Read also lists inline and attached policies (deprecated inline_policy, managed_policy_arns);
  // delete first lists the role's instance profiles (role.go, deleteRole).
  aws_iam_role: {
    read: { 'iam-role': iam('GetRole ListRolePolicies GetRolePolicy ListAttachedRolePolicies') },
    write: { 'iam-role': iam('CreateRole TagRole UntagRole UpdateAssumeRolePolicy ListInstanceProfilesForRole DeleteRole') },
  },
  aws_iam_role_policy: {
    read: { 'iam-role': iam('GetRolePolicy') },
    write: { 'iam-role': iam('PutRolePolicy DeleteRolePolicy') },
  },
  // Rotation is enabled right after CreateKey (key.go, Create); tags on create need kms:TagResource
  // (KMS developer guide, "Tagging keys"), on a key that has none yet: the request-tag scope.
  aws_kms_key: {
    read: { 'kms-key': kms('DescribeKey GetKeyPolicy GetKeyRotationStatus ListResourceTags') },
    write: {
      'kms-new-key': kms('CreateKey TagResource'),
      'kms-key': kms(
        'TagResource UntagResource EnableKeyRotation DisableKeyRotation PutKeyPolicy UpdateKeyDescription ScheduleKeyDeletion',
      ),
    },
  },
  // Read sets the tags from GetFunction, whose Tags AWS returns only to a caller allowed
  // lambda:ListTags (Lambda API reference, GetFunction). Creating or reconfiguring a function passes
  // its role: iam:PassRole.
  aws_lambda_function: {
    read: { 'lambda-function': lambda('GetFunction ListVersionsByFunction GetFunctionCodeSigningConfig ListTags') },
    write: {
      'lambda-function': lambda(
        'CreateFunction TagResource UntagResource UpdateFunctionCode UpdateFunctionConfiguration PutFunctionConcurrency DeleteFunctionConcurrency DeleteFunction',
      ),
      'iam-pass-role': iam('PassRole'),
    },
  },
  aws_lambda_permission: {
    read: { 'lambda-function': lambda('GetPolicy') },
    write: { 'lambda-function': lambda('AddPermission RemovePermission') },
  },
  // ELB authorizes tags on create as AddTags (condition elasticloadbalancing:CreateAction). Every
  // Describe has no resource type. Delete waits for the ALB's network interfaces to go.
  // The ALB also gets a web ACL: see aws_wafv2_web_acl_association.
  aws_lb: {
    read: { any: elb('DescribeLoadBalancers DescribeLoadBalancerAttributes DescribeCapacityReservation DescribeTags') },
    write: {
      'elb-loadbalancer': elb(
        'CreateLoadBalancer AddTags RemoveTags ModifyLoadBalancerAttributes SetSecurityGroups SetSubnets DeleteLoadBalancer',
      ),
      any: ec2('DescribeNetworkInterfaces'),
    },
  },
  // CreateListener is authorized on the load balancer, the listener's tags on the new listener.
  aws_lb_listener: {
    read: { any: elb('DescribeListeners DescribeListenerAttributes DescribeTags') },
    write: {
      'elb-loadbalancer': elb('CreateListener'),
      'elb-listener': elb('AddTags RemoveTags ModifyListener ModifyListenerAttributes DeleteListener'),
    },
  },
  aws_lb_listener_certificate: {
    read: { any: elb('DescribeListenerCertificates') },
    write: { 'elb-listener': elb('AddListenerCertificates RemoveListenerCertificates') },
  },
  aws_lb_listener_rule: {
    read: { any: elb('DescribeRules DescribeTags') },
    write: { 'elb-listener': elb('CreateRule'), 'elb-listener-rule': elb('AddTags RemoveTags ModifyRule SetRulePriorities DeleteRule') },
  },
  aws_lb_target_group: {
    read: { any: elb('DescribeTargetGroups DescribeTargetGroupAttributes DescribeTags') },
    write: {
      'elb-new-targetgroup': elb('CreateTargetGroup AddTags'),
      'elb-targetgroup': elb('AddTags RemoveTags ModifyTargetGroup ModifyTargetGroupAttributes DeleteTargetGroup'),
    },
  },
  aws_lb_target_group_attachment: {
    read: { any: elb('DescribeTargetHealth') },
    write: { 'elb-targetgroup': elb('RegisterTargets DeregisterTargets') },
  },
  // Read looks up the zone (GetHostedZone) and the record set; a change is waited on with GetChange.
  aws_route53_record: {
    read: { 'route53-zone': r53('GetHostedZone ListResourceRecordSets') },
    write: { 'route53-records': r53('ChangeResourceRecordSets'), 'route53-change': r53('GetChange') },
  },
  // Read calls every bucket sub-resource API the deprecated in-bucket arguments mirror, each refusal
  // fatal (bucket.go, Read). Tags: s3:ListTagsForResource and s3:TagResource first, the bucket tagging
  // APIs only as a fallback when those are refused (s3 servicePackage ListTags/UpdateTags); CreateBucket
  // sends tags, which needs s3:TagResource, and a canned ACL, which needs s3:PutBucketAcl (Amazon S3 API
  // reference, CreateBucket, permissions). HeadBucket is authorized as s3:ListBucket.
  aws_s3_bucket: {
    read: {
      's3-bucket': s3(
        'ListBucket GetBucketPolicy GetBucketAcl GetBucketCORS GetBucketWebsite GetBucketVersioning GetAccelerateConfiguration GetBucketRequestPayment GetBucketLogging GetLifecycleConfiguration GetReplicationConfiguration GetEncryptionConfiguration GetBucketObjectLockConfiguration ListTagsForResource',
      ),
    },
    write: { 's3-bucket': s3('CreateBucket PutBucketAcl TagResource UntagResource DeleteBucket') },
  },
  // DeleteBucketLifecycle is authorized as s3:PutLifecycleConfiguration; likewise below for the
  // ownership controls, public access block and encryption deletes.
  aws_s3_bucket_lifecycle_configuration: {
    read: { 's3-bucket': s3('GetLifecycleConfiguration') },
    write: { 's3-bucket': s3('PutLifecycleConfiguration') },
  },
  aws_s3_bucket_ownership_controls: {
    read: { 's3-bucket': s3('GetBucketOwnershipControls') },
    write: { 's3-bucket': s3('PutBucketOwnershipControls') },
  },
  aws_s3_bucket_policy: {
    read: { 's3-bucket': s3('GetBucketPolicy') },
    write: { 's3-bucket': s3('PutBucketPolicy DeleteBucketPolicy') },
  },
  aws_s3_bucket_public_access_block: {
    read: { 's3-bucket': s3('GetBucketPublicAccessBlock') },
    write: { 's3-bucket': s3('PutBucketPublicAccessBlock') },
  },
  aws_s3_bucket_server_side_encryption_configuration: {
    read: { 's3-bucket': s3('GetEncryptionConfiguration') },
    write: { 's3-bucket': s3('PutEncryptionConfiguration') },
  },
  // Tags come back in DescribeSecret. No resource policy or replica is configured: no
  // Put/DeleteResourcePolicy, no replication calls.
  aws_secretsmanager_secret: {
    read: { 'secretsmanager-secret': secrets('DescribeSecret GetResourcePolicy') },
    write: { 'secretsmanager-secret': secrets('CreateSecret TagResource UntagResource UpdateSecret DeleteSecret') },
  },
  aws_secretsmanager_secret_version: {
    read: { 'secretsmanager-secret': secrets('GetSecretValue') },
    write: { 'secretsmanager-secret': secrets('PutSecretValue UpdateSecretVersionStage') },
  },
  // Create revokes the default allow-all egress rule AWS adds (vpc_security_group.go, Create); delete
  // looks for network interfaces left in the group first. Tags come back in DescribeSecurityGroups.
  aws_security_group: {
    read: { any: ec2('DescribeSecurityGroups') },
    write: {
      'ec2-vpc': ec2('CreateSecurityGroup'),
      'ec2-new-security-group': ec2('CreateSecurityGroup'),
      'ec2-tag-on-create': ec2('CreateTags'),
      'ec2-security-group': ec2('RevokeSecurityGroupEgress CreateTags DeleteTags DeleteSecurityGroup'),
      any: ec2('DescribeNetworkInterfaces'),
    },
  },
  // Only in 0.1.0 stacks (scripts/upgrade/classes.ts): kept so a state that still holds one is covered.
  aws_security_group_rule: {
    read: { any: ec2('DescribeSecurityGroups DescribeSecurityGroupRules') },
    write: {
      'ec2-security-group': ec2(
        'AuthorizeSecurityGroupIngress AuthorizeSecurityGroupEgress RevokeSecurityGroupIngress RevokeSecurityGroupEgress UpdateSecurityGroupRuleDescriptionsIngress UpdateSecurityGroupRuleDescriptionsEgress',
      ),
    },
  },
  aws_sns_topic: {
    read: { 'sns-topic': sns('GetTopicAttributes ListTagsForResource') },
    write: { 'sns-topic': sns('CreateTopic TagResource UntagResource SetTopicAttributes DeleteTopic') },
  },
  aws_sns_topic_policy: {
    read: { 'sns-topic': sns('GetTopicAttributes') },
    write: { 'sns-topic': sns('SetTopicAttributes') },
  },
  // Read finds a subscription still pending confirmation in the topic's list (topic_subscription.go).
  aws_sns_topic_subscription: {
    read: { 'sns-topic': sns('ListSubscriptionsByTopic'), 'sns-subscription': sns('GetSubscriptionAttributes') },
    write: { 'sns-topic': sns('Subscribe'), 'sns-subscription': sns('SetSubscriptionAttributes Unsubscribe') },
  },
  // Tags come back in DescribeSecurityGroupRules; tags on create are authorized as ec2:CreateTags.
  aws_vpc_security_group_egress_rule: {
    read: { any: ec2('DescribeSecurityGroupRules') },
    write: {
      'ec2-security-group': ec2('AuthorizeSecurityGroupEgress RevokeSecurityGroupEgress ModifySecurityGroupRules'),
      'ec2-new-security-group-rule': ec2('AuthorizeSecurityGroupEgress'),
      'ec2-tag-on-create': ec2('CreateTags'),
      'ec2-security-group-rule': ec2('ModifySecurityGroupRules CreateTags DeleteTags'),
    },
  },
  aws_vpc_security_group_ingress_rule: {
    read: { any: ec2('DescribeSecurityGroupRules') },
    write: {
      'ec2-security-group': ec2('AuthorizeSecurityGroupIngress RevokeSecurityGroupIngress ModifySecurityGroupRules'),
      'ec2-new-security-group-rule': ec2('AuthorizeSecurityGroupIngress'),
      'ec2-tag-on-create': ec2('CreateTags'),
      'ec2-security-group-rule': ec2('ModifySecurityGroupRules CreateTags DeleteTags'),
    },
  },
  aws_wafv2_web_acl: {
    read: { 'wafv2-web-acl': waf('GetWebACL ListTagsForResource') },
    write: { 'wafv2-web-acl': waf('CreateWebACL TagResource UntagResource UpdateWebACL DeleteWebACL') },
  },
  // The provider calls wafv2 only; AWS also authorizes the protected resource's own action (WAF
  // developer guide, "Permissions for AssociateWebACL"): cognito-idp for the user pool, SetWebAcl and
  // the newer per-association actions for the ALB. GetWebACLForResource checks wafv2:GetWebACL.
  aws_wafv2_web_acl_association: {
    read: {
      'wafv2-protected': waf('GetWebACLForResource'),
      'wafv2-web-acl': waf('GetWebACL'),
      'cognito-web-acl': cognito('GetWebACLForResource'),
      'elb-loadbalancer': elb('GetLoadBalancerWebACL'),
    },
    write: {
      'wafv2-protected': waf('AssociateWebACL DisassociateWebACL'),
      'cognito-web-acl': cognito('AssociateWebACL DisassociateWebACL'),
      'elb-loadbalancer': elb('CreateWebACLAssociation DeleteWebACLAssociation'),
      any: elb('SetWebAcl'),
    },
  },
  aws_wafv2_web_acl_logging_configuration: {
    read: { 'wafv2-web-acl': waf('GetLoggingConfiguration') },
    write: { 'wafv2-web-acl': waf('PutLoggingConfiguration DeleteLoggingConfiguration'), any: LOG_DELIVERY },
  },

  helm_release: KUBERNETES,
  kubernetes_config_map_v1: KUBERNETES,
  kubernetes_deployment_v1: KUBERNETES,
  kubernetes_horizontal_pod_autoscaler_v2: KUBERNETES,
  kubernetes_ingress_v1: KUBERNETES,
  kubernetes_namespace_v1: KUBERNETES,
  kubernetes_network_policy_v1: KUBERNETES,
  kubernetes_pod_disruption_budget_v1: KUBERNETES,
  kubernetes_priority_class_v1: KUBERNETES,
  kubernetes_service_v1: KUBERNETES,
};

/** Data sources: read at every plan, so both roles. */
export const DATA_ACTIONS: Readonly<Record<string, TypeActions>> = {
  // sts:GetCallerIdentity needs no permission (AWS STS API reference, GetCallerIdentity).
  aws_caller_identity: {},
  aws_cognito_user_pool: { read: { 'cognito-user-pool': cognito('DescribeUserPool') } },
  aws_eks_cluster: { read: { 'eks-cluster': eks('DescribeCluster') } },
  // A table of AWS's regional ELB accounts compiled into the provider (elb/service_account_data_source.go).
  aws_elb_service_account: {},
  aws_network_interfaces: { read: { any: ec2('DescribeNetworkInterfaces') } },
  // Derived from the provider's configured region, no call (meta/partition_data_source.go).
  aws_partition: {},
  aws_route53_records: { read: { 'route53-zone': r53('ListResourceRecordSets') } },
  // Found by name, so every zone is listed (ListHostedZones has no resource type); name servers are
  // listed only for private zones, which this app never reads.
  aws_route53_zone: { read: { any: r53('ListHostedZones'), 'route53-zone': r53('GetHostedZone ListTagsForResource') } },
  // The IdP client secrets, decrypted by Secrets Manager or SSM on the caller's behalf when a customer
  // managed key encrypts them (kms:ViaService; the encryption contexts SecretARN and PARAMETER_ARN).
  aws_secretsmanager_secret_version: {
    read: { 'secretsmanager-idp-secret': secrets('GetSecretValue'), 'kms-decrypt-secret': kms('Decrypt') },
  },
  aws_ssm_parameter: { read: { 'ssm-idp-parameter': ssm('GetParameter'), 'kms-decrypt-parameter': kms('Decrypt') } },
  aws_subnet: { read: { any: ec2('DescribeSubnets') } },
  // Also reads the DNS attributes and the main route table (ec2/vpc_data_source.go).
  aws_vpc: { read: { any: ec2('DescribeVpcs DescribeRouteTables'), 'ec2-vpc': ec2('DescribeVpcAttribute') } },
  // Terraform's own: its S3 reads are the state statements (policy.ts).
  terraform_remote_state: {},
  kubernetes_resources: KUBERNETES,
};

/**
 * Actions granted although the provider source never calls them: AWS authorizes them beside a call
 * the provider makes. Named in docs/iam.md; a refusal in CloudTrail would say which one is off.
 */
export const UNCONFIRMED: readonly { readonly actions: readonly string[]; readonly why: string }[] = [
  { actions: ['iam:PassRole'], why: 'Lambda CreateFunction and UpdateFunctionConfiguration pass the function role' },
  { actions: ['lambda:ListTags'], why: 'GetFunction returns the tags the provider reads only to callers allowed lambda:ListTags' },
  {
    actions: cognito('AssociateWebACL DisassociateWebACL GetWebACLForResource'),
    why: 'WAF authorizes a user pool association with Cognito too',
  },
  {
    actions: elb('SetWebAcl CreateWebACLAssociation DeleteWebACLAssociation GetLoadBalancerWebACL'),
    why: 'WAF authorizes an ALB association with ELB too: SetWebAcl, and the per-association actions AWS added since',
  },
  { actions: ['wafv2:GetWebACL'], why: 'GetWebACLForResource checks it on the associated web ACL' },
  { actions: LOG_DELIVERY, why: 'Cognito and WAF deliver logs to CloudWatch Logs through a delivery the caller creates' },
  { actions: ['kms:Decrypt'], why: 'Secrets Manager and SSM decrypt an IdP secret with the KMS permission of the caller' },
];
