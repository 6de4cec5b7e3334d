import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsEksCluster } from '@cdktf/provider-aws/lib/data-aws-eks-cluster';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { DataAwsVpc } from '@cdktf/provider-aws/lib/data-aws-vpc';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { Release } from '@cdktf/provider-helm/lib/release';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { Fn, type ITerraformDependable } from 'cdktf';
import type { Construct } from 'constructs';
import { ClusterPrerequisites } from '../constructs/cluster-prerequisites';
import { EchoApp } from '../constructs/echo-app';
import { EksAccess } from '../constructs/eks-access';
import { IdentityVerifier } from '../constructs/identity-verifier';
import { overlayValues, staticValues, type Values } from '../constructs/helm-values';
import { NetworkIsolation, ROUTER_POD_LABELS } from '../constructs/network-isolation';
import { TRAEFIK_CHART, TRAEFIK_NAMESPACE, TRAEFIK_POD_LABELS, type TraefikRouter } from '../constructs/traefik-router';
import { NlbAddresses } from '../constructs/nlb-addresses';
import { grafanaJwtEnv } from '../plan/grafana';
import type { ClusterPlan, GrafanaPlan } from '../plan/types';
import { declareJwtClaims, declareSecurityGroupRole } from '../policy/facts';
import { CentralAuthStack, type CentralAuthStackProps } from './base';
import {
  AUTH_OUTPUTS,
  authContract,
  authPlaceholders,
  CLUSTER_OUTPUTS,
  clusterContract,
  CONTRACT_OUTPUT,
  STACKS,
  type StackName,
} from './outputs';
import { FORGOTTEN_CLUSTER_RESOURCES, forget, type Move, moved } from './migrations';
import type { Upstream } from './upstream';
import { addRouters, INGRESS_CLASS, INGRESS_NAMESPACE, INGRESS_NGINX_CHART, INGRESS_RELEASE } from './cluster-routers';
import { VERIFIER_NAMESPACE } from '../plan/naming';

/** Pinned chart versions: upgrades are reviewed changes, never drift (the routers' are in cluster-routers.ts). */
export const CHARTS = {
  ingressNginx: INGRESS_NGINX_CHART,
  traefik: TRAEFIK_CHART,
  // Grafana's chart moved to the grafana-community repository in 2026 (the grafana/helm-charts copy is frozen and deprecated).
  grafana: { repository: 'https://grafana-community.github.io/helm-charts', chart: 'grafana', version: '12.11.1' },
} as const;

export { INGRESS_CLASS, INGRESS_NAMESPACE, INGRESS_RELEASE };
export const APPS_NAMESPACE = 'central-auth';
export { VERIFIER_NAMESPACE } from '../plan/naming';

/** How the providers authenticate to EKS: a fresh token per call (aws eks get-token), never one that expires mid-install. */
export function eksExec(clusterName: string, region: string): { apiVersion: string; command: string; args: string[] } {
  return {
    apiVersion: 'client.authentication.k8s.io/v1beta1',
    command: 'aws',
    args: ['eks', 'get-token', '--cluster-name', clusterName, '--region', region, '--output', 'json'],
  };
}

/**
 * The router (ingress-nginx) behind an internal NLB at pinned addresses, Grafana signed in by the
 * ALB's token, and the sample apps. Owns the NLB's security group, which the NLB is created
 * with; the edge stack adds the rule that admits the ALB.
 */
export class ClusterStack extends CentralAuthStack {
  readonly ingressSecurityGroup: SecurityGroup;
  /** The release `ingress-nginx`: the controller, or only the IngressClass `nginx` once Traefik replaced it. */
  readonly ingressNginx: Release;
  readonly traefik?: TraefikRouter;
  /** The releases that serve Ingresses (the routers in the plan). */
  readonly routerReleases: Release[];
  readonly verifier: IdentityVerifier;
  readonly prerequisites: ClusterPrerequisites;
  private readonly auth: Upstream;
  private readonly appsNamespace: NamespaceV1;
  private readonly workloads = new Set<string>();

