import { TerraformStack } from 'cdktf';
import { isType } from '../context';
import { block, list, mustBe, referenceTo } from '../inspect';
import type { PolicyRule, Problem } from './types';

/** The HSTS floor: a year, subdomains included (hstspreload.org's minimum). */
const HSTS_MIN_SECONDS = 31536000;

export const OPERATIONS_RULES: readonly PolicyRule[] = [
  {
    id: 'COGNITO_WAF',
    mirrors: [],
    description: "The Cognito user pool, the sign-in pages' front door, is associated with a WAFv2 web ACL, like the ALB.",
    fix: 'Leave waf.mode managed (the default) or existing; with waf.mode off, suppress COGNITO_WAF with a reason.',
    severity: 'error',
    suppressible: true,
    checkAll: (ctx) => {
      const pools = ctx.resources.filter((r) => isType(r, 'aws_cognito_user_pool'));
      if (pools.length === 0) return [];
      // The association lives with the ALB (edge), so it names the pool through the auth stack's output.
      const associated = ctx.resources.some((r) => {
        if (!isType(r, 'aws_wafv2_web_acl_association')) return false;
        const target = ctx.attributes(r).resource_arn;
        return typeof target === 'string' && (/\.user_pool_arn\}$/.test(target) || /^\$\{aws_cognito_user_pool\./.test(target));
      });
      return associated
        ? []
        : pools.map(
            (pool): Problem => ({ construct: pool, message: 'no aws_wafv2_web_acl_association names this user pool (resource_arn)' }),
          );
    },
  },
  {
    id: 'WAF_LOGGING',
    mirrors: ['CKV2_AWS_31'],
    description:
      'A web ACL created here logs its requests (aws_wafv2_web_acl_logging_configuration), without the Authorization and Cookie headers.',
    fix: 'Keep the logging configuration the managed web ACL comes with.',
    severity: 'error',
    suppressible: false,
    checkAll: (ctx) =>
      ctx.resources
        .filter((r) => isType(r, 'aws_wafv2_web_acl'))
        .flatMap((acl): Problem[] => {
          const id = referenceTo(acl, 'arn');
          const logging = ctx.resources.find(
            (r) => isType(r, 'aws_wafv2_web_acl_logging_configuration') && ctx.attributes(r).resource_arn === id,
          );
          if (!logging) return [{ construct: acl, message: `no aws_wafv2_web_acl_logging_configuration has resource_arn = "${id}"` }];
          const redacted = list(ctx.attributes(logging).redacted_fields).map((f) => block(block(f)?.single_header)?.name);
          return ['authorization', 'cookie']
            .filter((h) => !redacted.includes(h))
            .map((h) => ({
              construct: logging,
              message: `redacted_fields lacks single_header "${h}": tokens or session cookies would be logged`,
            }));
        }),
  },
  {
    id: 'LOG_RETENTION',
    mirrors: ['CKV_AWS_66'],
    description: 'Every CloudWatch log group created here keeps its logs for a set time, not forever.',
    fix: 'Set retentionInDays on the log group.',
    severity: 'error',
    suppressible: false,
    check: (c, ctx) => {
      if (!isType(c, 'aws_cloudwatch_log_group')) return [];
      const days = ctx.attributes(c).retention_in_days;
      return typeof days === 'number' && days > 0 ? [] : [mustBe('retention_in_days', days, 'a number of days')];
    },
  },
  {
    id: 'ALB_SECURITY_HEADERS',
    mirrors: [],
    description: `HTTPS listeners send Strict-Transport-Security (max-age >= ${HSTS_MIN_SECONDS}, includeSubDomains) and X-Content-Type-Options: nosniff, and no Server header.`,
    fix: 'Leave alb.securityHeaders on (the default), or suppress ALB_SECURITY_HEADERS with a reason.',
    severity: 'error',
    suppressible: true,
    check: (c, ctx) => {
      if (!isType(c, 'aws_lb_listener', 'aws_alb_listener') || ctx.listenerProtocol(c) !== 'HTTPS') return [];
      const attrs = ctx.attributes(c);
      const problems: string[] = [];
      const hsts = attrs.routing_http_response_strict_transport_security_header_value;
      const maxAge = typeof hsts === 'string' ? Number(/max-age=(\d+)/i.exec(hsts)?.[1] ?? 0) : 0;
      if (maxAge < HSTS_MIN_SECONDS || !/includeSubDomains/i.test(String(hsts)))
        problems.push(
          mustBe(
            'routing_http_response_strict_transport_security_header_value',
            hsts,
            `max-age of at least ${HSTS_MIN_SECONDS} with includeSubDomains`,
          ),
        );
      if (attrs.routing_http_response_x_content_type_options_header_value !== 'nosniff')
        problems.push(
          mustBe(
            'routing_http_response_x_content_type_options_header_value',
            attrs.routing_http_response_x_content_type_options_header_value,
            '"nosniff"',
          ),
        );
      if (attrs.routing_http_response_server_enabled !== false)
        problems.push(mustBe('routing_http_response_server_enabled', attrs.routing_http_response_server_enabled, 'false'));
      return problems;
    },
  },
  {
    id: 'OPERATIONS_ALARMS',
    mirrors: [],
    description: 'Someone hears when sign-in breaks: the ALB and sign-out alarms exist and notify an SNS topic.',
    fix: 'Set alarms: { email: [...] } or alarms: { snsTopicArn }, or suppress OPERATIONS_ALARMS with a reason.',
    severity: 'warning',
    suppressible: true,
    checkAll: (ctx) => {
      const albs = ctx.resources.filter((r) => isType(r, 'aws_lb'));
      if (albs.length === 0) return [];
      const alarms = ctx.resources.filter((r) => isType(r, 'aws_cloudwatch_metric_alarm'));
      const notifying = alarms.filter((a) => list(ctx.attributes(a).alarm_actions).length > 0);
      return notifying.length > 0
        ? []
        : [
            {
              construct: TerraformStack.of(albs[0]!),
              message: `none of the ${alarms.length} CloudWatch alarms notifies anyone (alarm_actions empty): a broken sign-in would go unnoticed`,
            },
          ];
    },
  },
];
