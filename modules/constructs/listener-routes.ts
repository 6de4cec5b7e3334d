import { LbListenerRule, type LbListenerRuleAction } from '@cdktf/provider-aws/lib/lb-listener-rule';
import { Construct } from 'constructs';
import type { PlannedRule } from '../plan/routing';

/**
 * How the ALB signs a browser in with one app client. authenticate-cognito, not
 * authenticate-oidc: the ALB reads the client secret from Cognito itself (the ELB docs' required
 * cognito-idp:DescribeUserPoolClient permission), so the secret never passes through Terraform
 * outside the stack that owns the client, and the ALB still puts the Cognito access token in
 * x-amzn-oidc-accesstoken (ELB "Authenticate users" docs, "User claims encoding").
 */
export interface CognitoSignIn {
  readonly userPoolArn: string;
  readonly userPoolClientId: string;
  /** The hosted-UI domain: prefix or full domain, both accepted (provider docs). */
  readonly userPoolDomain: string;
  readonly scope: string;
  readonly sessionCookieName: string;
  readonly sessionTimeout: number;
  /**
   * Query parameters the ALB adds to Cognito's /oauth2/authorize (up to 10): `identity_provider`
   * sends users straight to that IdP ("silently redirects", Cognito authorize endpoint docs).
   * @default - none
   */
  readonly authenticationRequestExtraParams?: Readonly<Record<string, string>>;
}

/** How the ALB checks a bearer token itself (its `jwt-validation` action, hashicorp/aws >= 6.22). */
export interface BearerValidation {
  /** The pool's issuer: the token's `iss` must equal it. */
  readonly issuer: string;
  /** The pool's JWKS (two RSA keys: within the ALB's 10 keys and 150 KB). */
  readonly jwksUrl: string;
  /** The resource server identifier: a rule's scopes are `<identifier>/<name>`. */
  readonly resourceServer: string;
}

export interface ListenerRoutesProps {
  readonly listenerArn: string;
  readonly targetGroupArn: string;
  /** Sign-in settings of each app client, by client key. */
  readonly signInFor: (client: string) => CognitoSignIn;
  /**
   * Needed once a rule is of kind `bearer`.
   * @default - no bearer-token rules
   */
  readonly bearer?: BearerValidation;
}

/**
 * The condition that picks requests from code: a bearer token in Authorization. ELB compares
 * header values case-insensitively, and the `*` counts as one of a rule's five wildcards.
 */
export const BEARER_HEADER_CONDITION = { httpHeaderName: 'Authorization', values: ['Bearer *'] } as const;

/**
 * The exceptions to the listener's default "sign in with the default client, then forward":
 * public hosts and paths, hosts served by another app client, and paths that answer 401.
 */
export class ListenerRoutes extends Construct {
  private readonly keys = new Set<string>();

  constructor(
    scope: Construct,
    id: string,
    private readonly props: ListenerRoutesProps,
  ) {
    super(scope, id);
  }

  /** Adds one planned rule; its key is its construct id, so a key can only be added once. */
  addRule(rule: PlannedRule): LbListenerRule {
    if (this.keys.has(rule.key)) throw new Error(`ListenerRoutes: rule "${rule.key}" already exists`);
    this.keys.add(rule.key);
    const hostHeader = { hostHeader: { values: [...rule.hosts] } };
    const condition =
      rule.kind === 'bearer'
        ? [
            hostHeader,
            { httpHeader: { httpHeaderName: BEARER_HEADER_CONDITION.httpHeaderName, values: [...BEARER_HEADER_CONDITION.values] } },
          ]
        : rule.paths
          ? [hostHeader, { pathPattern: { values: [...rule.paths] } }]
          : [hostHeader];
    return new LbListenerRule(this, rule.key, {
      listenerArn: this.props.listenerArn,
      priority: rule.priority,
      condition,
      action: this.actions(rule),
    });
  }

  private actions(rule: PlannedRule): LbListenerRuleAction[] {
    const forward = (order: number): LbListenerRuleAction => ({ type: 'forward', order, targetGroupArn: this.props.targetGroupArn });
    if (rule.kind === 'public-hosts' || rule.kind === 'public-paths') return [forward(1)];
    if (rule.kind === 'bearer') {
      if (!this.props.bearer || !rule.scopes?.length)
        throw new Error(`ListenerRoutes: bearer rule "${rule.key}" needs scopes and a validation`);
      return [jwtValidationAction(this.props.bearer, rule.scopes), forward(2)];
    }
    if (rule.client === undefined) throw new Error(`ListenerRoutes: rule "${rule.key}" signs in but names no app client`);
    const onUnauthenticated = rule.kind === 'deny-paths' ? 'deny' : 'authenticate';
    return [authenticateAction(this.props.signInFor(rule.client), onUnauthenticated), forward(2)];
  }
}

/** authenticate-cognito, with every setting explicit rather than AWS defaults. */
export function authenticateAction(
  signIn: CognitoSignIn,
  onUnauthenticatedRequest: 'authenticate' | 'deny' | 'allow',
): LbListenerRuleAction {
  return {
    type: 'authenticate-cognito',
    order: 1,
    authenticateCognito: { ...signIn, onUnauthenticatedRequest },
  };
}

/**
 * The ALB checks the token before the request reaches the router: RS256 signature by a key of the
 * pool's JWKS, `iss`, `exp` (and `nbf`, `iat` when present), then these claims. A Cognito access
 * token has `token_use: access` (an ID token has `id`), and client_credentials tokens list their
 * scopes space-separated in `scope`. Failing any check gets the ALB's 401, never a sign-in redirect.
 */
export function jwtValidationAction(bearer: BearerValidation, scopes: readonly string[]): LbListenerRuleAction {
  return {
    type: 'jwt-validation',
    order: 1,
    jwtValidation: {
      issuer: bearer.issuer,
      jwksEndpoint: bearer.jwksUrl,
      additionalClaim: [
        { name: 'token_use', format: 'single-string', values: ['access'] },
        { name: 'scope', format: 'space-separated-values', values: scopes.map((s) => `${bearer.resourceServer}/${s}`) },
      ],
    },
  };
}
