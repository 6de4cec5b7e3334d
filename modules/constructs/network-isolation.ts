import { NetworkPolicyV1 } from '@cdktf/provider-kubernetes/lib/network-policy-v1';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';

/** The labels the ingress-nginx chart gives its controller pods (templates/_helpers.tpl, controller selector). */
export const ROUTER_POD_LABELS = {
  'app.kubernetes.io/name': 'ingress-nginx',
  'app.kubernetes.io/instance': 'ingress-nginx',
  'app.kubernetes.io/component': 'controller',
} as const;

export interface NetworkIsolationProps {
  readonly routerNamespace: string;
  readonly appsNamespace: string;
  /** The internal NLB's pinned addresses: with IP targets and client IP preservation off (the NLB default), its traffic and health checks come from them. */
  readonly nlbAddresses: readonly string[];
  /** Where the EKS control plane's interfaces live (it calls the router's admission webhook): the VPC. */
  readonly vpcCidr: string;
  /** The router release, which creates its namespace. */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * Nothing reaches an app without passing the router, and nothing reaches the router but the NLB:
 * a pod that could call an app directly could send any `x-amzn-oidc-*` headers it likes. Enforced
 * only where the VPC CNI enforces network policies (add-on setting enableNetworkPolicy, VPC CNI
 * 1.14+); the kubelet's probes are always allowed by the policy agent (aws-network-policy-agent).
 */
export class NetworkIsolation extends Construct {
  constructor(scope: Construct, id: string, props: NetworkIsolationProps) {
    super(scope, id);
    const tcp = (port: string) => ({ port, protocol: 'TCP' });
    new NetworkPolicyV1(this, 'router', {
      metadata: { name: 'router-from-nlb-only', namespace: props.routerNamespace },
      spec: {
        podSelector: { matchLabels: { ...ROUTER_POD_LABELS } },
        policyTypes: ['Ingress'],
        ingress: [
          // Requests and health checks, from the NLB's own addresses only.
          { from: props.nlbAddresses.map((ip) => ({ ipBlock: { cidr: `${ip}/32` } })), ports: [tcp('80')] },
          // The admission webhook (chart: controller.admissionWebhooks.port), called by the control plane.
          { from: [{ ipBlock: { cidr: props.vpcCidr } }], ports: [tcp('8443')] },
          // Metrics (chart: controller.metrics), scraped from inside the cluster.
          { from: [{ namespaceSelector: {} }], ports: [tcp('10254')] },
        ],
      },
      dependsOn: props.dependsOn,
    });
    new NetworkPolicyV1(this, 'apps', {
      metadata: { name: 'apps-from-router-only', namespace: props.appsNamespace },
      spec: {
        podSelector: {},
        policyTypes: ['Ingress'],
        ingress: [
          {
            from: [
              {
                namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': props.routerNamespace } },
                podSelector: { matchLabels: { ...ROUTER_POD_LABELS } },
              },
            ],
          },
        ],
      },
      dependsOn: props.dependsOn,
    });
  }
}
