import { LbListenerRule, type LbListenerRuleAction } from '@cdktf/provider-aws/lib/lb-listener-rule';
import { Construct } from 'constructs';
import type { PlannedRule } from '../plan/routing';

export interface OidcSettings {
  readonly authorizationEndpoint: string;
  readonly tokenEndpoint: string;
  readonly userInfoEndpoint: string;
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly scope: string;
  readonly sessionCookieName: string;
  readonly sessionTimeout: number;
}

export interface ListenerRoutesProps {
  readonly listenerArn: string;
  readonly targetGroupArn: string;
  /** Sign-in settings of each app client, by client index. */
  readonly oidcForClient: (client: number) => OidcSettings;
}

/**
 * The exceptions to the listener's default "sign in with client 0, then forward": public
 * hosts and paths, hosts served by another app client, and hosts that answer 401.
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
    const condition = rule.paths ? [hostHeader, { pathPattern: { values: [...rule.paths] } }] : [hostHeader];
    return new LbListenerRule(this, rule.key, {
      listenerArn: this.props.listenerArn,
      priority: rule.priority,
      condition,
      action: this.actions(rule),
    });
  }

  private actions(rule: PlannedRule): LbListenerRuleAction[] {
    switch (rule.kind) {
      case 'public-hosts':
      case 'public-paths':
        return [{ type: 'forward', order: 1, targetGroupArn: this.props.targetGroupArn }];
      case 'client-hosts':
      case 'deny-hosts':
        return [
          authenticateAction(this.props.oidcForClient(rule.client ?? 0), rule.kind === 'deny-hosts' ? 'deny' : 'authenticate'),
          { type: 'forward', order: 2, targetGroupArn: this.props.targetGroupArn },
        ];
    }
  }
}

/** authenticate-oidc against Cognito, with every setting explicit rather than AWS defaults. */
export function authenticateAction(oidc: OidcSettings, onUnauthenticatedRequest: 'authenticate' | 'deny'): LbListenerRuleAction {
  return {
    type: 'authenticate-oidc',
    order: 1,
    authenticateOidc: { ...oidc, onUnauthenticatedRequest },
  };
}
