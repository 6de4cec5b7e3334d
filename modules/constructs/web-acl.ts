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
  // OWASP-style protections, with four rules only counting: bodies over 8 KB (Grafana's dashboard
  // saves, JSON APIs), query strings over 2 KB (dashboard variables), cookies over 10 KB (the ALB's
  // session shards reach 11 KB for users in many groups), and requests without User-Agent (the ALB's
  // own token calls to Cognito pass through this web ACL too, and not every client sends one).
  {
    name: 'AWSManagedRulesCommonRuleSet',
    priority: 30,
    countOnly: ['SizeRestrictions_BODY', 'SizeRestrictions_QUERYSTRING', 'SizeRestrictions_Cookie_HEADER', 'NoUserAgent_HEADER'],
  },
] as const;

/**
 * Paths where people sign in, out or recover (ALB callback and sign-out; Cognito's managed login):
 * the per-IP rate limit applies there only, so a busy office behind one NAT address browsing its
 * dashboards is never limited, while password guessing is.
 */
export const SIGN_IN_PATHS = ['/oauth2/', '/login', '/logout', '/_auth/', '/forgotPassword', '/confirmForgotPassword', '/passkeys'];

/**
 * Cognito endpoints the ALB itself calls from its region's addresses (token and user info): a
 * country allow-list must never block them, or nobody could sign in from anywhere.
 */
export const ALB_BACKCHANNEL_PATHS = ['/oauth2/token', '/oauth2/userInfo'];

function pathStartsWith(prefixes: readonly string[]) {
  const matches = prefixes.map((prefix) => ({
    byte_match_statement: {
      search_string: prefix,
      positional_constraint: 'STARTS_WITH',
      field_to_match: { uri_path: {} },
      text_transformation: [{ priority: 0, type: 'NONE' }],
    },
  }));
  return matches.length === 1 ? matches[0] : { or_statement: { statement: matches } };
}

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
        statement: {
          rate_based_statement: {
            limit: props.rateLimitPer5Min,
            aggregate_key_type: 'IP',
            evaluation_window_sec: 300,
            scope_down_statement: pathStartsWith(SIGN_IN_PATHS),
          },
        },
        visibilityConfig: visibility(`${props.name}-rate-limit`),
      },
      ...(props.allowCountries?.length
        ? [
            {
              name: 'countries-allowed',
              priority: 1,
              action: act(true),
              statement: {
                and_statement: {
                  statement: [
                    { not_statement: { statement: { geo_match_statement: { country_codes: [...props.allowCountries] } } } },
                    { not_statement: { statement: pathStartsWith(ALB_BACKCHANNEL_PATHS) } },
                  ],
                },
              },
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
