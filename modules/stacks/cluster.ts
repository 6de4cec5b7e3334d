import { DataAwsEksCluster } from '@cdktf/provider-aws/lib/data-aws-eks-cluster';
import { DataAwsEksClusterAuth } from '@cdktf/provider-aws/lib/data-aws-eks-cluster-auth';
import { DataAwsVpc } from '@cdktf/provider-aws/lib/data-aws-vpc';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { Release } from '@cdktf/provider-helm/lib/release';
import { DeploymentV1 } from '@cdktf/provider-kubernetes/lib/deployment-v1';
import { IngressV1 } from '@cdktf/provider-kubernetes/lib/ingress-v1';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { ServiceV1 } from '@cdktf/provider-kubernetes/lib/service-v1';
import { Fn, Token, type TerraformRemoteState } from 'cdktf';
import { Construct } from 'constructs';
import { readFileSync } from 'fs';
import { join } from 'path';
import { stringify as toYaml } from 'yaml';
import { declareJwtClaims, declareSecurityGroupRole } from '../policy/facts';
import { CentralAuthStack, type CentralAuthStackProps } from './base';
import type { ClusterPlan, EchoAppPlan, GrafanaPlan } from '../plan/types';
import { grafanaJwtEnv } from '../plan/grafana';
import { AUTH_OUTPUTS, CLUSTER_OUTPUTS, STACKS, type StackName } from './outputs';

/** Pinned chart versions: upgrades are reviewed changes, never drift. */
export const CHARTS = {
  ingressNginx: { repository: 'https://kubernetes.github.io/ingress-nginx', chart: 'ingress-nginx', version: '4.14.1' },
  grafana: { repository: 'https://grafana.github.io/helm-charts', chart: 'grafana', version: '10.1.2' },
} as const;

export const ECHO_IMAGE = 'ealen/echo-server:0.9.2';
export const INGRESS_NAMESPACE = 'ingress-nginx';
export const APPS_NAMESPACE = 'central-auth';
export const INGRESS_CLASS = 'nginx';
/** Tag the AWS Load Balancer Controller puts on the internal NLB so the edge stack can find it. */
export const INGRESS_NLB_TAG_KEY = 'central-auth/ingress-nlb';

export const HELM_VALUES_DIR = join(__dirname, '..', '..', 'helm-values');

function staticValues(file: string): string {
  return readFileSync(join(HELM_VALUES_DIR, file), 'utf8');
}

type Values = { readonly [key: string]: string | readonly string[] | Values };

/**
 * Splits chart values into a plain YAML document and a `yamlencode(...)` of the values that are
 * Terraform references. Literal strings never go inside the Terraform expression, where quotes
 * (as in Grafana's JMESPath) would need HCL escaping that cdktf does not do.
 */
export function overlayValues(values: Values): string[] {
  const split = (v: Values): [Values, Values] => {
    const plain: Record<string, unknown> = {};
    const computed: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(v)) {
      if (typeof value === 'string' || Array.isArray(value)) {
        (Token.isUnresolved(value) || (Array.isArray(value) && value.some((x) => Token.isUnresolved(x))) ? computed : plain)[key] = value;
      } else {
        const [p, c] = split(value as Values);
        if (Object.keys(p).length) plain[key] = p;
        if (Object.keys(c).length) computed[key] = c;
      }
    }
    return [plain as Values, computed as Values];
  };
  const [plain, computed] = split(values);
  return [
    ...(Object.keys(plain).length ? [toYaml(plain, { lineWidth: 0 })] : []),
    ...(Object.keys(computed).length ? [Token.asString(Fn.yamlencode(computed))] : []),
  ];
}

/**
 * ingress-nginx behind an internal NLB, Grafana signed in by the ALB's token, and the sample
 * apps. Also owns the ALB's security group: the NLB's group must name it before the ALB exists.
 */
export class ClusterStack extends CentralAuthStack {
  readonly albSecurityGroup: SecurityGroup;
  readonly ingressSecurityGroup: SecurityGroup;
  readonly ingressNginx: Release;
  private readonly auth: TerraformRemoteState;
  private readonly appsNamespace: NamespaceV1;
  private readonly workloads = new Set<string>();

