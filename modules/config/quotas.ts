/**
 * AWS service quotas the config must fit (defaults from the ELB, ACM and Cognito quota pages).
 * The adjustable ones can be raised in config once AWS has raised them for the account.
 */
export interface Quotas {
  /** Rules per Application Load Balancer, excluding default rules. Adjustable. */
  readonly listenerRulesPerAlb: number;
  /** Certificates per Application Load Balancer, excluding the default certificate. Adjustable. */
  readonly certificatesPerAlb: number;
  /** Callback URLs per Cognito app client (logout URLs have the same quota). */
  readonly callbackUrlsPerAppClient: number;
  /** Domain names per ACM certificate. Adjustable. */
  readonly domainsPerCertificate: number;
}

export const DEFAULT_QUOTAS: Quotas = {
  listenerRulesPerAlb: 100,
  certificatesPerAlb: 25,
  callbackUrlsPerAppClient: 100,
  domainsPerCertificate: 10,
};

/** Not adjustable: condition values per ALB rule, counted over all its conditions. */
export const CONDITION_VALUES_PER_RULE = 5;
/** Not adjustable: app clients per Cognito user pool. */
export const APP_CLIENTS_PER_USER_POOL = 1000;
