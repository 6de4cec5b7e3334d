// Production hardening as synthesized: the managed web ACL on both front doors, the listener's
// security headers, the alarms with their topic, and the dashboard.
import { ALARMS } from '../../modules/constructs/operations-alarms';
import { ALB_BACKCHANNEL_PATHS, MANAGED_RULE_GROUPS, SIGN_IN_PATHS } from '../../modules/constructs/web-acl';
import { HSTS_VALUE } from '../../modules/stacks/edge';
import { configWith, resourcesOf, synthAll } from '../helpers';

const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:oncall';

describe('the managed web ACL (the default)', () => {
  const { tf } = synthAll(configWith({ waf: { allowCountries: ['DE', 'AT'], rateLimitPer5Min: 500 } }));
  const acl = resourcesOf(tf.edge, 'aws_wafv2_web_acl')[0]!;

  test('REGIONAL, allowing by default, with a rate limit per IP, a country allow-list and the managed groups, blocking', () => {
    expect(acl).toMatchObject({ name: 'dev-central-auth', scope: 'REGIONAL', default_action: { allow: {} } });
    expect(acl.rule.map((r: any) => [r.name, r.priority])).toEqual([
      ['rate-limit-per-ip', 0],
      ['countries-allowed', 2],
      ...MANAGED_RULE_GROUPS.map((g) => [g.name, g.priority]),
    ]);
    expect(acl.rule[0]).toMatchObject({
      action: { block: {} },
      statement: { rate_based_statement: { limit: 500, aggregate_key_type: 'IP', evaluation_window_sec: 300 } },
    });
    // Limited on the sign-in paths only, so an office browsing dashboards from one address never is.
    // (__tests__/constructs/web-acl.test.ts judges the statements, the ALB's back-channel calls excepted.)
    const scoped = acl.rule[0].statement.rate_based_statement.scope_down_statement.and_statement.statement[0].or_statement.statement;
    expect(scoped.map((s: any) => s.byte_match_statement.search_string)).toEqual(SIGN_IN_PATHS);
    // Other countries are blocked, except the ALB's own calls to Cognito's token and user-info endpoints.
    const [geo, backchannel] = acl.rule[1].statement.and_statement.statement;
    expect(geo).toEqual({ not_statement: { statement: { geo_match_statement: { country_codes: ['AT', 'DE'] } } } });
    expect(backchannel.not_statement.statement.or_statement.statement.map((s: any) => s.byte_match_statement.search_string)).toEqual(
      ALB_BACKCHANNEL_PATHS,
    );
    const common = acl.rule.find((r: any) => r.name === 'AWSManagedRulesCommonRuleSet');
    expect(common).toMatchObject({
      override_action: { none: {} },
      statement: {
        managed_rule_group_statement: {
          vendor_name: 'AWS',
          name: 'AWSManagedRulesCommonRuleSet',
          rule_action_override: [
            'SizeRestrictions_BODY',
            'SizeRestrictions_QUERYSTRING',
            'SizeRestrictions_Cookie_HEADER',
            'NoUserAgent_HEADER',
          ].map((name) => ({ name, action_to_use: { count: {} } })),
        },
      },
    });
  });

  test('logged to aws-waf-logs-… for 90 days, without Authorization and Cookie', () => {
    expect(resourcesOf(tf.edge, 'aws_cloudwatch_log_group')).toContainEqual({
      name: 'aws-waf-logs-dev-central-auth',
      retention_in_days: 90,
    });
    const [logging] = resourcesOf(tf.edge, 'aws_wafv2_web_acl_logging_configuration');
    expect(logging!.redacted_fields).toEqual([{ single_header: { name: 'authorization' } }, { single_header: { name: 'cookie' } }]);
  });

  test('associated with the ALB and with the user pool, both from the stack that owns the web ACL', () => {
    expect(resourcesOf(tf.edge, 'aws_wafv2_web_acl_association').map((a) => a.resource_arn)).toEqual([
      '${aws_lb.alb.arn}',
      '${data.terraform_remote_state.remote-state-auth.outputs.user_pool_arn}',
    ]);
  });

  test('count: true counts with every rule instead of blocking, for a first rollout', () => {
    const { tf: counting } = synthAll(configWith({ waf: { count: true } }));
    const rules = resourcesOf(counting.edge, 'aws_wafv2_web_acl')[0]!.rule;
    expect(rules[0].action).toEqual({ count: {} });
    for (const r of rules.slice(1)) expect(r.override_action).toEqual({ count: {} });
  });

  test('mode off creates and associates nothing', () => {
    const reason = 'Test: a firewall appliance in front of the VPC does this job.';
    const { tf: off } = synthAll(
      configWith({
        waf: { mode: 'off' },
        suppressions: [
          { rule: 'ALB_ACCESS_LOGS', reason },
          { rule: 'ALB_WAF', reason },
          { rule: 'COGNITO_WAF', reason },
        ],
      }),
    );
    expect(resourcesOf(off.edge, 'aws_wafv2_web_acl')).toEqual([]);
    expect(resourcesOf(off.edge, 'aws_wafv2_web_acl_association')).toEqual([]);
  });
});

