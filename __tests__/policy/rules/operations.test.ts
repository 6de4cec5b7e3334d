import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { CognitoUserPool } from '@cdktf/provider-aws/lib/cognito-user-pool';
import { Lb } from '@cdktf/provider-aws/lib/lb';
import { LbListener } from '@cdktf/provider-aws/lib/lb-listener';
import { Wafv2WebAcl } from '@cdktf/provider-aws/lib/wafv2-web-acl';
import { Wafv2WebAclAssociation } from '@cdktf/provider-aws/lib/wafv2-web-acl-association';
import { Wafv2WebAclLoggingConfiguration } from '@cdktf/provider-aws/lib/wafv2-web-acl-logging-configuration';
import { findingsOf, labStack, ruleTests, type FailCase, type PassCase } from '../helpers';

describe('operations rules: the user pool’s WAF, WAF logging, log retention, security headers, alarms', () => {
  // GIVEN a stack with a user pool, web ACLs with and without (redacted) logging, log groups,
  // listeners with and without the headers, and alarms that notify or not
  const stack = labStack();
  const pool = new CognitoUserPool(stack, 'pool', { name: 'users' });
  const visibility = { cloudwatchMetricsEnabled: true, metricName: 'm', sampledRequestsEnabled: true };
  const acl = (id: string) =>
    new Wafv2WebAcl(stack, id, { name: id, scope: 'REGIONAL', defaultAction: { allow: {} }, visibilityConfig: visibility });
  const logged = acl('logged');
  const unredacted = acl('unredacted');
  acl('unlogged');
  const logs = new CloudwatchLogGroup(stack, 'waf-logs', { name: 'aws-waf-logs-x', retentionInDays: 90 });
  new CloudwatchLogGroup(stack, 'forever', { name: 'forever' });
  new Wafv2WebAclLoggingConfiguration(stack, 'logged-logging', {
    resourceArn: logged.arn,
    logDestinationConfigs: [logs.arn],
    redactedFields: [{ singleHeader: { name: 'authorization' } }, { singleHeader: { name: 'cookie' } }],
  });
  new Wafv2WebAclLoggingConfiguration(stack, 'unredacted-logging', {
    resourceArn: unredacted.arn,
    logDestinationConfigs: [logs.arn],
    redactedFields: [{ singleHeader: { name: 'authorization' } }],
  });
  new Wafv2WebAclAssociation(stack, 'pool-waf', { resourceArn: pool.arn, webAclArn: logged.arn });
  const alb = new Lb(stack, 'alb', { internal: false });
  const listener = (id: string, headers: Record<string, unknown>) =>
    new LbListener(stack, id, {
      loadBalancerArn: alb.arn,
      port: 443,
      protocol: 'HTTPS',
      certificateArn: 'arn:cert',
      defaultAction: [{ type: 'fixed-response', fixedResponse: { contentType: 'text/plain', statusCode: '404' } }],
      ...headers,
    });
  listener('secure', {
    routingHttpResponseStrictTransportSecurityHeaderValue: 'max-age=31536000; includeSubDomains',
    routingHttpResponseXContentTypeOptionsHeaderValue: 'nosniff',
    routingHttpResponseServerEnabled: false,
  });
  listener('short-hsts', {
    routingHttpResponseStrictTransportSecurityHeaderValue: 'max-age=300',
    routingHttpResponseXContentTypeOptionsHeaderValue: 'nosniff',
    routingHttpResponseServerEnabled: false,
  });
  listener('bare', {});
  new CloudwatchMetricAlarm(stack, 'silent-alarm', {
    alarmName: 'silent',
    comparisonOperator: 'GreaterThanOrEqualToThreshold',
    evaluationPeriods: 1,
    metricName: 'ELBAuthError',
    namespace: 'AWS/ApplicationELB',
    period: 300,
    statistic: 'Sum',
    threshold: 1,
  });
  // AND a second stack whose pool has no web ACL and whose alarm notifies a topic
  const other = labStack('other');
  new CognitoUserPool(other, 'pool', { name: 'users' });
  new Lb(other, 'alb', { internal: false });
  new CloudwatchMetricAlarm(other, 'alarm', {
    alarmName: 'heard',
    comparisonOperator: 'GreaterThanOrEqualToThreshold',
    evaluationPeriods: 1,
    metricName: 'ELBAuthError',
    namespace: 'AWS/ApplicationELB',
    period: 300,
    statistic: 'Sum',
    threshold: 1,
    alarmActions: ['arn:aws:sns:eu-west-1:123456789012:alarms'],
  });
  // WHEN the policy runs on each
  const found = [...findingsOf(stack), ...findingsOf(other)];

  const fails: FailCase[] = [
    [
      'COGNITO_WAF',
      'no web ACL is associated with the pool',
      'other/pool',
      'no aws_wafv2_web_acl_association names this user pool (resource_arn)',
    ],
    [
      'WAF_LOGGING',
      'a web ACL logs nothing',
      'lab/unlogged',
      'no aws_wafv2_web_acl_logging_configuration has resource_arn = "${aws_wafv2_web_acl.unlogged.arn}"',
    ],
    [
      'WAF_LOGGING',
      'the logs would hold session cookies',
      'lab/unredacted-logging',
      'redacted_fields lacks single_header "cookie": tokens or session cookies would be logged',
    ],
    ['LOG_RETENTION', 'a log group keeps logs forever', 'lab/forever', 'retention_in_days is (not set), must be a number of days'],
    [
      'ALB_SECURITY_HEADERS',
      'HSTS lasts 5 minutes',
      'lab/short-hsts',
      'routing_http_response_strict_transport_security_header_value is "max-age=300", must be max-age of at least 31536000 with includeSubDomains',
    ],
    [
      'ALB_SECURITY_HEADERS',
      'no header is set',
      'lab/bare',
      'routing_http_response_x_content_type_options_header_value is (not set), must be "nosniff"',
    ],
    ['ALB_SECURITY_HEADERS', 'the Server header stays', 'lab/bare', 'routing_http_response_server_enabled is (not set), must be false'],
    [
      'OPERATIONS_ALARMS',
      'no alarm notifies anyone',
      'lab',
      'none of the 1 CloudWatch alarms notifies anyone (alarm_actions empty): a broken sign-in would go unnoticed',
    ],
  ];
  const passes: PassCase[] = [
    ['COGNITO_WAF', 'a web ACL is associated with the pool', 'lab/pool'],
    ['WAF_LOGGING', 'a web ACL logs with tokens and cookies redacted', 'lab/logged'],
    ['LOG_RETENTION', 'a log group keeps 90 days', 'lab/waf-logs'],
    ['ALB_SECURITY_HEADERS', 'the listener sends HSTS for a year, nosniff and no Server header', 'lab/secure'],
  ];
  ruleTests(stack, found, fails, passes);

  test('OPERATIONS_ALARMS passes when an alarm notifies a topic', () => {
    expect(found.filter(([rule, path]) => rule === 'OPERATIONS_ALARMS' && path.startsWith('other'))).toEqual([]);
  });
});
