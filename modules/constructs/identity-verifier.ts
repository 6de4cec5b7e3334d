import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1';
import { DeploymentV1 } from '@cdktf/provider-kubernetes/lib/deployment-v1';
import { HorizontalPodAutoscalerV2 } from '@cdktf/provider-kubernetes/lib/horizontal-pod-autoscaler-v2';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { NetworkPolicyV1 } from '@cdktf/provider-kubernetes/lib/network-policy-v1';
import { PodDisruptionBudgetV1 } from '@cdktf/provider-kubernetes/lib/pod-disruption-budget-v1';
import { PriorityClassV1 } from '@cdktf/provider-kubernetes/lib/priority-class-v1';
import { ServiceV1 } from '@cdktf/provider-kubernetes/lib/service-v1';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { createHash } from 'crypto';
import { readFileSync } from 'fs';
import { join } from 'path';
import { DEFAULT_VERIFIER_IMAGE } from '../config/sections/verifier';
import { terraformLiteral } from '../config/strings';
import { handlerFiles } from './lambda-package';
import { READY_PATH } from '../../verifier/endpoints';
import type { VerifierPlan } from '../plan/types';
import { VERIFIER_NAME } from '../plan/naming';

export const VERIFIER_DIR = join(__dirname, '..', '..', 'verifier');
/** The default image (config `verifier.image`): config/sections/verifier.ts says which and why. */
export const VERIFIER_IMAGE = DEFAULT_VERIFIER_IMAGE;
export { VERIFIER_NAME } from '../plan/naming';
/** The ALB target group's health check path (edge stack), which every router answers. */
export const HEALTH_CHECK_PATH = '/healthz';
/** Service port = container port: the VPC CNI's network policies need them equal (EKS user guide). */
export const VERIFIER_PORT = 8080;
const CODE_DIR = '/opt/verifier';
/** The image's `node` user (nodejs/docker-node Dockerfile): the image itself runs as root. */
const NODE_UID = '1000';
/** How long a stopping pod keeps answering while it leaves the Service's endpoints. */
const DRAIN_SECONDS = 5;
/**
 * What one pod is given, from `npm run bench:verifier` (docs/benchmark.md): about 70 µs of CPU a
 * request behind Traefik (kept connections), about 170 µs behind ingress-nginx (a connection per
 * request), so 250m serves about 3,500 or 1,500 requests a second (the autoscaler adds pods at 60 %). No CPU limit: Node runs one
 * thread, which a CFS quota would stall for tens of milliseconds on every app at once; the
 * autoscaler adds pods at 60 % of the request instead. Memory: the heap, plus the token cache's
 * 32 MB bound, requested as much as the limit: under memory pressure the kubelet evicts pods that use
 * more than they requested before it looks at priority, so a request below the limit would undo the
 * PriorityClass below.
 */
export const VERIFIER_RESOURCES = { requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '256Mi' } } as const;
/** Scale out at this share of the CPU request: headroom for a burst while a new pod starts (seconds). */
export const VERIFIER_TARGET_CPU_PERCENT = 60;
/**
 * Above every app's pods (which have none, 0) and below the cluster's own critical classes
 * (2,000,000,000): under node pressure the kubelet evicts apps before the lock they all depend on
 * (among pods within their requests, which the verifier always is). It never preempts an app's pod
 * to place a verifier (preemptionPolicy Never): a scale-up under load waits for the node
 * autoscaler instead of evicting apps in the very spike it answers; it still goes first in the
 * scheduling queue.
 */
export const VERIFIER_PRIORITY = 1_000_000;

/** The verifier's code: every .js file of verifier/, by name (what the ConfigMap ships). */
export function verifierSources(): Record<string, string> {
  return Object.fromEntries(handlerFiles(VERIFIER_DIR).map((f) => [f, readFileSync(join(VERIFIER_DIR, f), 'utf8')]));
}

