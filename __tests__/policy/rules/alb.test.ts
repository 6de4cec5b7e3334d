import { Alb } from '@cdktf/provider-aws/lib/alb';
import { Lb, type LbConfig } from '@cdktf/provider-aws/lib/lb';
import { LbListener, type LbListenerDefaultAction } from '@cdktf/provider-aws/lib/lb-listener';
import { LbListenerRule } from '@cdktf/provider-aws/lib/lb-listener-rule';
import { Wafv2WebAclAssociation } from '@cdktf/provider-aws/lib/wafv2-web-acl-association';
import { findingsOf, labStack, ruleTests, type FailCase, type PassCase } from '../helpers';

const TLS13 = 'must be a literal ELBSecurityPolicy-TLS13-1-2-* policy';
const SECURE_ALB: LbConfig = {
  dropInvalidHeaderFields: true,
  enableDeletionProtection: true,
  accessLogs: { bucket: 'logs', enabled: true },
};
const TO_HTTPS: LbListenerDefaultAction = { type: 'redirect', redirect: { protocol: 'HTTPS', port: '443', statusCode: 'HTTP_301' } };
const NOT_FOUND: LbListenerDefaultAction = { type: 'fixed-response', fixedResponse: { contentType: 'text/plain', statusCode: '404' } };

