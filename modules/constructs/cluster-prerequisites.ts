import { DataKubernetesResources } from '@cdktf/provider-kubernetes/lib/data-kubernetes-resources';
import { Fn, type ITerraformDependable, Op, type Precondition } from 'cdktf';
import { Construct } from 'constructs';

/**
 * The image tag of an AWS Load Balancer Controller that can put security groups on an NLB
 * (v2.6.0, docs/guide/service/nlb.md) and pin its addresses (v2.2.0): v2.6 and later, v3 and later.
 * Dots are matched as `[.]`, never `\.`: cdktf writes the pattern into a Terraform string as is,
 * where a backslash starts an escape sequence and `\.` is not one ("Invalid escape sequence").
 */
export const LBC_MIN_VERSION_PATTERN = ':v(2[.]([6-9]|[1-9][0-9])|[3-9]|[1-9][0-9]+)[.]';

/** The Gateway API CRDs Traefik's Gateway provider watches (standard channel). */
export const GATEWAY_API_CRDS = [
  'gatewayclasses',
  'gateways',
  'httproutes',
  'grpcroutes',
  'referencegrants',
  'backendtlspolicies',
  'tlsroutes',
] as const;
/** The bundle-version annotation of Gateway API v1.5 and later (dots as `[.]`, see above). */
export const GATEWAY_API_MIN_VERSION_PATTERN = '^v(1[.]([5-9]|[1-9][0-9])|[2-9]|[1-9][0-9]+)[.]';

export interface ClusterPrerequisitesProps {
  /** The IngressClass the router's chart creates, and the Helm release that may own it already. */
  readonly ingressClass: { readonly name: string; readonly releaseName: string; readonly releaseNamespace: string };
  /** Check the Gateway API CRDs (Traefik's Gateway provider needs them; its chart no longer ships them). */
  readonly gatewayApi?: boolean;
  /** A StorageClass that must exist (Grafana's volume), if any. */
  readonly storageClassName?: string;
  /** Read only once these exist (the access entries that let this plan read the cluster). */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * Fails the plan, with what to do, when the cluster lacks what the charts need: otherwise Helm
 * waits for its whole timeout and leaves a failed release behind. Each check reads the cluster
 * with `kubernetes_resources`, which returns an empty list rather than an error when nothing
 * matches (provider-kubernetes docs); its condition is a precondition of the release that needs
 * it. Not of a terraform_data resource: cdktf runs `terraform version` at every synth for one.
 */
export class ClusterPrerequisites extends Construct {
  /** Preconditions of the router's release: the load balancer controller and the IngressClass. */
  readonly router: Precondition[];
  /** Preconditions of Grafana's release: its StorageClass. */
  readonly grafana: Precondition[] = [];
  /** Preconditions of Traefik's release: the Gateway API CRDs. */
  readonly gatewayApi: Precondition[] = [];

  constructor(scope: Construct, id: string, props: ClusterPrerequisitesProps) {
    super(scope, id);
    const { dependsOn } = props;
    const lbc = new DataKubernetesResources(this, 'load-balancer-controller', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace: 'kube-system',
      labelSelector: 'app.kubernetes.io/name=aws-load-balancer-controller',
      dependsOn,
    });
    const ingressClass = new DataKubernetesResources(this, 'ingress-class', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'IngressClass',
      fieldSelector: `metadata.name=${props.ingressClass.name}`,
      dependsOn,
    });
    const lbcObjects = lbc.interpolationForAttribute('objects');
    const classObjects = ingressClass.interpolationForAttribute('objects');
    // try(): a class without Helm's annotations is another's too; `||` does not short-circuit in Terraform.
    const owner = (annotation: string, expected: string) =>
      Op.eq(Fn.try([Fn.lookupNested(classObjects, [0, 'metadata', 'annotations', annotation]), '']), expected);
    this.router = [
      {
        condition: Op.gte(Fn.lengthOf(lbcObjects), 1),
        errorMessage:
          'The AWS Load Balancer Controller is not running in kube-system (no Deployment labelled app.kubernetes.io/name=aws-load-balancer-controller): install it, v2.6 or later; it creates the internal NLB from the router Service.',
      },
      {
        condition: Fn.can(
          Fn.regex(LBC_MIN_VERSION_PATTERN, Fn.lookupNested(lbcObjects, [0, 'spec', 'template', 'spec', 'containers', 0, 'image'])),
        ),
        errorMessage:
          'The AWS Load Balancer Controller is older than v2.6 (or its image has no version tag): upgrade it; earlier versions cannot put security groups on an NLB.',
      },
      {
        condition: Op.or(
          Op.lt(Fn.lengthOf(classObjects), 1),
          Op.and(
            owner('meta.helm.sh/release-name', props.ingressClass.releaseName),
            owner('meta.helm.sh/release-namespace', props.ingressClass.releaseNamespace),
          ),
        ),
        errorMessage: `An IngressClass "${props.ingressClass.name}" already exists and belongs to another Helm release: the router's chart would fail to create it. Remove the other controller, or adopt the class into the release ${props.ingressClass.releaseNamespace}/${props.ingressClass.releaseName}.`,
      },
    ];
    if (props.gatewayApi) {
      // Traefik's Gateway provider watches all of these (pkg/provider/kubernetes/gateway/client.go,
      // v3.7.9) and waits for each to sync: one missing, or too old, and it never serves an HTTPRoute.
      // Its go.mod pins gateway-api v1.5.1; the chart (v41) no longer ships the CRDs.
      for (const kind of GATEWAY_API_CRDS) {
        const crd = new DataKubernetesResources(this, `crd-${kind}`, {
          apiVersion: 'apiextensions.k8s.io/v1',
          kind: 'CustomResourceDefinition',
          fieldSelector: `metadata.name=${kind}.gateway.networking.k8s.io`,
          dependsOn,
        });
        const version = Fn.lookupNested(crd.interpolationForAttribute('objects'), [
          0,
          'metadata',
          'annotations',
          'gateway.networking.k8s.io/bundle-version',
        ]);
        this.gatewayApi.push({
          condition: Fn.can(Fn.regex(GATEWAY_API_MIN_VERSION_PATTERN, version)),
          errorMessage: `The Gateway API CRD ${kind}.gateway.networking.k8s.io is missing or older than v1.5: Traefik's Gateway provider needs the standard channel of v1.5.1 (kubectl apply --server-side -f https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.5.1/standard-install.yaml).`,
        });
      }
    }
    if (props.storageClassName) {
      const storageClass = new DataKubernetesResources(this, 'storage-class', {
        apiVersion: 'storage.k8s.io/v1',
        kind: 'StorageClass',
        fieldSelector: `metadata.name=${props.storageClassName}`,
        dependsOn,
      });
      this.grafana.push({
        condition: Op.gte(Fn.lengthOf(storageClass.interpolationForAttribute('objects')), 1),
        errorMessage: `StorageClass "${props.storageClassName}" does not exist, so Grafana's volume would never bind: install the Amazon EBS CSI driver add-on and create the class (type gp3), name another class in grafana.storageClassName, or set grafana.persistence: false.`,
      });
    }
  }
}