/** The verifier's config.json (verifier/config.js): only what is known at synth time. */
export function verifierConfigJson(plan: VerifierPlan, region: string): string {
  const config = {
    region,
    hosts: plan.hosts,
    publicHosts: plan.publicHosts,
    signoutPath: plan.signoutPath,
    // `/verify` reads ingress-nginx's headers; Traefik asks `/verify/traefik`.
    router: 'ingress-nginx',
    ...(plan.healthCheckHosts.length ? { healthCheck: { hosts: plan.healthCheckHosts, path: HEALTH_CHECK_PATH } } : {}),
    ...(plan.logLevel === 'debug' ? { logLevel: 'debug' } : {}),
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}

export interface IdentityVerifierProps {
  readonly plan: VerifierPlan;
  readonly region: string;
  /** Namespace of its own, with the restricted Pod Security Standard. */
  readonly namespace: string;
  /** The routers' namespaces and pod labels: the only callers admitted. */
  readonly routers: readonly { readonly namespace: string; readonly podLabels: Readonly<Record<string, string>> }[];
  /** Terraform-computed settings (verifier/config.js ENV_FIELDS). */
  readonly environment: {
    /** `COGNITO_ISSUER_URL` */
    readonly issuerUrl: string;
    /** `COGNITO_JWKS_URL` */
    readonly jwksUrl: string;
    /** `CLIENT_IDS`: every app client of the ALB, comma-separated. */
    readonly clientIds: string;
    /** `ALB_ARNS`: this environment's ALB, as a pattern with id `*`. */
    readonly albArns: string;
  };
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * The identity check behind the router's external auth: zero-dependency Node.js (verifier/),
 * shipped in a ConfigMap and run on a public Node image pinned by digest. `verifier.minReplicas` to
 * `maxReplicas` pods (3-12 by default, scaled on CPU), a PodDisruptionBudget, non-root, read-only,
 * and reachable only from the router's pods.
 */
export class IdentityVerifier extends Construct {
  readonly namespace: NamespaceV1;
  readonly deployment: DeploymentV1;
  readonly service: ServiceV1;
  /** Where the router sends its auth subrequests. */
  readonly address: { readonly namespace: string; readonly service: string; readonly port: number };

  constructor(scope: Construct, id: string, props: IdentityVerifierProps) {
    super(scope, id);
    const name = VERIFIER_NAME;
    const labels = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': 'central-auth' };
    this.namespace = new NamespaceV1(this, 'namespace', {
      metadata: {
        name: props.namespace,
        labels: { 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/warn': 'restricted' },
      },
      dependsOn: props.dependsOn,
    });
    const namespace = this.namespace.metadata.name;

    const files = { ...verifierSources(), 'config.json': verifierConfigJson(props.plan, props.region) };
    const code = new ConfigMapV1(this, 'code', {
      metadata: { name, namespace, labels },
      // The JavaScript holds "${" template literals: Terraform must read every file literally.
      data: Object.fromEntries(Object.entries(files).map(([file, text]) => [file, terraformLiteral(text)])),
    });
    // A changed file must restart the pods: Node reads its modules once.
    const checksum = createHash('sha256')
      .update(JSON.stringify(Object.entries(files)))
      .digest('hex');

    const env = props.environment;
    const priority = new PriorityClassV1(this, 'priority', {
      metadata: { name: `${props.namespace}-critical` },
      value: VERIFIER_PRIORITY,
      globalDefault: false,
      preemptionPolicy: 'Never',
      description: 'The identity verifier every request to every app waits on: evicted after the apps it guards.',
    });
    this.deployment = new DeploymentV1(this, 'deployment', {
      metadata: { name, namespace, labels },
      // The autoscaler owns the count once it exists; Terraform only sets the first one.
      lifecycle: { ignoreChanges: ['spec[0].replicas'] },
      spec: {
        replicas: String(props.plan.replicas.min),
        selector: { matchLabels: labels },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '0', maxSurge: '1' } },
        template: {
          metadata: { labels, annotations: { 'central-auth/code-sha256': checksum } },
          spec: {
            automountServiceAccountToken: false,
            terminationGracePeriodSeconds: 30,
            priorityClassName: priority.metadata.name,
            securityContext: {
              runAsNonRoot: true,
              runAsUser: NODE_UID,
              runAsGroup: NODE_UID,
              seccompProfile: { type: 'RuntimeDefault' },
            },
            topologySpreadConstraint: [
              {
                maxSkew: 1,
                topologyKey: 'topology.kubernetes.io/zone',
                whenUnsatisfiable: 'ScheduleAnyway',
                labelSelector: [{ matchLabels: labels }],
              },
              {
                maxSkew: 1,
                topologyKey: 'kubernetes.io/hostname',
                whenUnsatisfiable: 'ScheduleAnyway',
                labelSelector: [{ matchLabels: labels }],
              },
            ],
            container: [
              {
                name,
                image: props.plan.image,
                command: ['node', `${CODE_DIR}/server.js`],
                env: [
                  { name: 'COGNITO_ISSUER_URL', value: env.issuerUrl },
                  { name: 'COGNITO_JWKS_URL', value: env.jwksUrl },
                  { name: 'CLIENT_IDS', value: env.clientIds },
                  { name: 'ALB_ARNS', value: env.albArns },
                  { name: 'PORT', value: String(VERIFIER_PORT) },
                  { name: 'NODE_ENV', value: 'production' },
                ],
                port: [{ containerPort: VERIFIER_PORT, name: 'http' }],
                volumeMount: [{ name: 'code', mountPath: CODE_DIR, readOnly: true }],
                // Repeated from the pod: the provider sends every field of this block, an unset
                // run_as_non_root as false, which Pod Security "restricted" refuses.
                securityContext: {
                  runAsNonRoot: true,
                  runAsUser: NODE_UID,
                  runAsGroup: NODE_UID,
                  allowPrivilegeEscalation: false,
                  readOnlyRootFilesystem: true,
                  capabilities: { drop: ['ALL'] },
                  seccompProfile: { type: 'RuntimeDefault' },
                },
                // The server stops listening on SIGTERM; kube-proxy drops the pod from the Service
                // a moment later. Until then a router subrequest would be refused: a 500 for a user.
                lifecycle: { preStop: [{ exec: { command: ['sleep', String(DRAIN_SECONDS)] } }] },
                resources: { requests: { ...VERIFIER_RESOURCES.requests }, limits: { ...VERIFIER_RESOURCES.limits } },
                // Ready once the pool's keys are loaded: a pod that cannot fetch them would refuse every user.
                readinessProbe: { httpGet: { path: READY_PATH, port: 'http' }, periodSeconds: 5 },
                livenessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 10, failureThreshold: 3 },
              },
            ],
            volume: [{ name: 'code', configMap: { name: code.metadata.name, defaultMode: '0444' } }],
          },
        },
      },
    });
    // One pod at a time through voluntary disruptions (node drains, upgrades), however many the
    // autoscaler runs: with at least three, two stay ready (a fixed minAvailable would not grow with it).
    new PodDisruptionBudgetV1(this, 'pdb', {
      metadata: { name, namespace, labels },
      spec: { maxUnavailable: '1', selector: { matchLabels: labels } },
    });
    new HorizontalPodAutoscalerV2(this, 'autoscaler', {
      metadata: { name, namespace, labels },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: this.deployment.metadata.name },
        minReplicas: props.plan.replicas.min,
        maxReplicas: props.plan.replicas.max,
        metric: [
          { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: VERIFIER_TARGET_CPU_PERCENT } } },
        ],
        behavior: {
          // Up at once (a morning's sign-ins arrive together), down slowly (no flapping).
          scaleUp: [{ stabilizationWindowSeconds: 0, selectPolicy: 'Max', policy: [{ type: 'Percent', value: 100, periodSeconds: 15 }] }],
          scaleDown: [{ stabilizationWindowSeconds: 300, selectPolicy: 'Max', policy: [{ type: 'Pods', value: 1, periodSeconds: 60 }] }],
        },
      },
    });
    this.service = new ServiceV1(this, 'service', {
      metadata: { name, namespace, labels },
      // The router's default backend is the Service's first (only) port.
      spec: { selector: labels, port: [{ name: 'http', port: VERIFIER_PORT, targetPort: String(VERIFIER_PORT) }] },
    });
    const tcp = (port: string) => ({ port, protocol: 'TCP' });
    new NetworkPolicyV1(this, 'network-policy', {
      metadata: { name: `${name}-router-only`, namespace },
      spec: {
        podSelector: { matchLabels: labels },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [
          {
            from: props.routers.map((router) => ({
              namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': router.namespace } },
              podSelector: { matchLabels: { ...router.podLabels } },
            })),
            ports: [tcp(String(VERIFIER_PORT))],
          },
        ],
        egress: [
          // DNS, then the ALB key endpoint and the pool's JWKS (public HTTPS endpoints).
          { ports: [tcp('53'), { port: '53', protocol: 'UDP' }] },
          { to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [tcp('443')] },
        ],
      },
    });
    this.address = { namespace: props.namespace, service: name, port: VERIFIER_PORT };
  }
}