describe('ALB rules', () => {
  // GIVEN one plain stack with a compliant ALB, one that fails every ALB rule, and listeners of each kind
  const stack = labStack();
  const alb = new Lb(stack, 'alb', { ...SECURE_ALB, internal: true });
  const publicAlb = new Lb(stack, 'public-alb', SECURE_ALB);
  new Wafv2WebAclAssociation(stack, 'waf', { resourceArn: publicAlb.arn, webAclArn: 'arn:aws:wafv2:acl' });
  new Lb(stack, 'insecure-alb', {
    dropInvalidHeaderFields: false,
    desyncMitigationMode: 'monitor',
    enableDeletionProtection: false,
    accessLogs: { bucket: '', enabled: false },
  });
  new Lb(stack, 'no-logs', { ...SECURE_ALB, accessLogs: undefined, internal: true });
  new Alb(stack, 'legacy-alb', {
    internal: true,
    enableDeletionProtection: true,
    accessLogs: { bucket: 'logs', enabled: true },
    desyncMitigationMode: '${var.mode}',
  });
  const listener = (id: string, protocol: string | undefined, action: LbListenerDefaultAction, sslPolicy?: string): LbListener =>
    new LbListener(stack, id, {
      loadBalancerArn: alb.arn,
      port: 443,
      protocol,
      sslPolicy,
      certificateArn: 'arn:cert',
      defaultAction: [action],
    });
  listener('https', 'HTTPS', NOT_FOUND, 'ELBSecurityPolicy-TLS13-1-2-2021-06');
  listener('tls-default', 'HTTPS', NOT_FOUND);
  listener('tls-old', 'HTTPS', NOT_FOUND, 'ELBSecurityPolicy-2016-08');
  listener('tls-expression', 'HTTPS', NOT_FOUND, '${var.ssl_policy}');
  const http = listener('no-protocol', undefined, TO_HTTPS);
  listener('http-forward', 'HTTP', NOT_FOUND);
  listener('http-to-http', 'HTTP', { ...TO_HTTPS, redirect: { protocol: 'HTTP', port: '8080', statusCode: 'HTTP_301' } });
  const rule = (id: string, priority: number, action: LbListenerDefaultAction): LbListenerRule =>
    new LbListenerRule(stack, id, {
      listenerArn: http.arn,
      priority,
      condition: [{ pathPattern: { values: ['/old/*'] } }],
      action: [action],
    });
  rule('http-rule-redirects', 1, TO_HTTPS);
  rule('http-rule-responds', 2, NOT_FOUND);
  // WHEN the policy runs once on the stack alone
  const found = findingsOf(stack);

  const fails: FailCase[] = [
    [
      'ALB_DROP_INVALID_HEADERS',
      'the ALB keeps invalid header fields',
      'lab/insecure-alb',
      'drop_invalid_header_fields is false, must be true',
    ],
    [
      'ALB_DROP_INVALID_HEADERS',
      'the aws_alb alias type keeps invalid headers',
      'lab/legacy-alb',
      'drop_invalid_header_fields is (not set), must be true',
    ],
    [
      'ALB_DESYNC_MITIGATION',
      'desync mitigation only monitors',
      'lab/insecure-alb',
      'desync_mitigation_mode is "monitor", must be "defensive" or "strictest"',
    ],
    ['ALB_DELETION_PROTECTION', 'deletion protection is off', 'lab/insecure-alb', 'enable_deletion_protection is false, must be true'],
    ['ALB_ACCESS_LOGS', 'access logs are disabled', 'lab/insecure-alb', 'access_logs.enabled is false, must be true'],
    ['ALB_ACCESS_LOGS', 'access logs name no bucket', 'lab/insecure-alb', 'access_logs.bucket is "", must be an S3 bucket name'],
    [
      'ALB_ACCESS_LOGS',
      'the ALB has no access_logs block',
      'lab/no-logs',
      'access_logs is (not set), must be a block with enabled = true and a bucket',
    ],
    [
      'ALB_WAF',
      'an internet-facing ALB has no web ACL',
      'lab/insecure-alb',
      'no aws_wafv2_web_acl_association has resource_arn = "${aws_lb.insecure-alb.arn}"',
    ],
    [
      'ALB_TLS_POLICY',
      'an HTTPS listener leaves ssl_policy to the provider',
      'lab/tls-default',
      `ssl_policy is (not set) (the provider default, ELBSecurityPolicy-2016-08, allows TLS 1.0), ${TLS13}`,
    ],
    ['ALB_TLS_POLICY', 'an HTTPS listener allows TLS 1.0', 'lab/tls-old', `ssl_policy is "ELBSecurityPolicy-2016-08", ${TLS13}`],
    ['ALB_TLS_POLICY', 'ssl_policy is an expression', 'lab/tls-expression', `ssl_policy is "\${var.ssl_policy}" (an expression), ${TLS13}`],
    [
      'ALB_HTTP_REDIRECT',
      'an HTTP listener answers instead of redirecting',
      'lab/http-forward',
      'default_action[0].type is "fixed-response", must be "redirect" on a plain-HTTP listener',
    ],
    [
      'ALB_HTTP_REDIRECT',
      'an HTTP listener redirects to plain HTTP',
      'lab/http-to-http',
      'default_action[0].redirect.protocol is "HTTP", must be "HTTPS"',
    ],
    [
      'ALB_HTTP_REDIRECT',
      'a rule on the HTTP listener answers',
      'lab/http-rule-responds',
      'action[0].type is "fixed-response", must be "redirect" on a plain-HTTP listener',
    ],
  ];
  const passes: PassCase[] = [
    ['ALB_DROP_INVALID_HEADERS', 'dropInvalidHeaderFields is true', 'lab/alb'],
    ['ALB_DESYNC_MITIGATION', 'the mode is the default', 'lab/alb'],
    ['ALB_DESYNC_MITIGATION', 'the mode is an expression (cannot be proven "monitor")', 'lab/legacy-alb'],
    ['ALB_DELETION_PROTECTION', 'deletion protection is on', 'lab/alb'],
    ['ALB_ACCESS_LOGS', 'logs are enabled into a bucket', 'lab/alb'],
    ['ALB_WAF', 'the ALB is internal', 'lab/alb'],
    ['ALB_WAF', 'a web ACL association names the ALB', 'lab/public-alb'],
    ['ALB_TLS_POLICY', 'the listener names a TLS 1.3 policy', 'lab/https'],
    ['ALB_HTTP_REDIRECT', 'a protocol-less ALB listener (HTTP) redirects to HTTPS', 'lab/no-protocol'],
    ['ALB_HTTP_REDIRECT', 'a rule on the HTTP listener redirects to HTTPS', 'lab/http-rule-redirects'],
  ];
  ruleTests(stack, found, fails, passes);

  test('a protocol-less ALB listener that redirects has no finding at all', () => {
    expect(found.filter(([, path]) => path === 'lab/no-protocol')).toEqual([]);
  });
});
