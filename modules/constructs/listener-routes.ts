import { LbListenerRule, type LbListenerRuleAction, type LbListenerRuleCondition } from '@cdktf/provider-aws/lib/lb-listener-rule';
import { Construct } from 'constructs';
import { PRIORITIES_PER_HOST, RulePriorities } from '../rule-priorities';

/** ALB limit: condition values per rule, counted over all conditions. */
export const MAX_CONDITION_VALUES_PER_RULE = 5;
/** Path values per rule when one value is the host. */
export const PATHS_PER_RULE = MAX_CONDITION_VALUES_PER_RULE - 1;
/** The last index of a host's block holds its host-wide rule, after its path rules. */
const HOST_RULE_INDEX = PRIORITIES_PER_HOST - 1;

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
  readonly oidc: OidcSettings;
  /** Every host that will get rules; fixes each host's priority block. */
  readonly hosts: readonly string[];
}

/**
 * The exceptions to the listener's default "sign in, then forward": public hosts, public
 * paths on protected hosts, and hosts that answer 401 instead of redirecting.
 */
export class ListenerRoutes extends Construct {
  private readonly priorities: RulePriorities;
  private readonly routed = new Map<string, Set<string>>();

  constructor(scope: Construct, id: string, private readonly props: ListenerRoutesProps) {
    super(scope, id);
    this.priorities = new RulePriorities(props.hosts);
  }

  /** The whole host skips authentication. */
  addPublicHost(host: string): LbListenerRule {
    this.claim(host, 'host');
    return this.rule(`public-${host}`, this.priorities.priority(host, HOST_RULE_INDEX), [{ hostHeader: { values: [host] } }], this.forward(1));
  }

  /** These paths of a protected host skip authentication; packed four to a rule. */
  addPublicPaths(host: string, paths: readonly string[]): LbListenerRule[] {
    this.claim(host, 'paths');
    const sorted = [...paths].sort();
    const rules: LbListenerRule[] = [];
    for (let i = 0; i * PATHS_PER_RULE < sorted.length; i++) {
      if (i >= HOST_RULE_INDEX) throw new Error(`ListenerRoutes: "${host}" has more public paths than ${HOST_RULE_INDEX} rules can hold`);
      const values = sorted.slice(i * PATHS_PER_RULE, (i + 1) * PATHS_PER_RULE);
      rules.push(this.rule(`public-paths-${host}-${i}`, this.priorities.priority(host, i), [{ hostHeader: { values: [host] } }, { pathPattern: { values } }], this.forward(1)));
    }
    return rules;
  }

  /** Unauthenticated requests to this host get 401 instead of a sign-in redirect (APIs, CLIs). */
  addDenyUnauthenticatedHost(host: string): LbListenerRule {
    this.claim(host, 'host');
    return this.rule(`deny-${host}`, this.priorities.priority(host, HOST_RULE_INDEX), [{ hostHeader: { values: [host] } }], [
      authenticateAction(this.props.oidc, 'deny'),
      ...this.forward(2),
    ]);
  }

  private claim(host: string, kind: 'host' | 'paths'): void {
    const kinds = this.routed.get(host) ?? new Set<string>();
    if (kinds.has(kind)) throw new Error(`ListenerRoutes: "${host}" already has ${kind === 'host' ? 'a host rule' : 'public paths'}`);
    kinds.add(kind);
    this.routed.set(host, kinds);
  }

  private forward(order: number): LbListenerRuleAction[] {
    return [{ type: 'forward', order, targetGroupArn: this.props.targetGroupArn }];
  }

  private rule(id: string, priority: number, condition: LbListenerRuleCondition[], action: LbListenerRuleAction[]): LbListenerRule {
    return new LbListenerRule(this, id, { listenerArn: this.props.listenerArn, priority, condition, action });
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
