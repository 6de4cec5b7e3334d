import { TerraformStack, type TerraformResource } from 'cdktf';
import type { IConstruct } from 'constructs';
import { isType, isApplicationLb, LISTENERS, LOAD_BALANCERS, type PolicyContext } from '../context';
import { block, isUnknown, mustBe, referenceTo, show, type Attributes } from '../inspect';
import { actions, LISTENER_RULES, listenerOf, literal, type Action } from './helpers';
import type { PolicyRule } from './types';

/** Every TLS 1.3 policy with a TLS 1.2 floor and forward-secret ciphers. */
export const TLS_POLICY_PATTERN = /^ELBSecurityPolicy-TLS13-1-2-[A-Za-z0-9-]+$/;

/** The attributes of an application load balancer, else undefined. */
function alb(c: IConstruct, ctx: PolicyContext): Attributes | undefined {
  if (!isType(c, ...LOAD_BALANCERS)) return undefined;
  const attrs = ctx.attributes(c);
  return isApplicationLb(attrs) ? attrs : undefined;
}

/** HTTP-side actions may only redirect to HTTPS. */
function redirectOnly(list: readonly Action[]): string[] {
  return list.flatMap(({ where, type, attrs }) => {
    if (type !== 'redirect') return [`${mustBe(`${where}.type`, type, '"redirect"')} on a plain-HTTP listener`];
    const protocol = block(attrs.redirect)?.protocol;
    return protocol === 'HTTPS' ? [] : [mustBe(`${where}.redirect.protocol`, protocol, '"HTTPS"')];
  });
}

export const ALB_RULES: readonly PolicyRule[] = [
  {
    id: 'ALB_DROP_INVALID_HEADERS',
    mirrors: ['CKV_AWS_131', 'AWS-0052'],
    description: 'Application load balancers drop HTTP headers with invalid names (request smuggling).',
    fix: 'Set dropInvalidHeaderFields: true on the load balancer.',
    severity: 'error',
    suppressible: false,
    check: (c, ctx) => {
      const attrs = alb(c, ctx);
      return attrs ? literal(attrs, 'drop_invalid_header_fields', true) : [];
    },
  },
  {
    id: 'ALB_DESYNC_MITIGATION',
    mirrors: ['CKV_AWS_328'],
    description: 'Application load balancers do not run HTTP desync mitigation in "monitor" mode.',
    fix: 'Set desyncMitigationMode to "defensive" (the default) or "strictest".',
    severity: 'error',
    suppressible: false,
    check: (c, ctx) => {
      const mode = alb(c, ctx)?.desync_mitigation_mode;
      return mode === 'monitor' ? [mustBe('desync_mitigation_mode', mode, '"defensive" or "strictest"')] : [];
    },
  },
  {
    id: 'ALB_DELETION_PROTECTION',
    mirrors: ['CKV_AWS_150'],
    description: 'Application load balancers have deletion protection enabled.',
    fix: 'Set alb.deletionProtection: true in the config (the default), or suppress ALB_DELETION_PROTECTION with a reason.',
    severity: 'error',
    suppressible: true,
    check: (c, ctx) => {
      const attrs = alb(c, ctx);
      return attrs ? literal(attrs, 'enable_deletion_protection', true) : [];
    },
  },
  {
    id: 'ALB_ACCESS_LOGS',
    mirrors: ['CKV_AWS_91', 'AwsSolutions-ELB2'],
    description: 'Application load balancers write access logs to S3.',
    fix: 'Set alb.accessLogs: { bucket: <bucket that allows ELB log delivery> } in the config, or suppress ALB_ACCESS_LOGS with a reason.',
    severity: 'error',
    suppressible: true,
    check: (c, ctx) => {
      const attrs = alb(c, ctx);
      if (!attrs) return [];
      const logs = block(attrs.access_logs);
      if (!logs) return [mustBe('access_logs', undefined, 'a block with enabled = true and a bucket')];
      return [
        ...literal(logs, 'enabled', true).map((m) => `access_logs.${m}`),
        ...(typeof logs.bucket === 'string' && logs.bucket !== '' ? [] : [mustBe('access_logs.bucket', logs.bucket, 'an S3 bucket name')]),
      ];
    },
  },
  {
    id: 'ALB_TLS_POLICY',
    mirrors: ['CKV_AWS_103', 'CKV2_AWS_74', 'AWS-0047'],
    description: 'HTTPS listeners name a TLS 1.3 policy with a TLS 1.2 floor (ELBSecurityPolicy-TLS13-1-2-*), never the provider default.',
    fix: 'Set sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06" (TLS_POLICY in modules/stacks/edge.ts) on the listener.',
    severity: 'error',
    suppressible: false,
    check: (c, ctx) => {
      if (!isType(c, ...LISTENERS)) return [];
      const protocol = ctx.listenerProtocol(c);
      if (protocol !== 'HTTPS' && protocol !== 'TLS') return [];
      const policy = ctx.attributes(c).ssl_policy;
      if (typeof policy === 'string' && !isUnknown(policy) && TLS_POLICY_PATTERN.test(policy)) return [];
      const why =
        policy === undefined
          ? ' (the provider default, ELBSecurityPolicy-2016-08, allows TLS 1.0)'
          : isUnknown(policy)
            ? ' (an expression)'
            : '';
      return [`ssl_policy is ${show(policy)}${why}, must be a literal ELBSecurityPolicy-TLS13-1-2-* policy`];
    },
  },
  {
    id: 'ALB_HTTP_REDIRECT',
    mirrors: ['CKV_AWS_2', 'CKV2_AWS_20', 'AWS-0054'],
    description: 'Plain-HTTP listeners, and the rules on them, do nothing but redirect to HTTPS.',
    fix: 'Give HTTP listeners one default action { type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } } and put every other rule on the HTTPS listener.',
    severity: 'error',
    suppressible: false,
    check: (c, ctx) => {
      if (isType(c, ...LISTENERS)) {
        return ctx.listenerProtocol(c) === 'HTTP' ? redirectOnly(actions(ctx.attributes(c), 'default_action')) : [];
      }
      if (isType(c, ...LISTENER_RULES) && listenerOf(c, ctx)?.protocol === 'HTTP')
        return redirectOnly(actions(ctx.attributes(c), 'action'));
      return [];
    },
  },
  {
    id: 'ALB_WAF',
    mirrors: ['CKV2_AWS_28'],
    description: 'Internet-facing application load balancers are associated with a WAFv2 web ACL.',
    fix: 'Leave waf.mode managed (the default) or set waf: { mode: existing, webAclArn }; with waf.mode off, suppress ALB_WAF with a reason.',
    severity: 'error',
    suppressible: true,
    check: (c, ctx) => {
      const attrs = alb(c, ctx);
      if (!attrs || attrs.internal === true) return [];
      const arn = referenceTo(c as TerraformResource, 'arn');
      const stack = TerraformStack.of(c);
      const associated = ctx.resources.some(
        (r) => isType(r, 'aws_wafv2_web_acl_association') && TerraformStack.of(r) === stack && ctx.attributes(r).resource_arn === arn,
      );
      return associated ? [] : [`no aws_wafv2_web_acl_association has resource_arn = "${arn}"`];
    },
  },
];
