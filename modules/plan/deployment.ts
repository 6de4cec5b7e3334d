import type { ResolvedConfig } from '../config/defaults';
import { planCertificates } from './certificates';
import { VERIFIER_NAME, VERIFIER_NAMESPACE } from './naming';
import { grafanaRoleAttributePath } from './grafana';
import { type NlbAddress, planNlbAddresses } from './nlb';
import { planRouting, type RoutingPlan } from './routing';
import { IDP_GROUPS_ATTRIBUTE } from '../config/identity-providers';
import type { ClusterPlan, DeploymentPlan, EdgePlan, FederationPlan, MachineAccessPlan, RouterPlan } from './types';

/**
 * Decides everything the three stacks build, once, from the resolved config. The result is a
 * plain value: no construct, no token, no cache. Each stack receives its own slice.
 */
export interface PlanOptions {
  /**
   * The stacks are about to be applied (the deploy job), not only planned.
   * @default false
   */
  readonly applying?: boolean;
}

export function planDeployment(config: ResolvedConfig, options: PlanOptions = {}): DeploymentPlan {
  const { environment, region } = config;
  const namePrefix = `${environment}-central-auth`;
  const routing = planRouting({ apps: config.apps, callbackUrlsPerAppClient: config.quotas.callbackUrlsPerAppClient });
  // Decided once and shared by the slices that need them: both stacks must agree on these.
  const shared: SharedDecisions = {
    routing,
    namePrefix,
    clientKeys: routing.clients.map((c) => c.key),
    nlb: planNlbAddresses(config.nlb.subnets),
    routers: [
      { kind: config.router.use, inUse: true, nlb: planNlbAddresses(config.nlb.subnets, config.router.use) },
      ...(config.router.keep
        ? [{ kind: config.router.keep, inUse: false, nlb: planNlbAddresses(config.nlb.subnets, config.router.keep) }]
        : []),
    ],
  };
  const { groups, identityProviders, groupMapping, localUsers, requireGroup, customDomain, managedLogin, branding, passkeys, ...pool } =
    config.cognito;

  return deepFreeze({
    shared: { environment, region, state: config.state, applying: options.applying ?? false },
    auth: {
      pool: { ...pool, namePrefix, region },
      ...planMachineAccess(config, namePrefix),
      clients: routing.clients,
      groups: groups.map(({ name, description }) => ({ name, description })),
      federation: planFederation(config),
      signIn: {
        managedLogin,
        ...(managedLogin && branding ? { branding } : {}),
        ...(customDomain ? { customDomain: { name: customDomain, zoneName: config.zoneName } } : {}),
        // Validation refuses passkeys without a custom domain.
        ...(passkeys && customDomain ? { passkeys: { relyingPartyId: customDomain } } : {}),
      },
    },
    cluster: planCluster(config, shared),
    edge: planEdge(config, shared),
  });
}

/** What more than one slice is built from. */
interface SharedDecisions {
  readonly routing: RoutingPlan;
  readonly namePrefix: string;
  readonly clientKeys: readonly string[];
  readonly nlb: readonly NlbAddress[];
  readonly routers: readonly RouterPlan[];
}

function planEdge(config: ResolvedConfig, { routing, namePrefix, clientKeys, routers }: SharedDecisions): EdgePlan {
  const certificates = planCertificates({
    zoneName: config.zoneName,
    strategy: config.certificates,
    hosts: config.apps.map((a) => a.host),
    domainsPerCertificate: config.quotas.domainsPerCertificate,
  });
  return {
    albName: namePrefix,
    namePrefix,
    targetGroupTagName: `${config.environment}-ca-ingress`,
    vpcId: config.vpcId,
    publicSubnetIds: config.publicSubnetIds,
    zoneName: config.zoneName,
    alb: config.alb,
    waf: config.waf,
    alarms: config.alarms,
    verifierWorkload: { clusterName: config.clusterName, namespace: VERIFIER_NAMESPACE, name: VERIFIER_NAME },
    ...signInProvider(config),
    session: { cookieName: config.session.cookieName, timeoutSeconds: config.session.timeoutSeconds },
    certificates,
    defaultClient: clientKeys[0]!,
    clientKeys,
    rules: routing.rules,
    resourceServer: namePrefix,
    signout: {
      namePrefix,
      targetGroupName: `${config.environment}-ca-signout`,
      path: config.session.signoutPath,
      cookieName: config.session.cookieName,
      ...(config.session.signoutConcurrency === false ? {} : { reservedConcurrency: config.session.signoutConcurrency }),
      hosts: Object.fromEntries(
        [...routing.hostClients].sort(([a], [b]) => a.localeCompare(b)).map(([h, key]) => [h, clientKeys.indexOf(key)]),
      ),
      clientKeys,
    },
    nlbTargets: routers.flatMap((r) => r.nlb.map((address) => ({ ...address, router: r.kind }))),
    hosts: config.apps.map((a) => a.host),
  };
}

