import type { Construct } from 'constructs';
import { HostedUserPool } from '../constructs/hosted-user-pool';
import type { AuthPlan } from '../plan/types';
import { CentralAuthStack, type CentralAuthStackProps } from './base';
import { AUTH_OUTPUTS, authContract, CONTRACT_OUTPUT, type StackName } from './outputs';

/**
 * Cognito: the user pool, hosted-UI domain, the ALB's app clients and the groups. Publishes
 * only identifiers: the client secrets stay in this stack's state (the ALB's authenticate-cognito
 * action reads them from Cognito itself).
 */
export class AuthStack extends CentralAuthStack {
  readonly userPool: HostedUserPool;

  constructor(scope: Construct, id: StackName, props: CentralAuthStackProps<AuthPlan>) {
    super(scope, id, props.shared);
    const { pool, clients, groups } = props.plan;

    this.userPool = new HostedUserPool(this, 'user-pool', pool);
    clients.forEach((client) => this.userPool.addAppClient(client));
    groups.forEach((g) => this.userPool.addGroup(g.name, g.description));

    const { pool: userPool, domainName, issuerUrl } = this.userPool;
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
  }
}