  constructor(scope: Construct, id: StackName, props: CentralAuthStackProps<ClusterPlan>) {
    super(scope, id, props.shared);
    const { plan, shared } = props;
    this.auth = this.upstream(STACKS.auth, authPlaceholders(shared.region, plan.clientKeys), authContract(plan.clientKeys));

    // Providers are configured from the cluster by name: no kubeconfig file on the runner.
    const cluster = new DataAwsEksCluster(this, 'eks', { name: plan.clusterName });
    const endpoint = {
      host: cluster.endpoint,
      clusterCaCertificate: Fn.base64decode(cluster.certificateAuthority.get(0).data),
    };
    const exec = eksExec(plan.clusterName, shared.region);
    new KubernetesProvider(this, 'kubernetes', { ...endpoint, exec: [exec] });
    new HelmProvider(this, 'helm', { kubernetes: { ...endpoint, exec } });

    const access = new EksAccess(this, 'eks-access', {
      clusterName: plan.clusterName,
      authenticationMode: cluster.accessConfig.get(0).authenticationMode,
      ...plan.eks,
    });
    const afterAccess: ITerraformDependable[] = access.associations;
    this.prerequisites = new ClusterPrerequisites(this, 'prerequisites', {
      ingressClass: { name: INGRESS_CLASS, releaseName: INGRESS_RELEASE, releaseNamespace: INGRESS_NAMESPACE },
      storageClassName: plan.grafana?.storageClassName,
      gatewayApi: plan.routers.some((r) => r.kind === 'traefik'),
      dependsOn: afterAccess.length ? afterAccess : undefined,
    });
    const addresses = new NlbAddresses(this, 'nlb-addresses', { vpcId: plan.vpcId, addresses: plan.nlb });

    const vpc = new DataAwsVpc(this, 'vpc', { id: plan.vpcId });
    this.ingressSecurityGroup = new SecurityGroup(this, 'ingress-sg', {
      // create_before_destroy needs a generated name: two groups in a VPC cannot share one.
      namePrefix: `${plan.namePrefix}-ingress-`,
      // Kept word for word from 0.1.0 although the router may now be Traefik: a group's description
      // is ForceNew (hashicorp/aws internal/service/ec2/vpc_security_group.go), and the replacement
      // could never delete the old group, which 0.1.0's ALB group still names in an egress rule that
      // this stack forgets (migrations.ts): EC2 answers DependencyViolation for 15 minutes and the
      // apply fails. The upgrade test (__tests__/scripts/upgrade.test.ts) pins every such attribute.
      description: 'ingress-nginx internal NLB: reachable only from the central auth ALB',
      vpcId: plan.vpcId,
      lifecycle: { createBeforeDestroy: true },
    });
    declareSecurityGroupRole(this.ingressSecurityGroup, 'ingress');
    this.verifier = this.addVerifier(plan, shared.region, afterAccess);
    const routers = addRouters(this, {
      routers: plan.routers,
      securityGroupId: this.ingressSecurityGroup.id,
      vpcCidr: vpc.cidrBlock,
      verifier: this.verifier.address,
      dependsOn: [...addresses.reservations, this.verifier.deployment, this.verifier.service],
      namespaceDependsOn: afterAccess.length ? afterAccess : undefined,
      preconditions: { any: this.prerequisites.router, traefik: this.prerequisites.gatewayApi },
    });
    this.ingressNginx = routers.ingressNginx;
    this.traefik = routers.traefik;
    this.routerReleases = routers.releases;

    this.appsNamespace = new NamespaceV1(this, 'apps-namespace', {
      metadata: {
        name: APPS_NAMESPACE,
        labels: { 'pod-security.kubernetes.io/enforce': 'baseline', 'pod-security.kubernetes.io/warn': 'restricted' },
      },
      dependsOn: afterAccess.length ? afterAccess : undefined,
    });

    new NetworkIsolation(this, 'network-isolation', {
      routers: routers.isolation,
      appsNamespace: APPS_NAMESPACE,
      vpcCidr: vpc.cidrBlock,
      dependsOn: [...this.routerReleases, this.appsNamespace],
    });

    if (plan.grafana) this.addGrafana(plan.grafana);
    const moves: Move[] = [];
    for (const app of plan.echoApps) {
      this.claimWorkload(app);
      const echo = new EchoApp(this, `app-${app.name}`, {
        ...app,
        namespace: this.appsNamespace.metadata.name,
        ingressClassName: INGRESS_CLASS,
        dependsOn: this.routerReleases,
      });
      // Until the EchoApp construct, these were top-level resources of this stack.
      moves.push(
        { from: `kubernetes_deployment_v1.app-${app.name}-deployment`, to: echo.deployment },
        { from: `kubernetes_service_v1.app-${app.name}-service`, to: echo.service },
        { from: `kubernetes_ingress_v1.app-${app.name}-ingress`, to: echo.ingress },
      );
    }
    moved(this, moves);

    forget(this, FORGOTTEN_CLUSTER_RESOURCES);
    this.publish(CLUSTER_OUTPUTS.ingressSecurityGroupId, { value: this.ingressSecurityGroup.id });
    this.publish(CONTRACT_OUTPUT, { value: clusterContract() });
    this.publishPlaceholders([this.auth]);
  }

