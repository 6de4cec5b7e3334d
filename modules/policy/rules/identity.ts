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

/** `controller.config.global-auth-url` of an ingress-nginx release, the last document that sets it. */
function globalAuthUrl(ctx: PolicyContext, release: TerraformResource): unknown {
  let found: unknown;
  for (const doc of list(ctx.attributes(release).values)) {
    if (typeof doc !== 'string' || isUnknown(doc)) continue;
    for (const parsed of parseAllDocuments(doc)) {
      const config = (parsed.toJS() as { controller?: { config?: Record<string, unknown> } } | null)?.controller?.config;
      if (config && 'global-auth-url' in config) found = config['global-auth-url'];
    }
  }
  return found;
}

const sameList = (a: unknown, b: readonly string[]): boolean => Array.isArray(a) && a.length === b.length && a.every((x, i) => x === b[i]);

export const IDENTITY_RULES: readonly PolicyRule[] = [
  {
    id: 'VERIFIER_COVERAGE',
    mirrors: [],
    description:
      "The router asks the identity verifier about every request (ingress-nginx global-auth-url), and the verifier's config lists every protected host of the config with its allowedGroups.",
    fix: 'Deploy the verifier with the cluster stack (IdentityVerifier, from the plan) and pass ingressNginxSettings() to the ingress-nginx release.',
    severity: 'error',
    suppressible: false,
    checkAll: (ctx) => {
      const routers = ctx.resources.filter((r) => isType(r, 'helm_release') && ctx.attributes(r).chart === 'ingress-nginx');
      if (routers.length === 0) return [];
      const problems: Problem[] = [];
      for (const router of routers) {
        const url = globalAuthUrl(ctx, router);
        if (typeof url !== 'string' || !/^http:\/\/[a-z0-9.-]+:\d+\/verify$/.test(url))
          problems.push({
            construct: router,
            message: `controller.config.global-auth-url is ${show(url)}, must be the verifier's /verify URL`,
          });
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
