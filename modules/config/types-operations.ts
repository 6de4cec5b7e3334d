// Config of the front doors' web ACL and of who hears the alarms.

/** The web ACL in front of both front doors: the ALB and the Cognito user pool. */
export interface WafConfig {
  /**
   * `managed`: this app creates a web ACL (rate limit, country allow-list, AWS managed rules,
   * logging); `existing`: `webAclArn` is associated instead; `off`: none (needs suppressions of
   * ALB_WAF and COGNITO_WAF with a reason).
   * @default 'managed'
   */
  readonly mode?: 'managed' | 'existing' | 'off';
  /** `existing` only: a REGIONAL WAFv2 web ACL of the config's region. */
  readonly webAclArn?: string;
  /**
   * `managed` only: requests per 5 minutes one IP address may send before it is blocked.
   * @default 2000
   * @minimum 10
   * @maximum 2000000000
   * @asType integer
   */
  readonly rateLimitPer5Min?: number;
  /**
   * `managed` only: ISO 3166-1 alpha-2 country codes allowed; every other country is blocked.
   * @default - every country
   */
  readonly allowCountries?: readonly string[];
  /**
   * `managed` with `allowCountries` and apps with `bearerTokens` only, and then required: whether
   * a request that carries `Authorization: Bearer …` to one of those apps' hosts passes the country
   * allow-list. Machines call from anywhere (CI runners, cloud functions), and the ALB verifies every
   * such token before the app sees the request; `false` keeps blocking them like browsers.
   * @default - no default: the config must say which
   */
  readonly bearerTokensFromAnyCountry?: boolean;
  /**
   * `managed` only: every rule counts instead of blocking, for a safe first rollout.
   * @default false
   */
  readonly count?: boolean;
}

/** Who hears when sign-in breaks: the alarms' SNS topic. */
export interface AlarmsConfig {
  /**
   * Addresses subscribed to a topic this app creates (encrypted with its own KMS key). Each must
   * confirm the subscription mail before it gets alarms.
   * @default - none
   */
  readonly email?: readonly string[];
  /**
   * An existing SNS topic of the config's region instead (it must let CloudWatch publish, and its
   * KMS key, if any, must let CloudWatch use it).
   * @default - a topic this app creates
   */
  readonly snsTopicArn?: string;
}
