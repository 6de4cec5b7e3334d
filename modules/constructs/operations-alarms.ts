import { CloudwatchDashboard } from '@cdktf/provider-aws/lib/cloudwatch-dashboard';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import { nameKey } from '../plan/naming';

export interface OperationsAlarmsProps {
  readonly namePrefix: string;
  readonly region: string;
  /** The ALB's `arn_suffix` (the LoadBalancer dimension). */
  readonly albArnSuffix: string;
  /** The ingress target group's `arn_suffix` (the TargetGroup dimension). */
  readonly targetGroupArnSuffix: string;
  readonly signoutFunctionName: string;
  /** @default - no WAF panel */
  readonly webAclName?: string;
  /** The identity verifier's Deployment, as Container Insights names it (ClusterName, Namespace, PodName). */
  readonly verifier: { readonly clusterName: string; readonly namespace: string; readonly name: string };
  /** Mail addresses for a topic of this construct, or an existing topic. */
  readonly notify: { readonly email: readonly string[]; readonly snsTopicArn?: string };
}

/**
 * One alarm: what it watches, when it fires, and why that threshold. Every threshold has a reason,
 * and `treatMissingData` is chosen per metric: ELB and Lambda publish a count only when it is not
 * zero, so for counts a missing point means "nothing happened".
 */
export interface AlarmSpec {
  readonly key: string;
  readonly namespace: 'AWS/ApplicationELB' | 'AWS/Lambda' | 'ContainerInsights';
  readonly metric: string;
  readonly statistic?: 'Sum' | 'Maximum';
  readonly extendedStatistic?: string;
  readonly dimensions: 'alb' | 'targetGroup' | 'signout' | 'verifier';
  readonly periodSeconds: number;
  readonly evaluationPeriods: number;
  readonly threshold: number;
  readonly comparison: 'GreaterThanOrEqualToThreshold' | 'GreaterThanThreshold';
  readonly treatMissingData: 'notBreaching' | 'breaching';
  /** Why this threshold; goes into the alarm's description and the README. */
  readonly why: string;
}