  constructor(scope: Construct, id: StackName, props: CentralAuthStackProps<ClusterPlan>) {
    super(scope, id, props.shared);
    const { plan } = props;
    this.auth = this.remoteState(STACKS.auth);

    // Providers are configured from the cluster by name: no kubeconfig file on the runner.
    const cluster = new DataAwsEksCluster(this, 'eks', { name: plan.clusterName });
    const clusterAuth = new DataAwsEksClusterAuth(this, 'eks-auth', { name: plan.clusterName });
    const endpoint = {
      host: cluster.endpoint,
      clusterCaCertificate: Fn.base64decode(cluster.certificateAuthority.get(0).data),
      token: clusterAuth.token,
    };
    new KubernetesProvider(this, 'kubernetes', endpoint);
    new HelmProvider(this, 'helm', { kubernetes: endpoint });

    const vpc = new DataAwsVpc(this, 'vpc', { id: plan.vpcId });
    this.albSecurityGroup = new SecurityGroup(this, 'alb-sg', {
      // create_before_destroy needs a generated name: two groups in a VPC cannot share one.
      namePrefix: `${plan.namePrefix}-alb-`,
      description: 'Central auth ALB: HTTPS and HTTP from clients',
      vpcId: plan.vpcId,
      lifecycle: { createBeforeDestroy: true },
    });
    this.ingressSecurityGroup = new SecurityGroup(this, 'ingress-sg', {
      namePrefix: `${plan.namePrefix}-ingress-`,
      description: 'ingress-nginx internal NLB: reachable only from the central auth ALB',
      vpcId: plan.vpcId,
      lifecycle: { createBeforeDestroy: true },
    });
    declareSecurityGroupRole(this.albSecurityGroup, 'alb');
    declareSecurityGroupRole(this.ingressSecurityGroup, 'ingress');
    this.securityGroupRules(vpc.cidrBlock);

    const nlbTags = { [INGRESS_NLB_TAG_KEY]: plan.nlbTagValue, 'elbv2.k8s.aws/cluster': plan.clusterName };
    this.ingressNginx = new Release(this, 'ingress-nginx', {
      name: 'ingress-nginx',
      namespace: INGRESS_NAMESPACE,
      createNamespace: true,
      ...CHARTS.ingressNginx,
      atomic: true,
      timeout: 900,
      values: [
        staticValues('ingress-nginx.yaml'),
        ...overlayValues({
          controller: {
            config: { 'proxy-real-ip-cidr': vpc.cidrBlock },
            service: {
              annotations: {
                'service.beta.kubernetes.io/aws-load-balancer-security-groups': this.ingressSecurityGroup.id,
                'service.beta.kubernetes.io/aws-load-balancer-additional-resource-tags': Object.entries(nlbTags)
                  .filter(([k]) => k === INGRESS_NLB_TAG_KEY)
                  .map(([k, v]) => `${k}=${v}`)
                  .join(','),
              },
            },
          },
        }),
      ],
    });

    this.appsNamespace = new NamespaceV1(this, 'apps-namespace', {
      metadata: {
        name: APPS_NAMESPACE,
        labels: { 'pod-security.kubernetes.io/enforce': 'baseline', 'pod-security.kubernetes.io/warn': 'restricted' },
      },
    });

    if (plan.grafana) this.addGrafana(plan.grafana);
    plan.echoApps.forEach((app) => this.addEchoApp(app));

    this.publish(CLUSTER_OUTPUTS.albSecurityGroupId, { value: this.albSecurityGroup.id });
    this.publish(CLUSTER_OUTPUTS.ingressSecurityGroupId, { value: this.ingressSecurityGroup.id });
    this.publish(CLUSTER_OUTPUTS.ingressNlbTags, { value: nlbTags, dependsOn: [this.ingressNginx] });
  }

