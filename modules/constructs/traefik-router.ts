import { Release } from '@cdktf/provider-helm/lib/release';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import type { ITerraformDependable, Precondition } from 'cdktf';
import { Construct } from 'constructs';
import { traefikForwardAuth, traefikStripHeaders } from '../../verifier/traefik';
import type { NlbAddress } from '../plan/nlb';
import { overlayValues, staticValues } from './helm-values';
import { NlbAddresses } from './nlb-addresses';

/** Pinned: Traefik v3.7.11, the maintained successor of ingress-nginx (schema vendored in helm-values/schemas). */
export const TRAEFIK_CHART = { repository: 'https://traefik.github.io/charts', chart: 'traefik', version: '41.3.0' } as const;
export const TRAEFIK_NAMESPACE = 'traefik';
export const TRAEFIK_RELEASE = 'traefik';
/** The chart's pod labels (templates/_helpers.tpl): instance is `<release>-<namespace>`. */
export const TRAEFIK_POD_LABELS = {
  'app.kubernetes.io/name': 'traefik',
  'app.kubernetes.io/instance': `${TRAEFIK_RELEASE}-${TRAEFIK_NAMESPACE}`,
} as const;
/** The web entry point's container port (chart default), which the NLB targets. */
export const TRAEFIK_WEB_PORT = 8000;
/** The verifier's ForwardAuth Middleware, referenced by the web entry point. */
const MIDDLEWARE = 'verifier';
/** Runs first: removes the client headers that rename a request (verifier/traefik.js). */
const STRIP_MIDDLEWARE = 'strip-rewriting-headers';

export interface TraefikRouterProps {
  /** Its NLB's subnets and pinned addresses. */
  readonly nlb: readonly NlbAddress[];
  /** The NLB's security group (the edge stack admits the ALB to it). */
  readonly securityGroupId: string;
  /** The verifier's Service, asked about every request on the web entry point. */
  readonly verifier: { readonly namespace: string; readonly service: string; readonly port: number };
  /** The path of the ALB's target health check, answered on the NLB's own addresses only. */
  readonly healthCheckPath: string;
  readonly dependsOn?: ITerraformDependable[];
  /** What the namespace must wait for (the access entries that let this apply write to the cluster). */
  readonly namespaceDependsOn?: ITerraformDependable[];
  readonly preconditions?: Precondition[];
}

/**
 * Traefik behind its own internal NLB: serves teams' `Ingress` objects of class `nginx` (Ingress
 * NGINX provider) and `HTTPRoute`s (Gateway API), and asks the verifier about every request on
 * the web entry point, as ingress-nginx's global auth does.
 */
export class TraefikRouter extends Construct {
  readonly release: Release;

  constructor(scope: Construct, id: string, props: TraefikRouterProps) {
    super(scope, id);
    const addresses = props.nlb.map((a) => a.privateIp);
    // The ALB sends the target's address as Host. Entry point middlewares apply to this route too
    // (Traefik aggregator.go, applyModel), so the verifier allows exactly this path on these hosts.
    const healthRule = `Path(\`${props.healthCheckPath}\`) && (${addresses.map((ip) => `Host(\`${ip}\`)`).join(' || ')})`;
    const namespace = new NamespaceV1(this, 'namespace', {
      metadata: {
        name: TRAEFIK_NAMESPACE,
        labels: {
          // The load balancer controller holds a new pod's readiness until its NLB target is healthy,
          // so a rollout never leaves the NLB with only initial or draining targets (LBC pod readiness gate).
          'elbv2.k8s.aws/pod-readiness-gate-inject': 'enabled',
          'pod-security.kubernetes.io/enforce': 'baseline',
          'pod-security.kubernetes.io/warn': 'restricted',
        },
      },
      dependsOn: props.namespaceDependsOn,
    });
    this.release = new Release(this, 'release', {
      name: TRAEFIK_RELEASE,
      namespace: namespace.metadata.name,
      ...TRAEFIK_CHART,
      atomic: true,
      timeout: 900,
      values: [
        staticValues('traefik.yaml'),
        ...overlayValues({
          ports: {
            web: {
              // X-Forwarded-For and -Proto come from the ALB through the NLB (client IP preservation off).
              forwardedHeaders: { trustedIPs: addresses.map((ip) => `${ip}/32`) },
              http: {
                middlewares: [STRIP_MIDDLEWARE, MIDDLEWARE].map((name) => `${TRAEFIK_NAMESPACE}-${name}@kubernetescrd`),
              },
            },
          },
          ingressRoute: { healthcheck: { enabled: true, entryPoints: ['web'], matchRule: healthRule } },
          extraObjects: [
            {
              apiVersion: 'traefik.io/v1alpha1',
              kind: 'Middleware',
              metadata: { name: STRIP_MIDDLEWARE, namespace: TRAEFIK_NAMESPACE },
              spec: { headers: traefikStripHeaders() },
            },
            {
              apiVersion: 'traefik.io/v1alpha1',
              kind: 'Middleware',
              metadata: { name: MIDDLEWARE, namespace: TRAEFIK_NAMESPACE },
              spec: { forwardAuth: traefikForwardAuth(props.verifier) },
            },
          ],
          service: {
            annotations: {
              ...NlbAddresses.annotations(props.nlb),
              'service.beta.kubernetes.io/aws-load-balancer-security-groups': props.securityGroupId,
            },
          },
        }),
      ],
      dependsOn: [...(props.dependsOn ?? []), namespace],
      lifecycle: props.preconditions?.length ? { precondition: props.preconditions } : undefined,
    });
  }
}