export const ALARMS: readonly AlarmSpec[] = [
  {
    key: 'verifier-latency',
    namespace: 'AWS/ApplicationELB',
    metric: 'TargetResponseTime',
    extendedStatistic: 'p99',
    dimensions: 'targetGroup',
    periodSeconds: 60,
    evaluationPeriods: 5,
    threshold: 1,
    comparison: 'GreaterThanOrEqualToThreshold',
    treatMissingData: 'notBreaching',
    why: 'Every request waits on the router and the identity verifier before the app: a p99 over a second for five minutes on the router targets is a saturated verifier (its pods at their CPU request with the autoscaler at maxReplicas) or a slow app.',
  },
  {
    key: 'verifier-restarts',
    namespace: 'ContainerInsights',
    metric: 'pod_number_of_container_restarts',
    statistic: 'Sum',
    dimensions: 'verifier',
    periodSeconds: 300,
    evaluationPeriods: 1,
    threshold: 1,
    comparison: 'GreaterThanOrEqualToThreshold',
    treatMissingData: 'notBreaching',
    why: 'A verifier container restarted (out of memory, or a failed liveness probe): every request on its pod failed meanwhile. Needs Container Insights on the cluster (the amazon-cloudwatch-observability add-on); without it the alarm stays OK.',
  },
  {
    key: 'auth-error',
    namespace: 'AWS/ApplicationELB',
    metric: 'ELBAuthError',
    statistic: 'Sum',
    dimensions: 'alb',
    periodSeconds: 300,
    evaluationPeriods: 2,
    threshold: 1,
    comparison: 'GreaterThanOrEqualToThreshold',
    treatMissingData: 'notBreaching',
    why: 'Any sign-in the ALB could not complete: a misconfigured authenticate action, or Cognito unreachable. Two 5-minute periods in a row, so one transient error does not page.',
  },
  {
    key: 'auth-failure',
    namespace: 'AWS/ApplicationELB',
    metric: 'ELBAuthFailure',
    statistic: 'Sum',
    dimensions: 'alb',
    periodSeconds: 300,
    evaluationPeriods: 1,
    threshold: 20,
    comparison: 'GreaterThanOrEqualToThreshold',
    treatMissingData: 'notBreaching',
    why: 'Sign-ins the IdP refused (requireGroup refusals count here). A few a day are normal; 20 in 5 minutes is a lockout wave or a broken group mapping.',
  },
  {
    key: 'auth-latency',
    namespace: 'AWS/ApplicationELB',
    metric: 'ELBAuthLatency',
    extendedStatistic: 'p99',
    dimensions: 'alb',
    periodSeconds: 300,
    evaluationPeriods: 3,
    threshold: 3000,
    comparison: 'GreaterThanThreshold',
    treatMissingData: 'notBreaching',
    why: "The ALB's token and user-info calls to Cognito take well under a second; a p99 over 3 s for 15 minutes means Cognito or its custom domain is slow for everyone.",
  },
  {
    key: 'elb-5xx',
    namespace: 'AWS/ApplicationELB',
    metric: 'HTTPCode_ELB_5XX_Count',
    statistic: 'Sum',
    dimensions: 'alb',
    periodSeconds: 300,
    evaluationPeriods: 2,
    threshold: 10,
    comparison: 'GreaterThanOrEqualToThreshold',
    treatMissingData: 'notBreaching',
    why: 'Errors the ALB itself answers (no healthy router, a claims cookie over 11 KB, a sign-out function failing). 10 in each of two 5-minute periods is an outage, not a blip.',
  },
  {
    key: 'unhealthy-router',
    namespace: 'AWS/ApplicationELB',
    metric: 'UnHealthyHostCount',
    statistic: 'Maximum',
    dimensions: 'targetGroup',
    periodSeconds: 60,
    evaluationPeriods: 3,
    threshold: 1,
    comparison: 'GreaterThanOrEqualToThreshold',
    treatMissingData: 'breaching',
    why: "An NLB address of the router failing the ALB's health check for 3 minutes. The metric is published every minute while targets are registered, so its absence is itself a fault.",
  },
  {
    key: 'rejected-connections',
    namespace: 'AWS/ApplicationELB',
    metric: 'RejectedConnectionCount',
    statistic: 'Sum',
    dimensions: 'alb',
    periodSeconds: 300,
    evaluationPeriods: 1,
    threshold: 1,
    comparison: 'GreaterThanOrEqualToThreshold',
    treatMissingData: 'notBreaching',
    why: 'The ALB refused connections because it reached its maximum: never expected for internal tools, so the first one counts.',
  },
  {
    key: 'signout-errors',
    namespace: 'AWS/Lambda',
    metric: 'Errors',
    statistic: 'Sum',
    dimensions: 'signout',
    periodSeconds: 300,
    evaluationPeriods: 1,
    threshold: 1,
    comparison: 'GreaterThanOrEqualToThreshold',
    treatMissingData: 'notBreaching',
    why: 'The sign-out handler never throws; an error is a crash, a timeout or a broken package, and users stay signed in.',
  },
  {
    key: 'signout-throttles',
    namespace: 'AWS/Lambda',
    metric: 'Throttles',
    statistic: 'Sum',
    dimensions: 'signout',
    periodSeconds: 300,
    evaluationPeriods: 1,
    threshold: 1,
    comparison: 'GreaterThanOrEqualToThreshold',
    treatMissingData: 'notBreaching',
    why: 'Sign-outs refused because the reserved concurrency is used up: a flood, or a reservation too small.',
  },
];

/**
 * The alarms above, their SNS topic (this construct's, encrypted with a key CloudWatch may use, or
 * an existing one), and a dashboard of the same metrics plus the web ACL's blocked requests.
 */
export class OperationsAlarms extends Construct {
  /** Where the alarms notify; absent when nobody is named (the alarms still show state and history). */
  readonly topicArn?: string;
  readonly alarms = new Map<string, CloudwatchMetricAlarm>();
  readonly dashboard: CloudwatchDashboard;

  constructor(scope: Construct, id: string, props: OperationsAlarmsProps) {
    super(scope, id);
    this.topicArn = props.notify.snsTopicArn ?? (props.notify.email.length > 0 ? this.createTopic(props) : undefined);
    const actions = this.topicArn === undefined ? {} : { alarmActions: [this.topicArn], okActions: [this.topicArn] };
    const dimensions = {
      alb: { LoadBalancer: props.albArnSuffix },
      targetGroup: { LoadBalancer: props.albArnSuffix, TargetGroup: props.targetGroupArnSuffix },
      signout: { FunctionName: props.signoutFunctionName },
      verifier: { ClusterName: props.verifier.clusterName, Namespace: props.verifier.namespace, PodName: props.verifier.name },
    };
    for (const spec of ALARMS) {
      this.alarms.set(
        spec.key,
        new CloudwatchMetricAlarm(this, spec.key, {
          alarmName: `${props.namePrefix}-${spec.key}`,
          alarmDescription: spec.why,
          namespace: spec.namespace,
          metricName: spec.metric,
          ...(spec.statistic ? { statistic: spec.statistic } : { extendedStatistic: spec.extendedStatistic }),
          dimensions: dimensions[spec.dimensions],
          period: spec.periodSeconds,
          evaluationPeriods: spec.evaluationPeriods,
          threshold: spec.threshold,
          comparisonOperator: spec.comparison,
          treatMissingData: spec.treatMissingData,
          ...actions,
        }),
      );
    }
    this.dashboard = new CloudwatchDashboard(this, 'dashboard', {
      dashboardName: props.namePrefix,
      dashboardBody: Fn.jsonencode(dashboardBody(props, dimensions)),
    });
  }

