import type { ResolvedConfig } from '../config/defaults';
import { defaultCertificateKey, planCertificates } from './certificates';
import { grafanaRoleAttributePath } from './grafana';
import { planRouting } from './routing';
import type { AppClientPlan, ClusterPlan, DeploymentPlan, EdgePlan } from './types';

/**
 * Decides everything the four stacks build, once, from the resolved config. The result is a
 * plain value: no construct, no token, no cache. Each stack receives its own slice.
 */
export function planDeployment(config: ResolvedConfig): DeploymentPlan {
  const { environment, region } = config;
  const namePrefix = `${environment}-central-auth`;
  const routing = planRouting({ apps: config.apps, callbackUrlsPerAppClient: config.quotas.callbackUrlsPerAppClient });
  const clients: AppClientPlan[] = routing.clients.map((hosts, index) => ({ key: index === 0 ? 'alb' : `alb-${index}`, index, hosts }));
  const certificates = planCertificates({
    zoneName: config.zoneName,
    strategy: config.certificates,
    hosts: config.apps.map((a) => a.host),
    domainsPerCertificate: config.quotas.domainsPerCertificate,
  });
  const defaultKey = defaultCertificateKey(certificates);
  const { groups, ...pool } = config.cognito;

  return deepFreeze({
    shared: { environment, region, state: config.state },
    auth: {
      pool: { ...pool, namePrefix, region },
      clients,
      groups: groups.map(({ name, description }) => ({ name, description })),
    },
    certs: { zoneName: config.zoneName, certificates },
    cluster: planCluster(config, routing.clientOf),
    edge: {
      albName: namePrefix,
      targetGroupTagName: `${environment}-ca-ingress`,
      vpcId: config.vpcId,
      publicSubnetIds: config.publicSubnetIds,
      zoneName: config.zoneName,
      alb: config.alb,
      session: { cookieName: config.session.cookieName, timeoutSeconds: config.session.timeoutSeconds },
      certificates: { defaultKey, additionalKeys: certificates.map((c) => c.key).filter((k) => k !== defaultKey) },
      rules: routing.rules,
      signout: {
        namePrefix,
        targetGroupName: `${environment}-ca-signout`,
        path: config.session.signoutPath,
        cookieName: config.session.cookieName,
        hosts: Object.fromEntries([...routing.hostClients].sort(([a], [b]) => a.localeCompare(b))),
      },
      hosts: config.apps.map((a) => a.host),
    } satisfies EdgePlan,
  });
}

/** The plan is a value: nothing downstream may change what another stack was planned with. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

function planCluster(config: ResolvedConfig, clientOf: (host: string) => number): ClusterPlan {
  const grafana = config.apps.find((a) => a.workload === 'grafana');
  return {
    clusterName: config.clusterName,
    vpcId: config.vpcId,
    nlbTagValue: config.environment,
    namePrefix: `${config.environment}-central-auth`,
    grafana: grafana && {
      name: grafana.name,
      host: grafana.host,
      client: clientOf(grafana.host),
      signoutPath: config.session.signoutPath,
      roleAttributePath: grafanaRoleAttributePath(config.cognito.groups),
    },
    echoApps: config.apps.filter((a) => a.workload === 'echo').map(({ name, host }) => ({ name, host })),
  };
}
