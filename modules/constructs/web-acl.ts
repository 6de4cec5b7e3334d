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
  /**
   * Hosts where a request with `Authorization: Bearer …` passes the country allow-list: calls from
   * code, whose tokens the ALB verifies before forwarding.
   * @default - none: the allow-list applies to every request
   */
  readonly bearerHostsFromAnyCountry?: readonly string[];
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
 * Cognito endpoints the ALB itself calls from a handful of its nodes' addresses (token and user
 * info). The web ACL sees these calls too: the user pool's association covers every endpoint of its
 * domain, whoever calls (Cognito developer guide, "Associate an AWS WAF web ACL with a user pool").
 * So neither the country allow-list nor the per-IP rate limit may count them: a busy morning of
 * sign-ins would put the ALB's few addresses over the limit and block every sign-in. Brute force
 * there needs a client secret or a one-time code; Cognito's own quotas bound it.
 */
export const ALB_BACKCHANNEL_PATHS = ['/oauth2/token', '/oauth2/userInfo'];

/** The label the bearer-token rule gives a request it lets past the country allow-list. */
export const BEARER_LABEL = 'central-auth:bearer-from-any-country';

const byteMatch = (field: object, search: string, position: 'STARTS_WITH' | 'EXACTLY', transform: 'NONE' | 'LOWERCASE' = 'NONE') => ({
  byte_match_statement: {
    search_string: search,
    positional_constraint: position,
    field_to_match: field,
    text_transformation: [{ priority: 0, type: transform }],
  },
});

const anyOf = <T>(statements: T[]) => (statements.length === 1 ? statements[0]! : { or_statement: { statement: statements } });

function pathStartsWith(prefixes: readonly string[]) {
  return anyOf(prefixes.map((prefix) => byteMatch({ uri_path: {} }, prefix, 'STARTS_WITH')));
}

/**
 * Where the rate limit counts: the sign-in paths, but never the ALB's own back-channel calls. Each
 * exception is its own `not` (and → not → match): hashicorp/aws builds a scope-down statement two
 * logical levels deep (internal/service/wafv2/schemas.go, scopeDownStatementSchema(level - 1)), so
 * and → not → or → match would not fit.
 */
export function rateLimitScope() {
  return {
    and_statement: {
      statement: [
        pathStartsWith(SIGN_IN_PATHS),
        ...ALB_BACKCHANNEL_PATHS.map((path) => ({ not_statement: { statement: pathStartsWith([path]) } })),
      ],
    },
  };
}

function visibility(metric: string) {
  return { cloudwatchMetricsEnabled: true, metricName: metric, sampledRequestsEnabled: true };
}

/**
 * The country allow-list, which never blocks the ALB's back-channel calls; with bearer hosts, a
 * counting rule first labels requests that carry a bearer token to one of them (a count still adds
 * its label, and a later rule sees the labels of earlier ones: WAF developer guide, "How labeling
 * works"), and the allow-list lets labelled requests through to the ALB, which verifies the token.
 * Only those hosts: a bearer header to any other host would still reach a sign-in page.
 */
function countryRules(name: string, countries: readonly string[], bearerHosts: readonly string[], action: object): Wafv2WebAclRule[] {
  const exceptions: object[] = [{ not_statement: { statement: pathStartsWith(ALB_BACKCHANNEL_PATHS) } }];
  const rules: Wafv2WebAclRule[] = [];
  if (bearerHosts.length) {
    rules.push({
      name: 'bearer-from-any-country',
      priority: 1,
      action: { count: {} },
      ruleLabel: [{ name: BEARER_LABEL }],
      statement: {
        and_statement: {
          statement: [
            anyOf(bearerHosts.map((host) => byteMatch({ single_header: { name: 'host' } }, host, 'EXACTLY', 'LOWERCASE'))),
            byteMatch({ single_header: { name: 'authorization' } }, 'bearer ', 'STARTS_WITH', 'LOWERCASE'),
          ],
        },
      },
      visibilityConfig: visibility(`${name}-bearer-from-any-country`),
    });
    exceptions.push({ not_statement: { statement: { label_match_statement: { scope: 'LABEL', key: BEARER_LABEL } } } });
  }
  rules.push({
    name: 'countries-allowed',
    priority: 2,
    action,
    statement: {
      and_statement: {
        statement: [{ not_statement: { statement: { geo_match_statement: { country_codes: [...countries] } } } }, ...exceptions],
      },
    },
    visibilityConfig: visibility(`${name}-countries`),
  });
  return rules;
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
            scope_down_statement: rateLimitScope(),
          },
        },
        visibilityConfig: visibility(`${props.name}-rate-limit`),
      },
      ...(props.allowCountries?.length
        ? countryRules(props.name, props.allowCountries, props.bearerHostsFromAnyCountry ?? [], act(true))
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
