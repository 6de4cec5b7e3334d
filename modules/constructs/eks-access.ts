import { EksAccessEntry } from '@cdktf/provider-aws/lib/eks-access-entry';
import { EksAccessPolicyAssociation } from '@cdktf/provider-aws/lib/eks-access-policy-association';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import type { EksAccessConfig } from '../config/types';

/**
 * EKS managed access policies (EKS User Guide, "Access policy permissions"): AdminView reads every
 * resource, Secrets included, which a plan needs to refresh Helm releases (their state is in
 * Secrets); ClusterAdmin may do anything, which installing charts with CRDs and webhooks needs.
 */
export const EKS_ACCESS_POLICIES = {
  plan: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminViewPolicy',
  deploy: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy',
} as const;

export interface EksAccessProps extends EksAccessConfig {
  readonly clusterName: string;
  /** The cluster's authentication mode (aws_eks_cluster access_config), checked before any entry is made. */
  readonly authenticationMode: string;
}

/** Access entries of the plan and deploy roles, each with its cluster-wide policy. */
export class EksAccess extends Construct {
  /** What must exist before anything talks to the cluster as these roles. */
  readonly associations: EksAccessPolicyAssociation[] = [];

  constructor(scope: Construct, id: string, props: EksAccessProps) {
    super(scope, id);
    const roles = [
      ['plan', props.planRoleArn],
      ['deploy', props.deployRoleArn],
    ] as const;
    for (const [role, principalArn] of roles) {
      if (!principalArn) continue;
      const entry = new EksAccessEntry(this, `${role}-entry`, {
        clusterName: props.clusterName,
        principalArn,
        type: 'STANDARD',
        lifecycle: {
          precondition: [
            {
              // Access entries exist only in these modes (EKS User Guide, "Change authentication mode").
              condition: Fn.contains(['API', 'API_AND_CONFIG_MAP'], props.authenticationMode),
              errorMessage: `Cluster ${props.clusterName} only reads the aws-auth ConfigMap: switch its authentication mode to API_AND_CONFIG_MAP (a one-way change), or drop eks.planRoleArn and eks.deployRoleArn and map the roles in aws-auth yourself.`,
            },
          ],
        },
      });
      this.associations.push(
        new EksAccessPolicyAssociation(this, `${role}-policy`, {
          clusterName: props.clusterName,
          principalArn: entry.principalArn,
          policyArn: EKS_ACCESS_POLICIES[role],
          accessScope: { type: 'cluster' },
        }),
      );
    }
  }
}
