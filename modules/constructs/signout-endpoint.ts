import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { LbListenerRule } from '@cdktf/provider-aws/lib/lb-listener-rule';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import { LbTargetGroupAttachment } from '@cdktf/provider-aws/lib/lb-target-group-attachment';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import { nodeLambda } from './node-lambda';
import { join } from 'path';
import { logoutUrl } from './hosted-user-pool';
import { handlerSources } from './lambda-package';
import { authenticateAction, type CognitoSignIn } from './listener-routes';
import { PLATFORM_PRIORITIES } from '../plan/priorities';
import { signoutClearPath } from '../config/patterns';

/** The handler's folder: every `.js` file in it is packaged as-is, with the generated config.json. */
export const SIGNOUT_HANDLER_DIR = join(__dirname, '..', '..', 'lambda', 'signout');

/** The handler's source files (repository-relative, with the verifier's token checks it shares), sorted. */
export function signoutHandlerFiles(): string[] {
  return handlerSources(SIGNOUT_HANDLER_DIR);
}
/** ALB session cookies are split into 4 KB shards; 11 KB of claims is the ALB's ceiling, so 4 shards covers it. */
export const DEFAULT_SHARD_COUNT = 4;

export interface SignoutEndpointProps {
  /** Prefix of the function, role and log group names. */
  readonly namePrefix: string;
  /** The sign-out target group's Name tag (its AWS name is generated). */
  readonly targetGroupName: string;
  readonly listenerArn: string;
  readonly signoutPath: string;
  readonly cookieName: string;
  /** `https://<domain>/logout` of the Cognito hosted UI. */
  readonly logoutEndpoint: string;
  /**
   * How the default app client signs in: the rule authenticates with it, letting requests
   * without a session through, so a request with one brings the user's access token.
   */
  readonly signIn: CognitoSignIn;
  /** The pool's issuer, `https://cognito-idp.<region>.amazonaws.com/<pool id>`. */
  readonly issuerUrl: string;
  readonly jwksUrl: string;
  /** The pool whose users the function may sign out everywhere (AdminUserGlobalSignOut). */
  readonly userPoolArn: string;
  /** App client ids by client index (a Terraform list). */
  readonly clientIds: string[];
  /** Protected hosts and the app client index each signs out through. */
  readonly hosts: Readonly<Record<string, number>>;
  /** @default 4 */
  readonly shardCount?: number;
  /** @default 30 */
  readonly logRetentionDays?: number;
  /** @default - none reserved */
  readonly reservedConcurrency?: number;
}

/**
 * A reserved path on every host that really signs out: a Lambda revokes the user's refresh
 * tokens (so every other host's session ends at its next token refresh), expires the ALB's
 * session cookie shards and sends the browser to Cognito's /logout. The rule authenticates with
 * `on_unauthenticated_request = allow`: a request with a session brings the user's access token,
 * and a half-signed-out browser still reaches the function instead of a sign-in page.
 */
export class SignoutEndpoint extends Construct {
  readonly function: LambdaFunction;
  readonly targetGroup: LbTargetGroup;
  readonly rule: LbListenerRule;
  /** The clear hop's rule: forwards only, so no session can be refreshed where cookies expire. */
  readonly clearRule: LbListenerRule;

  constructor(scope: Construct, id: string, props: SignoutEndpointProps) {
    super(scope, id);
    const { namePrefix, logRetentionDays = 30 } = props;
    const functionName = `${namePrefix}-signout`;

    this.function = nodeLambda(this, {
      functionName,
      description: "Revokes the user's refresh tokens, expires the ALB session cookies and redirects to Cognito /logout",
      handler: { dir: SIGNOUT_HANDLER_DIR, name: 'signout' },
      config: signoutHandlerConfig(props),
      // The JWKS download (2 s) and the Cognito call (3 s) each have their own limit below this.
      timeoutSeconds: 10,
      logRetentionDays,
      environment: {
        COGNITO_LOGOUT_ENDPOINT: props.logoutEndpoint,
        CLIENT_IDS: Fn.join(',', props.clientIds),
        COGNITO_ISSUER_URL: props.issuerUrl,
        COGNITO_JWKS_URL: props.jwksUrl,
      },
      allow: [{ actions: ['cognito-idp:AdminUserGlobalSignOut'], resources: [props.userPoolArn] }],
      reservedConcurrency: props.reservedConcurrency,
    });

    this.targetGroup = new LbTargetGroup(this, 'targets', {
      // Replaced before the old one goes, because the sign-out rule uses it (AWS refuses to delete
      // a target group in use); so the name is generated and the Name tag carries the readable one.
      namePrefix: 'sgo-',
      tags: { Name: props.targetGroupName },
      lifecycle: { createBeforeDestroy: true },
      targetType: 'lambda',
      // One response can then expire every shard; otherwise the handler chains one hop per shard.
      lambdaMultiValueHeadersEnabled: true,
    });
    const permission = new LambdaPermission(this, 'alb-invoke', {
      // A new target group needs its own statement before the old one's is removed.
      statementIdPrefix: 'AllowAlbInvoke-',
      lifecycle: { createBeforeDestroy: true },
      action: 'lambda:InvokeFunction',
      functionName: this.function.functionName,
      principal: 'elasticloadbalancing.amazonaws.com',
      sourceArn: this.targetGroup.arn,
    });
    new LbTargetGroupAttachment(this, 'target', {
      targetGroupArn: this.targetGroup.arn,
      targetId: this.function.arn,
      dependsOn: [permission],
    });

    this.rule = new LbListenerRule(this, 'rule', {
      listenerArn: props.listenerArn,
      priority: PLATFORM_PRIORITIES.signout,
      condition: [{ pathPattern: { values: [props.signoutPath] } }],
      action: [authenticateAction(props.signIn, 'allow'), { type: 'forward', order: 2, targetGroupArn: this.targetGroup.arn }],
    });
    this.clearRule = new LbListenerRule(this, 'clear-rule', {
      listenerArn: props.listenerArn,
      priority: PLATFORM_PRIORITIES.signoutClear,
      condition: [{ pathPattern: { values: [signoutClearPath(props.signoutPath)] } }],
      action: [{ type: 'forward', order: 1, targetGroupArn: this.targetGroup.arn }],
    });
  }
}

/** What the handler reads from config.json; the Terraform-computed values come from env. */
export function signoutHandlerConfig(
  props: Pick<SignoutEndpointProps, 'hosts' | 'cookieName' | 'signoutPath' | 'shardCount'>,
): Record<string, unknown> {
  const hosts = Object.keys(props.hosts).sort();
  if (hosts.length === 0) throw new Error('SignoutEndpoint: at least one protected host is needed');
  return {
    cookieName: props.cookieName,
    shardCount: props.shardCount ?? DEFAULT_SHARD_COUNT,
    signoutPath: props.signoutPath,
    clearPath: signoutClearPath(props.signoutPath),
    hosts: Object.fromEntries(hosts.map((h) => [h, { client: props.hosts[h]!, logoutUri: logoutUrl(h) }])),
    defaultHost: hosts[0],
  };
}