describe('security headers on the HTTPS listener', () => {
  test('HSTS for a year with subdomains, nosniff, and no Server header; off on request', () => {
    const listener = synthAll().tf.edge.resource.aws_lb_listener!.https;
    expect(listener).toMatchObject({
      routing_http_response_strict_transport_security_header_value: HSTS_VALUE,
      routing_http_response_x_content_type_options_header_value: 'nosniff',
      routing_http_response_server_enabled: false,
    });
    expect(HSTS_VALUE).toBe('max-age=31536000; includeSubDomains');
    const config = configWith({
      alb: { securityHeaders: false },
      suppressions: [
        { rule: 'ALB_ACCESS_LOGS', reason: 'Test: no log bucket in this account.' },
        { rule: 'ALB_SECURITY_HEADERS', reason: 'Test: the apps set their own, stricter headers.' },
      ],
    });
    const off = synthAll(config).tf.edge.resource.aws_lb_listener!.https;
    expect(off.routing_http_response_strict_transport_security_header_value).toBeUndefined();
    expect(off.routing_http_response_server_enabled).toBe(true);
  });
});

describe('alarms and dashboard', () => {
  const { tf } = synthAll(configWith({ alarms: { email: ['oncall@example.com', 'platform@example.com'] } }));
  const alarms = resourcesOf(tf.edge, 'aws_cloudwatch_metric_alarm');

  test('one alarm per signal, each with its reason, its missing-data choice, and the topic for both alarm and OK', () => {
    const byMetric = (rows: unknown[][]) => rows.sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    expect(byMetric(alarms.map((a) => [a.metric_name, a.namespace, a.threshold, a.treat_missing_data]))).toEqual(
      byMetric(ALARMS.map((s) => [s.metric, s.namespace, s.threshold, s.treatMissingData])),
    );
    for (const a of alarms) {
      expect(a.alarm_description.length).toBeGreaterThan(40);
      expect(a.alarm_actions).toEqual([expect.stringMatching(/^\$\{aws_sns_topic\.operations_topic_[0-9A-F]{8}\.arn\}$/)]);
      expect(a.ok_actions).toEqual(a.alarm_actions);
    }
    const latency = alarms.find((a) => a.metric_name === 'ELBAuthLatency')!;
    expect([latency.extended_statistic, latency.statistic]).toEqual(['p99', undefined]);
    expect(latency.dimensions).toEqual({ LoadBalancer: '${aws_lb.alb.arn_suffix}' });
    const unhealthy = alarms.find((a) => a.metric_name === 'UnHealthyHostCount')!;
    expect(unhealthy.dimensions).toEqual({
      LoadBalancer: '${aws_lb.alb.arn_suffix}',
      TargetGroup: '${aws_lb_target_group.ingress-nlb-targets.arn_suffix}',
    });
    const throttles = alarms.find((a) => a.metric_name === 'Throttles')!;
    expect(throttles.dimensions.FunctionName).toMatch(/aws_lambda_function\.signout_function_[0-9A-F]{8}\.function_name/);
  });

  test('the topic is encrypted with a key CloudWatch may use (it cannot use aws/sns), and each address is subscribed', () => {
    const [topic] = resourcesOf(tf.edge, 'aws_sns_topic');
    expect(topic!.kms_master_key_id).toMatch(/^\$\{aws_kms_key\.operations_topic-key_[0-9A-F]{8}\.arn\}$/);
    const [key] = resourcesOf(tf.edge, 'aws_kms_key');
    expect(key!.enable_key_rotation).toBe(true);
    expect(key!.policy).toContain('"Service" = "cloudwatch.amazonaws.com"');
    expect(resourcesOf(tf.edge, 'aws_sns_topic_subscription').map((s) => [s.protocol, s.endpoint])).toEqual([
      ['email', 'oncall@example.com'],
      ['email', 'platform@example.com'],
    ]);
  });

  test('the dashboard shows the same metrics and the WAF’s blocked requests', () => {
    const [dashboard] = resourcesOf(tf.edge, 'aws_cloudwatch_dashboard');
    expect(dashboard!.dashboard_name).toBe('dev-central-auth');
    for (const spec of ALARMS) expect(dashboard!.dashboard_body).toContain(`"${spec.metric}"`);
    expect(dashboard!.dashboard_body).toContain('"BlockedRequests"');
  });

  test('an existing topic is used as it is; without one and without addresses the alarms notify nobody', () => {
    const existing = resourcesOf(synthAll(configWith({ alarms: { snsTopicArn: TOPIC } })).tf.edge, 'aws_cloudwatch_metric_alarm');
    expect(existing.every((a) => a.alarm_actions[0] === TOPIC)).toBe(true);
    const { tf: plain } = synthAll();
    expect(resourcesOf(plain.edge, 'aws_sns_topic')).toEqual([]);
    expect(resourcesOf(plain.edge, 'aws_cloudwatch_metric_alarm').every((a) => a.alarm_actions === undefined)).toBe(true);
  });
});

