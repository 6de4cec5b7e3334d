import { DeploymentV1 } from '@cdktf/provider-kubernetes/lib/deployment-v1';
import { IngressV1 } from '@cdktf/provider-kubernetes/lib/ingress-v1';
import { ServiceV1 } from '@cdktf/provider-kubernetes/lib/service-v1';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';

/** Pinned: upgrades are reviewed changes. */
export const ECHO_IMAGE = 'ealen/echo-server:0.9.2';

export interface EchoAppProps {
  readonly name: string;
  readonly host: string;
  readonly namespace: string;
  readonly ingressClassName: string;
  /** The router, whose admission webhook must run before an Ingress is created. */
  readonly dependsOn?: ITerraformDependable[];
}

/** A header-echo service behind the router: shows what an app receives (the verified identity headers). */
export class EchoApp extends Construct {
  readonly deployment: DeploymentV1;
  readonly service: ServiceV1;
  readonly ingress: IngressV1;

  constructor(scope: Construct, id: string, props: EchoAppProps) {
    super(scope, id);
    const { name, host, namespace } = props;
    const labels = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': 'central-auth' };
    this.deployment = new DeploymentV1(this, 'deployment', {
      metadata: { name, namespace, labels },
      spec: {
        replicas: '2',
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            automountServiceAccountToken: false,
            container: [
              {
                name: 'echo',
                image: ECHO_IMAGE,
                // Echo the request headers only: behind the verifier those are the identity headers
                // (X-Auth-Request-*), never a token. Ealen/Echo-Server turns on by default the
                // environment, the cookies (the ALB session) and file reads (?echo_file=).
                env: [
                  { name: 'PORT', value: '8080' },
                  { name: 'ENABLE__ENVIRONMENT', value: 'false' },
                  { name: 'ENABLE__COOKIES', value: 'false' },
                  { name: 'ENABLE__FILE', value: 'false' },
                ],
                port: [{ containerPort: 8080, name: 'http' }],
                securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
                resources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { memory: '128Mi' } },
                readinessProbe: { httpGet: { path: '/', port: 'http' } },
              },
            ],
          },
        },
      },
    });
    this.service = new ServiceV1(this, 'service', {
      metadata: { name, namespace, labels },
      spec: { selector: labels, port: [{ name: 'http', port: 80, targetPort: 'http' }] },
    });
    this.ingress = new IngressV1(this, 'ingress', {
      metadata: { name, namespace, labels },
      spec: {
        ingressClassName: props.ingressClassName,
        rule: [{ host, http: { path: [{ path: '/', pathType: 'Prefix', backend: { service: { name, port: { name: 'http' } } } }] } }],
      },
      dependsOn: props.dependsOn,
    });
  }
}
