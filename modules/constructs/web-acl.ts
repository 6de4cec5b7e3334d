import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { Wafv2WebAcl, type Wafv2WebAclRule } from '@cdktf/provider-aws/lib/wafv2-web-acl';
import { Wafv2WebAclLoggingConfiguration } from '@cdktf/provider-aws/lib/wafv2-web-acl-logging-configuration';
import { Construct } from 'constructs';

export interface ManagedWebAclProps {
  /** Names the web ACL, its metrics and its log group (`aws-waf-logs-<name>`, as WAF requires). */
  readonly name: string;
  /** Requests per 5 minutes from one IP address before it is blocked. */
  readonly rateLimitPer5Min: number;
  /**
   * ISO 3166 country codes allowed; requests from elsewhere are blocked.
   * @default - every country
   */
  readonly allowCountries?: readonly string[];
  /** Every rule counts instead of blocking: a first rollout shows what it would block. */
  readonly count: boolean;
  readonly logRetentionDays: number;
}

/** AWS managed rule groups that fit sign-in pages and internal web apps, by priority. */
export const MANAGED_RULE_GROUPS = [
  // Addresses Amazon's threat intelligence lists as bots and attackers.
  { name: 'AWSManagedRulesAmazonIpReputationList', priority: 10 },
  // Request patterns known to be malicious (Log4j/Spring4Shell probes, invalid paths).
  { name: 'AWSManagedRulesKnownBadInputsRuleSet', priority: 20 },
  // OWASP-style protections. SizeRestrictions_BODY blocks bodies over 8 KB, which Grafana's
  // dashboard saves and most JSON APIs exceed: it only counts here.
  { name: 'AWSManagedRulesCommonRuleSet', priority: 30, countOnly: ['SizeRestrictions_BODY'] },
] as const;

function visibility(metric: string) {
  return { cloudwatchMetricsEnabled: true, metricName: metric, sampledRequestsEnabled: true };
}

/**
 * A REGIONAL web ACL for both front doors (the ALB and the Cognito user pool), with a per-IP rate
 * limit, an optional country allow-list and the managed rule groups above, logged to CloudWatch
 * Logs without the Authorization and Cookie headers (tokens and session cookies stay out of logs).
 */
export class ManagedWebAcl extends Construct {
  readonly acl: Wafv2WebAcl;
  readonly logGroup: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: ManagedWebAclProps) {
    super(scope, id);
    const act = (block: boolean) => (props.count || !block ? { count: {} } : { block: {} });
    const rules: Wafv2WebAclRule[] = [
      {
        name: 'rate-limit-per-ip',
        priority: 0,
        action: act(true),
        statement: { rate_based_statement: { limit: props.rateLimitPer5Min, aggregate_key_type: 'IP', evaluation_window_sec: 300 } },
        visibilityConfig: visibility(`${props.name}-rate-limit`),
      },
      ...(props.allowCountries?.length
        ? [
            {
              name: 'countries-allowed',
              priority: 1,
              action: act(true),
              statement: { not_statement: { statement: { geo_match_statement: { country_codes: [...props.allowCountries] } } } },
              visibilityConfig: visibility(`${props.name}-countries`),
            },
          ]
        : []),
      ...MANAGED_RULE_GROUPS.map((group) => ({
        name: group.name,
        priority: group.priority,
        overrideAction: props.count ? { count: {} } : { none: {} },
        statement: {
          managed_rule_group_statement: {
            vendor_name: 'AWS',
            name: group.name,
            ...('countOnly' in group
              ? { rule_action_override: group.countOnly.map((rule) => ({ name: rule, action_to_use: { count: {} } })) }
              : {}),
          },
        },
        visibilityConfig: visibility(`${props.name}-${group.name}`),
      })),
    ];
    this.acl = new Wafv2WebAcl(this, 'acl', {
      name: props.name,
      description: 'Front doors of central auth: the ALB and the Cognito user pool',
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      rule: rules,
      visibilityConfig: visibility(props.name),
    });
    this.logGroup = new CloudwatchLogGroup(this, 'logs', {
      // WAF delivers only to log groups whose name starts with aws-waf-logs- (WAF developer guide, "CloudWatch Logs").
      name: `aws-waf-logs-${props.name}`,
      retentionInDays: props.logRetentionDays,
    });
    new Wafv2WebAclLoggingConfiguration(this, 'logging', {
      resourceArn: this.acl.arn,
      logDestinationConfigs: [this.logGroup.arn],
      redactedFields: [{ singleHeader: { name: 'authorization' } }, { singleHeader: { name: 'cookie' } }],
    });
  }
}