describe('logs: ALB access and connection logs, and Cognito’s message delivery errors', () => {
  test('alb.accessLogs create: a private, SSE-S3, TLS-only, expiring bucket ELB may write to, which the ALB waits for', () => {
    const { tf } = synthAll(configWith({ alb: { accessLogs: { create: true, expireDays: 30 } } }));
    const alb = tf.edge.resource.aws_lb!.alb;
    expect(alb.access_logs).toEqual({
      bucket: expect.stringMatching(/^\$\{aws_s3_bucket\.alb-logs_bucket_[0-9A-F]{8}\.bucket\}$/),
      prefix: 'alb',
      enabled: true,
    });
    expect(alb.connection_logs).toEqual({ bucket: alb.access_logs.bucket, prefix: 'alb/connection', enabled: true });
    expect(alb.depends_on).toEqual([expect.stringMatching(/^aws_s3_bucket_policy\.alb-logs_policy_[0-9A-F]{8}$/)]);
    expect(resourcesOf(tf.edge, 'aws_s3_bucket')[0]).toMatchObject({ bucket_prefix: 'dev-central-auth-logs-' });
    expect(resourcesOf(tf.edge, 'aws_s3_bucket_public_access_block')[0]).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(resourcesOf(tf.edge, 'aws_s3_bucket_server_side_encryption_configuration')[0]!.rule).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' } },
    ]);
    expect(resourcesOf(tf.edge, 'aws_s3_bucket_lifecycle_configuration')[0]!.rule[0]).toMatchObject({
      status: 'Enabled',
      expiration: [{ days: 30 }],
    });
    const policy = resourcesOf(tf.edge, 'aws_s3_bucket_policy')[0]!.policy;
    // eu-west-1 opened before August 2022: ELB's regional account and the log delivery service both
    expect(policy).toContain('logdelivery.elasticloadbalancing.amazonaws.com');
    expect(policy).toContain('data.aws_elb_service_account.alb-logs_elb-account');
    expect(policy).toContain('"aws:SecureTransport" = "false"');
  });

  test('an existing bucket keeps its prefix, and gets the connection logs beside the access logs', () => {
    const { tf } = synthAll(configWith({ alb: { accessLogs: { bucket: 'acme-alb-logs' } } }));
    const alb = tf.edge.resource.aws_lb!.alb;
    expect(alb.access_logs).toEqual({ bucket: 'acme-alb-logs', enabled: true });
    expect(alb.connection_logs).toEqual({ bucket: 'acme-alb-logs', prefix: 'connection', enabled: true });
    expect(resourcesOf(tf.edge, 'aws_s3_bucket')).toEqual([]);
  });

  test('Cognito’s message delivery errors go to a log group with retention', () => {
    const { tf } = synthAll();
    expect(resourcesOf(tf.auth, 'aws_cloudwatch_log_group')).toContainEqual({
      name: '/aws/vendedlogs/cognito/dev-central-auth',
      retention_in_days: 90,
    });
    expect(resourcesOf(tf.auth, 'aws_cognito_log_delivery_configuration')[0]!.log_configurations).toEqual([
      {
        event_source: 'userNotification',
        log_level: 'ERROR',
        cloud_watch_logs_configuration: [{ log_group_arn: expect.stringMatching(/aws_cloudwatch_log_group\.user-pool-logs\.arn/) }],
      },
    ]);
  });
});