  /** The identity check the router runs for every request, wired from the auth stack. */
  private addVerifier(plan: ClusterPlan, region: string, dependsOn: ITerraformDependable[]): IdentityVerifier {
    const account = new DataAwsCallerIdentity(this, 'account');
    const partition = new DataAwsPartition(this, 'partition');
    return new IdentityVerifier(this, 'verifier', {
      plan: plan.verifier,
      region,
      namespace: VERIFIER_NAMESPACE,
      // By router kind, not by which one is in use: a switch then only adds or removes a peer.
      routers: [...plan.routers]
        .sort((a, b) => a.kind.localeCompare(b.kind))
        .map((r) =>
          r.kind === 'traefik'
            ? { namespace: TRAEFIK_NAMESPACE, podLabels: TRAEFIK_POD_LABELS }
            : { namespace: INGRESS_NAMESPACE, podLabels: ROUTER_POD_LABELS },
        ),
      environment: {
        issuerUrl: this.auth.getString(AUTH_OUTPUTS.issuerUrl),
        jwksUrl: this.auth.getString(AUTH_OUTPUTS.jwksUrl),
        clientIds: Fn.join(
          ',',
          plan.clientKeys.map((key) => this.auth.mapValue(AUTH_OUTPUTS.clientIds, key)),
        ),
        // The ALB is created later, by edge: its name is known, its id is not.
        albArns: `arn:${partition.partition}:elasticloadbalancing:${region}:${account.accountId}:loadbalancer/app/${plan.verifier.albName}/*`,
      },
      dependsOn: dependsOn.length ? dependsOn : undefined,
    });
  }

  /** Grafana with JWT sign-in on the ALB's access-token header, wired from the auth stack. */
  addGrafana(app: GrafanaPlan): Release {
    this.claimWorkload(app);
    const issuerUrl = this.auth.getString(AUTH_OUTPUTS.issuerUrl);
    // Grafana's tokens come from the app client that serves its host.
    const clientId = this.auth.mapValue(AUTH_OUTPUTS.clientIds, app.client);
    const claims = { iss: issuerUrl, client_id: clientId, token_use: 'access' };
    const env = grafanaJwtEnv(
      {
        host: app.host,
        jwksUrl: this.auth.getString(AUTH_OUTPUTS.jwksUrl),
        signoutPath: app.signoutPath,
        roleAttributePath: app.roleAttributePath,
      },
      Fn.jsonencode(claims),
    );
    const persistence: Values = app.storageClassName ? { enabled: true, storageClassName: app.storageClassName } : { enabled: false };
    const release = new Release(this, `app-${app.name}`, {
      name: app.name,
      namespace: this.appsNamespace.metadata.name,
      ...CHARTS.grafana,
      atomic: true,
      timeout: 600,
      values: [staticValues('grafana.yaml'), ...overlayValues({ ingress: { hosts: [app.host] }, persistence, env })],
      // The router's admission webhook must be running before an Ingress is created.
      dependsOn: this.routerReleases,
      lifecycle: this.prerequisites.grafana.length ? { precondition: this.prerequisites.grafana } : undefined,
    });
    declareJwtClaims(release, claims);
    return release;
  }

  private claimWorkload(app: { readonly name: string }): void {
    if (this.workloads.has(app.name)) throw new Error(`ClusterStack: app "${app.name}" is already deployed`);
    this.workloads.add(app.name);
  }
}
