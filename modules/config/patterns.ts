// AWS name rules, kept in one place so the error text and the check never drift apart.
export const PATTERNS = {
  environment: /^[a-z][a-z0-9-]{0,14}[a-z0-9]$/,
  region: /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/,
  vpcId: /^vpc-[0-9a-f]{8}([0-9a-f]{9})?$/,
  subnetId: /^subnet-[0-9a-f]{8}([0-9a-f]{9})?$/,
  clusterName: /^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/,
  domainPrefix: /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/,
  appName: /^[a-z](?:[a-z0-9-]{0,38}[a-z0-9])?$/,
  dnsLabel: /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/,
  cookieName: /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}$/,
  signoutPath: /^\/(?!\/)[A-Za-z0-9_.~/-]{1,127}$/,
  pathPattern: /^\/[A-Za-z0-9_.$/~"'@:+&*?-]{0,127}$/,
  groupName: /^[\p{L}\p{M}\p{S}\p{N}\p{P}]{1,128}$/u,
  dynamodbTable: /^[A-Za-z0-9_.-]{3,255}$/,
  webAclArn: /^arn:aws[a-z-]*:wafv2:[a-z0-9-]+:\d{12}:regional\/webacl\/[A-Za-z0-9_-]+\/[0-9a-f-]{36}$/,
  ruleId: /^[A-Z][A-Z0-9_]{2,63}$/,
} as const;

export const RESERVED_DOMAIN_WORDS = ['aws', 'amazon', 'cognito'] as const;

/** Where the ALB receives Cognito's sign-in response on every protected host. */
export const ALB_CALLBACK_PATH = '/oauth2/idpresponse';

/** Where Cognito sends the browser back to the ALB after sign-in: registered per host, since Cognito has no wildcard callbacks. */
export function callbackUrl(host: string): string {
  return `https://${host}${ALB_CALLBACK_PATH}`;
}

/** ALB allows five condition values per rule; one goes to the host header. */
export const MAX_PUBLIC_PATHS_PER_APP = 36;

/** Turns an ALB path pattern (`*` and `?` wildcards) into a RegExp. */
export function pathPatternToRegExp(pattern: string): RegExp {
  const body = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

export function isValidHostname(host: string): boolean {
  return host.length <= 253 && host.split('.').length >= 2 && host.split('.').every((l) => PATTERNS.dnsLabel.test(l));
}

/** True when `host` is the zone apex or below it. */
export function isInZone(host: string, zone: string): boolean {
  return host === zone || host.endsWith(`.${zone}`);
}

/**
 * The sign-out function's second hop, which expires the cookies: forwarded without an authenticate
 * action, so the ALB cannot refresh the session in the same response (lambda/signout/README.md).
 */
export function signoutClearPath(signoutPath: string): string {
  return `${signoutPath.replace(/\/+$/, '')}/clear`;
}
