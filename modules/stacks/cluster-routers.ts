import { Release } from '@cdktf/provider-helm/lib/release';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import type { ITerraformDependable, Precondition } from 'cdktf';
import type { Construct } from 'constructs';
import { ingressNginxSettings } from '../../verifier/ingress-nginx';
import { overlayValues, staticValues } from '../constructs/helm-values';
import { HEALTH_CHECK_PATH } from '../constructs/identity-verifier';
import { type RouterIsolation, ROUTER_POD_LABELS } from '../constructs/network-isolation';
import { NlbAddresses } from '../constructs/nlb-addresses';
import { TRAEFIK_NAMESPACE, TRAEFIK_POD_LABELS, TRAEFIK_WEB_PORT, TraefikRouter } from '../constructs/traefik-router';
import type { RouterPlan } from '../plan/types';
import { PROJECT_ROOT_FROM_STACK_DIR } from './state';

/**
 * Pinned chart versions: upgrades are reviewed changes, never drift. ingress-nginx was retired
 * upstream in March 2026 (no releases or security fixes since): the last chart stays pinned for
 * clusters that still run it, and `router: traefik` replaces it.
 */
export const INGRESS_NGINX_CHART = {
  repository: 'https://kubernetes.github.io/ingress-nginx',
  chart: 'ingress-nginx',
  version: '4.14.5',
} as const;
export const INGRESS_NAMESPACE = 'ingress-nginx';
export const INGRESS_RELEASE = 'ingress-nginx';
export const INGRESS_CLASS = 'nginx';
/**
 * Without ingress-nginx, the same Helm release holds only the IngressClass `nginx` that teams'
 * Ingresses name (Traefik's Ingress NGINX provider needs it to exist). Changing the release's
 * chart is a Helm upgrade, which patches the class present in both charts instead of deleting it:
 * no moment without the class. The path is relative to the stack's working directory.
 */
export const INGRESS_CLASS_CHART = `${PROJECT_ROOT_FROM_STACK_DIR}/charts/ingress-class-nginx`;

export interface RoutersProps {
  readonly routers: readonly RouterPlan[];
  readonly securityGroupId: string;
  readonly vpcCidr: string;
  readonly verifier: { readonly namespace: string; readonly service: string; readonly port: number };
  /** Before any router: the reserved addresses, the running verifier. */
  readonly dependsOn: ITerraformDependable[];
  /** Before any namespace this creates: the EKS access entries. */
  readonly namespaceDependsOn?: ITerraformDependable[];
  /** The cluster's prerequisites: of every router, and of Traefik alone (the Gateway API CRDs). */
  readonly preconditions: { readonly any: Precondition[]; readonly traefik: Precondition[] };
}

export interface Routers {
  /** The release `ingress-nginx`: the controller, or only the IngressClass once it is gone. */
  readonly ingressNginx: Release;
  readonly traefik?: TraefikRouter;
  /** Every release that serves Ingresses: what an Ingress must be created after. */
  readonly releases: Release[];
  readonly isolation: RouterIsolation[];
}

/** The routers of the plan in `stack`, each behind its own internal NLB, all asking the verifier. */
export function addRouters(stack: Construct, props: RoutersProps): Routers {
  const nginx = props.routers.find((r) => r.kind === 'ingress-nginx');
  const traefikPlan = props.routers.find((r) => r.kind === 'traefik');
  const isolation: RouterIsolation[] = [];
  const ingressNginx = nginx ? addIngressNginx(stack, nginx, props) : addIngressClassOnly(stack, props);
  if (nginx) {
    egressToPods(stack, 'ingress-out-pods', 80, props, 'To the router pods (IP targets) in the VPC');
    isolation.push({
      id: 'router',
      policyName: 'router-from-nlb-only',
      namespace: INGRESS_NAMESPACE,
      podLabels: ROUTER_POD_LABELS,
      requestPort: 80,
      nlbAddresses: nginx.nlb.map((a) => a.privateIp),
      // The admission webhook (chart: controller.admissionWebhooks.port) and metrics (controller.metrics).
      otherPorts: [
        { port: 8443, from: 'vpc' },
        { port: 10254, from: 'pods' },
      ],
    });
  }
  let traefik: TraefikRouter | undefined;
  if (traefikPlan) {
    egressToPods(stack, 'ingress-out-traefik', TRAEFIK_WEB_PORT, props, 'To the Traefik pods (IP targets) in the VPC');
    traefik = new TraefikRouter(stack, 'traefik', {
      nlb: traefikPlan.nlb,
      securityGroupId: props.securityGroupId,
      verifier: props.verifier,
      healthCheckPath: HEALTH_CHECK_PATH,
      dependsOn: props.dependsOn,
      namespaceDependsOn: props.namespaceDependsOn,
      preconditions: [...props.preconditions.any, ...props.preconditions.traefik],
    });
    isolation.push({
      id: 'router-traefik',
      policyName: 'traefik-from-nlb-only',
      namespace: TRAEFIK_NAMESPACE,
      podLabels: TRAEFIK_POD_LABELS,
      requestPort: TRAEFIK_WEB_PORT,
      nlbAddresses: traefikPlan.nlb.map((a) => a.privateIp),
      // Metrics (chart: ports.metrics, 9100), scraped from inside the cluster.
      otherPorts: [{ port: 9100, from: 'pods' }],
    });
  }
  const releases = [...(nginx ? [ingressNginx] : []), ...(traefik ? [traefik.release] : [])];
  return { ingressNginx, traefik, releases, isolation };
}

function addIngressNginx(stack: Construct, router: RouterPlan, props: RoutersProps): Release {
  // Every Ingress of the class asks the verifier first (controller ConfigMap keys, one of them the
  // auth-location snippet that passes the routed host; no annotation).
  const auth = ingressNginxSettings(props.verifier);
  return new Release(stack, 'ingress-nginx', {
    name: INGRESS_RELEASE,
    namespace: INGRESS_NAMESPACE,
    createNamespace: true,
    ...INGRESS_NGINX_CHART,
    atomic: true,
    timeout: 900,
    values: [
      staticValues('ingress-nginx.yaml'),
      ...overlayValues({
        controller: {
          config: { 'proxy-real-ip-cidr': props.vpcCidr, ...auth.config },
          extraArgs: auth.extraArgs,
          service: {
            annotations: {
              ...NlbAddresses.annotations(router.nlb),
              'service.beta.kubernetes.io/aws-load-balancer-security-groups': props.securityGroupId,
            },
          },
        },
      }),
    ],
    // The addresses must be reserved, and the cluster ready, before the controller creates the NLB;
    // the verifier must answer before the router sends it a request.
    dependsOn: props.dependsOn,
    lifecycle: { precondition: props.preconditions.any },
  });
}

function addIngressClassOnly(stack: Construct, props: RoutersProps): Release {
  return new Release(stack, 'ingress-nginx', {
    name: INGRESS_RELEASE,
    namespace: INGRESS_NAMESPACE,
    createNamespace: true,
    chart: INGRESS_CLASS_CHART,
    // An upgrade without values would carry the controller chart's values over (harmless, but stale).
    resetValues: true,
    atomic: true,
    timeout: 300,
    lifecycle: { precondition: props.preconditions.any },
  });
}

function egressToPods(stack: Construct, id: string, port: number, props: RoutersProps, description: string): void {
  new VpcSecurityGroupEgressRule(stack, id, {
    securityGroupId: props.securityGroupId,
    ipProtocol: 'tcp',
    fromPort: port,
    toPort: port,
    cidrIpv4: props.vpcCidr,
    description,
  });
}
