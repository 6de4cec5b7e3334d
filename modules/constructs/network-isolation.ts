import { NetworkPolicyV1 } from '@cdktf/provider-kubernetes/lib/network-policy-v1';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';

/** The labels the ingress-nginx chart gives its controller pods (templates/_helpers.tpl, controller selector). */
export const ROUTER_POD_LABELS = {
  'app.kubernetes.io/name': 'ingress-nginx',
  'app.kubernetes.io/instance': 'ingress-nginx',
  'app.kubernetes.io/component': 'controller',
} as const;

/** One router's pods: where the NLB's requests arrive, and what else may reach them. */
export interface RouterIsolation {
  /** Construct id of its policy (stable: `router` is ingress-nginx's, as before routers could be chosen). */
  readonly id: string;
  readonly policyName: string;
  readonly namespace: string;
  readonly podLabels: Readonly<Record<string, string>>;
  /** The container port the NLB targets. */
  readonly requestPort: number;
  /** Its NLB's pinned addresses: with IP targets and client IP preservation off (the NLB default), its traffic and health checks come from them. */
  readonly nlbAddresses: readonly string[];
  /** Other ports: from the VPC (the EKS control plane calling a webhook) or from pods (metrics). */
  readonly otherPorts: readonly { readonly port: number; readonly from: 'vpc' | 'pods' }[];
}

export interface NetworkIsolationProps {
  readonly routers: readonly RouterIsolation[];
  readonly appsNamespace: string;
  /** Where the EKS control plane's interfaces live: the VPC. */
  readonly vpcCidr: string;
  /** The router releases, which create their namespaces. */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * Nothing reaches an app without passing a router, and nothing reaches a router but its NLB: a
 * pod that could call an app directly could send any `x-amzn-oidc-*` headers it likes. Enforced
 * only where the VPC CNI enforces network policies (add-on setting enableNetworkPolicy, VPC CNI
 * 1.14+); the kubelet's probes are always allowed by the policy agent (aws-network-policy-agent).
 */
export class NetworkIsolation extends Construct {
  constructor(scope: Construct, id: string, props: NetworkIsolationProps) {
    super(scope, id);
    const tcp = (port: number) => ({ port: String(port), protocol: 'TCP' });
    for (const router of props.routers) {
      new NetworkPolicyV1(this, router.id, {
        metadata: { name: router.policyName, namespace: router.namespace },
        spec: {
          podSelector: { matchLabels: { ...router.podLabels } },
          policyTypes: ['Ingress'],
          ingress: [
            // Requests and health checks, from the NLB's own addresses only.
            { from: router.nlbAddresses.map((ip) => ({ ipBlock: { cidr: `${ip}/32` } })), ports: [tcp(router.requestPort)] },
            ...router.otherPorts.map(({ port, from }) => ({
              from: [from === 'vpc' ? { ipBlock: { cidr: props.vpcCidr } } : { namespaceSelector: {} }],
              ports: [tcp(port)],
            })),
          ],
        },
        dependsOn: props.dependsOn,
      });
    }
    new NetworkPolicyV1(this, 'apps', {
      metadata: { name: 'apps-from-router-only', namespace: props.appsNamespace },
      spec: {
        podSelector: {},
        policyTypes: ['Ingress'],
        ingress: [
          {
            from: props.routers.map((router) => ({
              namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': router.namespace } },
              podSelector: { matchLabels: { ...router.podLabels } },
            })),
          },
        ],
      },
      dependsOn: props.dependsOn,
    });
  }
}