  private createTopic(props: OperationsAlarmsProps): string {
    const account = new DataAwsCallerIdentity(this, 'account');
    const partition = new DataAwsPartition(this, 'partition');
    // CloudWatch cannot use the AWS managed aws/sns key, so alarms to a topic encrypted with it are
    // silently dropped (SNS developer guide, "Encrypting messages published to Amazon SNS").
    const key = new KmsKey(this, 'topic-key', {
      description: `${props.namePrefix} alarm topic`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: Fn.jsonencode({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'Account',
            Effect: 'Allow',
            Principal: { AWS: `arn:${partition.partition}:iam::${account.accountId}:root` },
            Action: 'kms:*',
            Resource: '*',
          },
          {
            Sid: 'CloudWatchAlarms',
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            Resource: '*',
          },
        ],
      }),
    });
    const topic = new SnsTopic(this, 'topic', { name: `${props.namePrefix}-alarms`, kmsMasterKeyId: key.arn });
    new SnsTopicPolicy(this, 'topic-policy', {
      arn: topic.arn,
      policy: Fn.jsonencode({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'CloudWatchAlarms',
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
            Resource: topic.arn,
            Condition: { StringEquals: { 'aws:SourceAccount': account.accountId } },
          },
          {
            Sid: 'HttpsOnly',
            Effect: 'Deny',
            Principal: '*',
            Action: 'sns:Publish',
            Resource: topic.arn,
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          },
        ],
      }),
    });
    props.notify.email.forEach((address) => {
      new SnsTopicSubscription(this, `email-${nameKey(address)}`, { topicArn: topic.arn, protocol: 'email', endpoint: address });
    });
    return topic.arn;
  }
}

function dashboardBody(
  props: OperationsAlarmsProps,
  dimensions: Record<AlarmSpec['dimensions'], Record<string, string>>,
): Record<string, unknown> {
  const metric = (spec: AlarmSpec) => [
    spec.namespace,
    spec.metric,
    ...Object.entries(dimensions[spec.dimensions]).flat(),
    { stat: spec.statistic ?? spec.extendedStatistic, label: spec.metric },
  ];
  const widget = (title: string, metrics: unknown[], i: number) => ({
    type: 'metric',
    x: (i % 2) * 12,
    y: Math.floor(i / 2) * 6,
    width: 12,
    height: 6,
    properties: { title, region: props.region, view: 'timeSeries', period: 300, metrics },
  });
  const panels = [
    widget('Sign-in (ALB authenticate)', ALARMS.filter((a) => a.metric.startsWith('ELBAuth') && a.statistic).map(metric), 0),
    widget('Sign-in latency p99 (ms)', ALARMS.filter((a) => a.metric === 'ELBAuthLatency').map(metric), 1),
    widget(
      'ALB errors and rejections',
      ALARMS.filter((a) => ['HTTPCode_ELB_5XX_Count', 'RejectedConnectionCount'].includes(a.metric)).map(metric),
      2,
    ),
    widget('Router health', ALARMS.filter((a) => a.dimensions === 'targetGroup').map(metric), 3),
    widget('Sign-out function', ALARMS.filter((a) => a.dimensions === 'signout').map(metric), 4),
    widget('Identity verifier restarts', ALARMS.filter((a) => a.dimensions === 'verifier').map(metric), 5),
  ];
  if (props.webAclName) {
    panels.push(
      widget(
        'WAF blocked requests',
        [['AWS/WAFV2', 'BlockedRequests', 'WebACL', props.webAclName, 'Region', props.region, 'Rule', 'ALL', { stat: 'Sum' }]],
        6,
      ),
    );
  }
  return { widgets: panels };
}