  /** Grafana with JWT sign-in on the ALB's access-token header, wired from the auth stack. */
  addGrafana(app: GrafanaPlan): Release {
    this.claimWorkload(app);
    const issuerUrl = this.auth.getString(AUTH_OUTPUTS.issuerUrl);
    // Grafana's tokens come from the app client that serves its host.
    const clientId = Token.asString(Fn.element(this.auth.get(AUTH_OUTPUTS.clientIds), app.client));
    const claims = { iss: issuerUrl, client_id: clientId, token_use: 'access' };
    const expectClaims = Fn.jsonencode(claims);
    const env = grafanaJwtEnv(
      {
        host: app.host,
        issuerUrl,
        jwksUrl: this.auth.getString(AUTH_OUTPUTS.jwksUrl),
        clientId,
        signoutPath: app.signoutPath,
        roleAttributePath: app.roleAttributePath,
      },
      expectClaims,
    );
    const release = new Release(this, `app-${app.name}`, {
      name: app.name,
      namespace: this.appsNamespace.metadata.name,
      ...CHARTS.grafana,
      atomic: true,
      timeout: 600,
      values: [staticValues('grafana.yaml'), ...overlayValues({ ingress: { hosts: [app.host] }, env })],
      // The ingress-nginx admission webhook must be running before an Ingress is created.
      dependsOn: [this.ingressNginx],
    });
    declareJwtClaims(release, claims);
    return release;
  }

  /** A header-echo service, handy to see what the ALB passes on. */
  addEchoApp(app: EchoAppPlan): IngressV1 {
    this.claimWorkload(app);
    const namespace = this.appsNamespace.metadata.name;
    const labels = { 'app.kubernetes.io/name': app.name, 'app.kubernetes.io/part-of': 'central-auth' };
    new DeploymentV1(this, `app-${app.name}-deployment`, {
      metadata: { name: app.name, namespace, labels },
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
                env: [{ name: 'PORT', value: '8080' }],
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
    new ServiceV1(this, `app-${app.name}-service`, {
      metadata: { name: app.name, namespace, labels },
      spec: { selector: labels, port: [{ name: 'http', port: 80, targetPort: 'http' }] },
    });
    return new IngressV1(this, `app-${app.name}-ingress`, {
      metadata: { name: app.name, namespace, labels },
      spec: {
        ingressClassName: INGRESS_CLASS,
        rule: [
          {
            host: app.host,
            http: { path: [{ path: '/', pathType: 'Prefix', backend: { service: { name: app.name, port: { name: 'http' } } } }] },
          },
        ],
      },
      dependsOn: [this.ingressNginx],
    });
  }

  private claimWorkload(app: { readonly name: string }): void {
    if (this.workloads.has(app.name)) throw new Error(`ClusterStack: app "${app.name}" is already deployed`);
    this.workloads.add(app.name);
  }

  private securityGroupRules(vpcCidr: string): void {
    const alb = this.albSecurityGroup.id;
    const ingress = this.ingressSecurityGroup.id;
    for (const [port, what] of [
      [443, 'HTTPS from clients'],
      [80, 'HTTP from clients, redirected to HTTPS'],
    ] as const) {
      new VpcSecurityGroupIngressRule(this, `alb-in-${port}`, {
        securityGroupId: alb,
        ipProtocol: 'tcp',
        fromPort: port,
        toPort: port,
        cidrIpv4: '0.0.0.0/0',
        description: what,
      });
    }
    new VpcSecurityGroupEgressRule(this, 'alb-out-ingress', {
      securityGroupId: alb,
      ipProtocol: 'tcp',
      fromPort: 80,
      toPort: 80,
      referencedSecurityGroupId: ingress,
      description: 'To the ingress-nginx NLB only',
    });
    // authenticate-oidc calls Cognito's token and userinfo endpoints from the ALB itself.
    new VpcSecurityGroupEgressRule(this, 'alb-out-idp', {
      securityGroupId: alb,
      ipProtocol: 'tcp',
      fromPort: 443,
      toPort: 443,
      cidrIpv4: '0.0.0.0/0',
      description: 'To the Cognito token and userinfo endpoints',
    });
    new VpcSecurityGroupIngressRule(this, 'ingress-in-alb', {
      securityGroupId: ingress,
      ipProtocol: 'tcp',
      fromPort: 80,
      toPort: 80,
      referencedSecurityGroupId: alb,
      description: 'HTTP from the central auth ALB only',
    });
    new VpcSecurityGroupEgressRule(this, 'ingress-out-pods', {
      securityGroupId: ingress,
      ipProtocol: 'tcp',
      fromPort: 80,
      toPort: 80,
      cidrIpv4: vpcCidr,
      description: 'To ingress-nginx pods (IP targets) in the VPC',
    });
  }
}