function planCluster(config: ResolvedConfig, { routing, namePrefix, clientKeys, nlb, routers }: SharedDecisions): ClusterPlan {
  const grafana = config.apps.find((a) => a.workload === 'grafana');
  return {
    clusterName: config.clusterName,
    vpcId: config.vpcId,
    namePrefix,
    nlb,
    routers,
    clientKeys,
    eks: config.eks,
    grafana: grafana && {
      name: grafana.name,
      host: grafana.host,
      client: routing.hostClients.get(grafana.host)!,
      signoutPath: config.session.signoutPath,
      roleAttributePath: grafanaRoleAttributePath(config.cognito.groups),
      storageClassName: config.grafana.persistence ? config.grafana.storageClassName : undefined,
    },
    verifier: {
      albName: namePrefix,
      image: config.verifier.image,
      replicas: { min: config.verifier.minReplicas, max: config.verifier.maxReplicas },
      logLevel: config.verifier.logLevel,
      hosts: Object.fromEntries(
        config.apps
          .filter((a) => a.access === 'protected')
          .map((a) => [
            a.host,
            {
              app: a.name,
              allowedGroups: a.allowedGroups,
              publicPaths: a.publicPaths,
              forwardAccessToken: a.forwardAccessToken,
              ...(a.bearerTokens ? { bearerScopes: a.bearerTokens.scopes.map((s) => `${namePrefix}/${s}`) } : {}),
            },
          ]),
      ),
      publicHosts: config.apps.filter((a) => a.access === 'public').map((a) => a.host),
      signoutPath: config.session.signoutPath,
      healthCheckHosts: routers.filter((r) => r.kind === 'traefik').flatMap((r) => r.nlb.map((a) => a.privateIp)),
    },
    echoApps: config.apps.filter((a) => a.workload === 'echo').map(({ name, host }) => ({ name, host })),
  };
}

function planFederation(config: ResolvedConfig): FederationPlan {
  const { identityProviders, localUsers, groupMapping, requireGroup, groups } = config.cognito;
  const needsTrigger = requireGroup || identityProviders.some((p) => IDP_GROUPS_ATTRIBUTE in p.attributeMapping);
  return {
    providers: identityProviders,
    clientProviders: [...(localUsers ? ['COGNITO'] : []), ...identityProviders.map((p) => p.name)],
    clientWriteAttributes: [
      ...new Set(identityProviders.flatMap((p) => Object.keys(p.attributeMapping)).filter((a) => a !== 'username')),
    ].sort(),
    ...(needsTrigger
      ? { preToken: { knownGroups: groups.map((g) => g.name), ...(groupMapping ? { groupMapping } : {}), requireGroup } }
      : {}),
  };
}

function signInProvider(config: ResolvedConfig): Pick<EdgePlan, 'signInProvider'> {
  const { identityProviders, localUsers } = config.cognito;
  return !localUsers && identityProviders.length === 1 ? { signInProvider: identityProviders[0]!.name } : {};
}

/** The plan is a value: nothing downstream may change what another stack was planned with. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/**
 * The resource server exists once some app takes bearer tokens; its identifier is the environment's
 * name prefix, so two environments' tokens never carry each other's scopes.
 */
function planMachineAccess(config: ResolvedConfig, identifier: string): { machineAccess?: MachineAccessPlan } {
  const scopes = [...new Set(config.apps.flatMap((a) => a.bearerTokens?.scopes ?? []))].sort();
  if (scopes.length === 0) return {};
  return {
    machineAccess: {
      identifier,
      scopes,
      clients: config.machineClients.map((c) => ({
        name: c.name,
        scopes: c.scopes,
        accessTokenValidityMinutes: c.accessTokenValidityMinutes,
      })),
    },
  };
}
