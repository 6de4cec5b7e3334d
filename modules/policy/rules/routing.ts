import { TerraformStack, type TerraformResource } from 'cdktf';
import { protectedApps } from '../../config/defaults';
import { callbackUrl, signoutClearPath } from '../../config/patterns';
import { isType, LISTENERS } from '../context';
import { block, list, mustBe, show, type Attributes } from '../inspect';
import { actions, AUTH_ACTIONS, LISTENER_RULES, listenerOf, signsIn, type Action } from './helpers';
import type { PolicyRule, Problem } from './types';

/** `*.example.com` covers one label below it; anything else covers itself. */
function covers(name: unknown, host: string): boolean {
  if (typeof name !== 'string') return false;
  if (name.startsWith('*.')) {
    const parent = name.slice(2);
    return host.endsWith(`.${parent}`) && !host.slice(0, -parent.length - 1).includes('.');
  }
  return name === host;
}

/** An ALB host or path pattern (`*`, `?`) as a RegExp. */
function wildcard(pattern: string): RegExp {
  return new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    'i',
  );
}

const CALLBACK = /^https:\/\/([a-z0-9.-]+)\/oauth2\/idpresponse$/;

export const ROUTING_RULES: readonly PolicyRule[] = [
  {
    id: 'COGNITO_CALLBACK_URLS',
    mirrors: [],
    description:
      'Every callback URL is https://<protected host>/oauth2/idpresponse for a protected host of the config: no other host, path, scheme or wildcard.',
    fix: 'Register only protected hosts on the app clients (HostedUserPool.addAppClient, from the plan); public hosts need no callback.',
    severity: 'error',
    suppressible: false,
    check: (c, ctx) => {
      if (!isType(c, 'aws_cognito_user_pool_client')) return [];
      const urls = ctx.attributes(c).callback_urls;
      if (urls === undefined) return [];
      if (!Array.isArray(urls)) return [`callback_urls is ${show(urls)} (an expression), must be a literal list`];
      const hosts = ctx.config ? new Set(protectedApps(ctx.config).map((a) => a.host)) : undefined;
      return urls.flatMap((url) => {
        const host = typeof url === 'string' ? CALLBACK.exec(url)?.[1] : undefined;
        if (!host) return [`callback_urls has ${show(url)}, must be https://<protected host>/oauth2/idpresponse`];
        if (hosts && !hosts.has(host)) return [`callback_urls has ${show(url)}, but ${host} is not a protected host in the config`];
        return [];
      });
    },
  },
  {
    id: 'PROTECTED_HOST_COVERAGE',
    mirrors: [],
    description:
      'Every protected host of the config is covered by a synthesized ACM certificate, and has its callback URL on an app client.',
    fix: 'Build certificates and app clients from the deployment plan (planDeployment) and do not filter hosts out.',
    severity: 'error',
    suppressible: false,
    checkAll: (ctx) => {
      if (!ctx.config || ctx.stacks.length === 0) return [];
      const hosts = protectedApps(ctx.config).map((a) => a.host);
      const certificates = ctx.resources.filter((r) => isType(r, 'aws_acm_certificate'));
      const clients = ctx.resources.filter((r) => isType(r, 'aws_cognito_user_pool_client'));
      const callbacks = new Set(clients.flatMap((r) => list(ctx.attributes(r).callback_urls)));
      const problems: Problem[] = [];
      for (const host of hosts) {
        const named = (r: TerraformResource): unknown[] => [
          ctx.attributes(r).domain_name,
          ...list(ctx.attributes(r).subject_alternative_names),
        ];
        if (certificates.length > 0 && !certificates.some((r) => named(r).some((n) => covers(n, host)))) {
          problems.push({
            construct: TerraformStack.of(certificates[0]!),
            message: `protected host "${host}" is covered by no aws_acm_certificate (domain_name or subject_alternative_names)`,
          });
        }
        if (clients.length > 0 && !callbacks.has(callbackUrl(host))) {
          problems.push({
            construct: clients[0]!,
            message: `protected host "${host}" has no callback URL "${callbackUrl(host)}" on any app client`,
          });
        }
      }
      return problems;
    },
  },
  {
    id: 'AUTH_ACTION_HTTPS_ONLY',
    mirrors: [],
    description:
      'authenticate-oidc, authenticate-cognito and jwt-validation actions sit only on HTTPS listeners and their rules (the session cookie, client secret and bearer tokens never cross plain HTTP).',
    fix: 'Move the authenticate action to the HTTPS listener or one of its rules.',
    severity: 'error',
    suppressible: false,
    check: (c, ctx) => {
      let protocol: string | undefined;
      let found: Action[] = [];
      if (isType(c, ...LISTENERS)) {
        protocol = ctx.listenerProtocol(c);
        found = actions(ctx.attributes(c), 'default_action');
      } else if (isType(c, ...LISTENER_RULES)) {
        protocol = listenerOf(c, ctx)?.protocol;
        found = actions(ctx.attributes(c), 'action');
      }
      if (protocol === undefined || protocol === 'HTTPS') return [];
      return found
        .filter((a) => AUTH_ACTIONS.includes(a.type as string))
        .map((a) => `${a.where}.type is ${show(a.type)} on a ${show(protocol)} listener, must be on an HTTPS listener`);
    },
  },
  {
    id: 'PROTECTED_HOST_AUTH',
    mirrors: [],
    description:
      "On HTTPS listeners, the default action signs in first, and a rule may forward without signing in (no authenticate action, or one with on_unauthenticated_request = allow) only for public hosts, a protected host's publicPaths, and the sign-out path.",
    fix: 'Route exceptions through the config (access: public, publicPaths); every other forward must follow an authenticate action.',
    severity: 'error',
    suppressible: false,
    check: (c, ctx) => {
      const config = ctx.config;
      if (!config || !protectedApps(config).length) return [];
      if (isType(c, ...LISTENERS) && ctx.listenerProtocol(c) === 'HTTPS') {
        const [first] = actions(ctx.attributes(c), 'default_action');
        if (first && (signsIn(first) || (!AUTH_ACTIONS.includes(first.type as string) && first.type !== 'forward'))) return [];
        const what =
          first && AUTH_ACTIONS.includes(first.type as string)
            ? `default_action[0] is ${show(first.type)} with on_unauthenticated_request "allow", must sign in`
            : mustBe('default_action[0].type', first?.type, 'an authenticate action');
        return [`${what}: requests no rule matches reach protected hosts`];
      }
      if (!isType(c, ...LISTENER_RULES) || listenerOf(c, ctx)?.protocol !== 'HTTPS') return [];
      const attrs = ctx.attributes(c);
      const ordered = [...actions(attrs, 'action')].sort((a, b) => (a.attrs.order ?? 0) - (b.attrs.order ?? 0));
      if (!ordered.length || signsIn(ordered[0]) || !ordered.some((a) => a.type === 'forward')) return [];
      const conditions = list(attrs.condition);
      const hostValues = conditions.flatMap((cond: Attributes) => list(block(cond?.host_header)?.values));
      const paths = conditions.flatMap((cond: Attributes) => list(block(cond?.path_pattern)?.values));
      const matches = (pattern: unknown, host: string): boolean => typeof pattern === 'string' && wildcard(pattern).test(host);
      const hosts = protectedApps(config).filter((app) => hostValues.length === 0 || hostValues.some((v) => matches(v, app.host)));
      return hosts.flatMap((app) => {
        if (!paths.length) return [`forwards every path of protected host ${app.host} without signing in`];
        const open = new Set([...app.publicPaths, config.session.signoutPath, signoutClearPath(config.session.signoutPath)]);
        return paths
          .filter((p) => !open.has(p as string))
          .map(
            (p) =>
              `forwards ${show(p)} on protected host ${app.host} without signing in, but it is neither in its publicPaths nor the sign-out path`,
          );
      });
    },
  },
];
