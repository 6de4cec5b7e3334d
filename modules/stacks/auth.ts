import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { CognitoLogDeliveryConfiguration } from '@cdktf/provider-aws/lib/cognito-log-delivery-configuration';
import { CognitoUserGroup } from '@cdktf/provider-aws/lib/cognito-user-group';
import { App, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { tmpdir } from 'os';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { HostedUserPool } from '../constructs/hosted-user-pool';
import { CustomSignInDomain } from '../constructs/custom-sign-in-domain';
import { IdentityProviders } from '../constructs/identity-providers';
import { MachineAccess } from '../constructs/machine-access';
import { PreTokenTrigger } from '../constructs/pretoken-trigger';
import type { AuthPlan } from '../plan/types';
import { CentralAuthStack, type CentralAuthStackProps } from './base';
import { type Move, moved } from './migrations';
import { AUTH_MACHINE_OUTPUTS, AUTH_OUTPUTS, authContract, CONTRACT_OUTPUT, STACKS, type StackName } from './outputs';
import { nameKey } from '../plan/naming';

/**
 * The address a group had when its construct id was `group-<name>`, if that differs from now
 * (only names with characters other than letters, digits and `-`). Replacing a Cognito group would
 * drop its members, so such a group is moved, not replaced.
 */
export function previousGroupAddress(name: string): string | undefined {
  if (nameKey(name) === name || name.includes('/')) return undefined;
  const scratch = new TerraformStack(new App({ outdir: tmpdir(), stackTraces: false }), STACKS.auth);
  const group = new CognitoUserGroup(new Construct(scratch, 'user-pool'), `group-${name}`, { name: 'x', userPoolId: 'x' });
  return `${group.terraformResourceType}.${scratch.getLogicalId(group)}`;
}

/**
 * Cognito: the user pool, hosted-UI domain, the ALB's app clients and the groups. Publishes
 * only identifiers: the client secrets stay in this stack's state (the ALB's authenticate-cognito
 * action reads them from Cognito itself).
 */
/** Cognito's event logs: 90 days to trace a user's failed invitation or code. */
export const COGNITO_LOG_RETENTION_DAYS = 90;

export class AuthStack extends CentralAuthStack {
  readonly userPool: HostedUserPool;
  readonly signInDomain?: CustomSignInDomain;
  readonly machineAccess?: MachineAccess;

  constructor(scope: Construct, id: StackName, props: CentralAuthStackProps<AuthPlan>) {
    super(scope, id, props.shared);
    const { pool, clients, groups, federation, signIn } = props.plan;

    const trigger = federation.preToken
      ? new PreTokenTrigger(this, 'pretoken', { namePrefix: pool.namePrefix, plan: federation.preToken })
      : undefined;
    this.userPool = new HostedUserPool(this, 'user-pool', {
      ...pool,
      managedLogin: signIn.managedLogin,
      passkeys: signIn.passkeys,
      preTokenGeneration: trigger ? { lambdaArn: trigger.function.arn } : undefined,
    });
    if (trigger) {
      new LambdaPermission(this, 'pretoken-invoke', {
        action: 'lambda:InvokeFunction',
        functionName: trigger.function.functionName,
        principal: 'cognito-idp.amazonaws.com',
        sourceArn: this.userPool.pool.arn,
      });
    }
    const providers = new IdentityProviders(this, 'identity-providers', {
      userPoolId: this.userPool.pool.id,
      providers: federation.providers,
    });
    // The clients name each provider through its resource, so none is created before its providers.
    this.userPool.offerSignIn(
      federation.clientProviders.map((name) => providers.names.get(name) ?? name),
      federation.clientWriteAttributes,
    );
    clients.forEach((client) => this.userPool.addAppClient(client));
    const styles = this.userPool.styleClients(signIn.branding);
    this.signInDomain = signIn.customDomain
      ? new CustomSignInDomain(this, 'sign-in-domain', {
          userPoolId: this.userPool.pool.id,
          domainName: signIn.customDomain.name,
          zoneName: signIn.customDomain.zoneName,
          managedLoginVersion: this.userPool.managedLoginVersion,
          dependsOn: styles.length ? styles : undefined,
        })
      : undefined;
    const moves: Move[] = [];
    for (const g of groups) {
      const group = this.userPool.addGroup(g.name, g.description);
      // Until construct ids were encoded, a group's id was its raw name.
      const from = previousGroupAddress(g.name);
      if (from) moves.push({ from, to: group });
    }
    moved(this, moves);

    const { pool: userPool, issuerUrl } = this.userPool;
    // The ALB signs in, and the sign-out function signs out, on the company's domain when there is one.
    const domainName = this.signInDomain ? this.signInDomain.domain.domain : this.userPool.domainName;
    this.publish(AUTH_OUTPUTS.userPoolId, { value: userPool.id, description: 'Cognito user pool id' });
    this.publish(AUTH_OUTPUTS.userPoolArn, { value: userPool.arn });
    this.publish(AUTH_OUTPUTS.issuerUrl, { value: issuerUrl, description: 'OIDC issuer (iss claim)' });
    this.publish(AUTH_OUTPUTS.jwksUrl, { value: `${issuerUrl}/.well-known/jwks.json` });
    this.publish(AUTH_OUTPUTS.domain, { value: domainName });
    this.publish(AUTH_OUTPUTS.logoutEndpoint, { value: `https://${domainName}/logout` });
    this.publish(AUTH_OUTPUTS.clientIds, {
      value: Object.fromEntries([...this.userPool.clients].map(([key, client]) => [key, client.id])),
      description: 'App client id by client key',
    });
    this.publish(CONTRACT_OUTPUT, { value: authContract(clients.map((c) => c.key)) });

    // Cognito's message delivery errors (mails and texts that failed) go to CloudWatch Logs: the
    // one event log every feature plan has (user sign-in activity needs the Plus plan).
    const userLogs = new CloudwatchLogGroup(this, 'user-pool-logs', {
      name: `/aws/vendedlogs/cognito/${pool.namePrefix}`,
      retentionInDays: COGNITO_LOG_RETENTION_DAYS,
    });
    new CognitoLogDeliveryConfiguration(this, 'user-pool-log-delivery', {
      userPoolId: userPool.id,
      logConfigurations: [
        { eventSource: 'userNotification', logLevel: 'ERROR', cloudWatchLogsConfiguration: [{ logGroupArn: userLogs.arn }] },
      ],
    });

    if (props.plan.machineAccess) {
      const tokenEndpoint = `https://${domainName}/oauth2/token`;
      this.machineAccess = new MachineAccess(this, 'machine-access', {
        userPoolId: userPool.id,
        namePrefix: pool.namePrefix,
        tokenEndpoint,
        plan: props.plan.machineAccess,
      });
      this.publish(AUTH_MACHINE_OUTPUTS.tokenEndpoint, { value: tokenEndpoint, description: 'Where machine clients get tokens' });
      this.publish(AUTH_MACHINE_OUTPUTS.machineClientSecretArns, {
        value: Object.fromEntries([...this.machineAccess.secrets].map(([name, secret]) => [name, secret.arn])),
        description: 'ARN of the Secrets Manager secret of each machine client (its id, secret, token endpoint and scopes), by name',
      });
    }
  }
}
