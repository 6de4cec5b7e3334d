import type { TerraformResource } from 'cdktf';
import { parseAllDocuments } from 'yaml';
import { protectedApps } from '../../config/defaults';
import { isType, type PolicyContext } from '../context';
import { isUnknown, list, show } from '../inspect';
import type { PolicyRule, Problem } from './types';

/** One host of the verifier's config.json, as far as the rules read it. */
interface VerifiedHost {
  readonly allowedGroups?: unknown;
}

/** Terraform reads `$${` as `${` and `%%{` as `%{`: the text the pod receives. */
function terraformText(value: string): string {
  return value.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{');
}

/** The verifier's ConfigMaps (the ones shipping server.js and config.json) and their hosts. */
function verifierConfigs(ctx: PolicyContext): { resource: TerraformResource; hosts: Record<string, VerifiedHost> | undefined }[] {
  return ctx.resources
    .filter((r) => isType(r, 'kubernetes_config_map_v1'))
    .flatMap((resource) => {
      const data = ctx.attributes(resource).data as Record<string, unknown> | undefined;
      if (!data || typeof data['server.js'] !== 'string' || data['config.json'] === undefined) return [];
      try {
        const parsed = JSON.parse(terraformText(String(data['config.json']))) as { hosts?: Record<string, VerifiedHost> };
        return [{ resource, hosts: parsed.hosts }];
      } catch {
        return [{ resource, hosts: undefined }];
      }
    });
}

/** The plain values documents of a release, parsed, in the order Helm merges them. */
function valueDocuments(ctx: PolicyContext, release: TerraformResource): Record<string, any>[] {
  return list(ctx.attributes(release).values)
    .filter((doc): doc is string => typeof doc === 'string' && !isUnknown(doc))
    .flatMap((doc) => parseAllDocuments(doc).map((d) => (d.toJS() ?? {}) as Record<string, any>));
}

/** The value at `path` that the last document setting it gives (Helm: later documents win). */
function lastValue(docs: readonly Record<string, any>[], path: readonly string[]): unknown {
  let found: unknown;
  const leaf = path[path.length - 1]!;
  for (const doc of docs) {
    let node: any = doc;
    for (const key of path.slice(0, -1)) node = typeof node === 'object' && node !== null ? node[key] : undefined;
    if (typeof node === 'object' && node !== null && leaf in node) found = node[leaf];
  }
  return found;
}

const VERIFY_URL = /^http:\/\/[a-z0-9.-]+:\d+\/verify(\/ingress-nginx)?$/;
const TRAEFIK_VERIFY_URL = /^http:\/\/[a-z0-9.-]+:\d+\/verify\/traefik$/;

/** What is wrong with how a router release asks the verifier, if anything. */
function routerAuthProblem(ctx: PolicyContext, release: TerraformResource): string | undefined {
  const docs = valueDocuments(ctx, release);
  if (ctx.attributes(release).chart === 'ingress-nginx') {
    const url = lastValue(docs, ['controller', 'config', 'global-auth-url']);
    return typeof url === 'string' && VERIFY_URL.test(url)
      ? undefined
      : `controller.config.global-auth-url is ${show(url)}, must be the verifier's /verify URL`;
  }
  const middlewares = lastValue(docs, ['ports', 'web', 'http', 'middlewares']);
  const objects = list(lastValue(docs, ['extraObjects']));
  const asks = (ref: unknown): boolean =>
    typeof ref === 'string' &&
    objects.some(
      (o) =>
        o?.kind === 'Middleware' &&
        ref === `${o.metadata?.namespace}-${o.metadata?.name}@kubernetescrd` &&
        typeof o.spec?.forwardAuth?.address === 'string' &&
        TRAEFIK_VERIFY_URL.test(o.spec.forwardAuth.address) &&
        o.spec.forwardAuth.trustForwardHeader === false,
    );
  return Array.isArray(middlewares) && middlewares.some(asks)
    ? undefined
    : `ports.web.http.middlewares is ${show(middlewares)}, must name a forwardAuth Middleware (extraObjects) that asks the verifier's /verify/traefik with trustForwardHeader false`;
}

/** The charts of the routers that must ask the verifier (the class-only release serves nothing). */
const ROUTER_CHARTS = ['ingress-nginx', 'traefik'];

const sameList = (a: unknown, b: readonly string[]): boolean => Array.isArray(a) && a.length === b.length && a.every((x, i) => x === b[i]);

export const IDENTITY_RULES: readonly PolicyRule[] = [
  {
    id: 'VERIFIER_COVERAGE',
    mirrors: [],
    description:
      "Every router asks the identity verifier about every request (ingress-nginx global-auth-url; Traefik a forwardAuth Middleware on the web entry point), and the verifier's config lists every protected host of the config with its allowedGroups.",
    fix: 'Deploy the verifier with the cluster stack (IdentityVerifier, from the plan); pass ingressNginxSettings() to ingress-nginx and traefikForwardAuth() to Traefik (TraefikRouter).',
    severity: 'error',
    suppressible: false,
    checkAll: (ctx) => {
      const routers = ctx.resources.filter((r) => isType(r, 'helm_release') && ROUTER_CHARTS.includes(String(ctx.attributes(r).chart)));
      if (routers.length === 0) return [];
      const problems: Problem[] = [];
      for (const router of routers) {
        const problem = routerAuthProblem(ctx, router);
        if (problem) problems.push({ construct: router, message: problem });
      }
      const configs = verifierConfigs(ctx);
      if (configs.length !== 1) {
        problems.push({
          construct: routers[0]!,
          message: `${configs.length} verifier ConfigMaps (server.js + config.json), must be exactly 1`,
        });
        return problems;
      }
      const { resource, hosts } = configs[0]!;
      if (!hosts) return [...problems, { construct: resource, message: 'config.json has no hosts object' }];
      for (const app of ctx.config ? protectedApps(ctx.config) : []) {
        const entry = hosts[app.host];
        if (!entry) problems.push({ construct: resource, message: `protected host "${app.host}" is missing from the verifier's hosts` });
        else if (!sameList(entry.allowedGroups, app.allowedGroups))
          problems.push({
            construct: resource,
            message: `host "${app.host}" allows ${show(entry.allowedGroups)} in the verifier, but ${show(app.allowedGroups)} in the config`,
          });
      }
      return problems;
    },
  },
  {
    id: 'SENSITIVE_APP_GROUPS',
    mirrors: [],
    description:
      'Grafana, which shows every dashboard to whoever it lets in and creates each new user as a Viewer, is open only to the groups in its allowedGroups, not to every user of the pool.',
    fix: 'Set allowedGroups on the Grafana app (for example the groups that have a grafanaRole), or suppress the rule with the reason every user of the pool may see the dashboards.',
    severity: 'error',
    suppressible: true,
    checkAll: (ctx) => {
      const grafana = ctx.config?.apps.find((a) => a.workload === 'grafana');
      if (!grafana) return [];
      const configs = verifierConfigs(ctx);
      const entry = configs[0]?.hosts?.[grafana.host];
      // Read from what the verifier enforces; without a verifier, VERIFIER_COVERAGE reports.
      if (!entry || (Array.isArray(entry.allowedGroups) && entry.allowedGroups.length > 0)) return [];
      return [
        {
          construct: configs[0]!.resource,
          message: `app "${grafana.name}" (${grafana.host}) admits every signed-in user of the pool: allowedGroups is empty`,
        },
      ];
    },
  },
];

export const ROUTER_RULES: readonly PolicyRule[] = [
  {
    id: 'ROUTER_RETIRED',
    mirrors: [],
    description:
      'The router is maintained: ingress-nginx was retired upstream in March 2026 and gets no releases or security fixes; Traefik is its successor here.',
    fix: 'Switch without downtime: set router: { use: traefik, keep: ingress-nginx } and apply cluster then edge; then set router: traefik and apply both again (README, "Router").',
    severity: 'warning',
    suppressible: true,
    check: (c, ctx) =>
      isType(c, 'helm_release') && ctx.attributes(c).chart === 'ingress-nginx'
        ? [`ingress-nginx ${String(ctx.attributes(c).version)} is retired upstream (March 2026): no releases, no security fixes`]
        : [],
  },
];
