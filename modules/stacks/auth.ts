import type { Construct } from 'constructs';
import { HostedUserPool } from '../constructs/hosted-user-pool';
import type { AuthPlan } from '../plan/types';
import { CentralAuthStack, type CentralAuthStackProps } from './base';
import { AUTH_OUTPUTS, type StackName } from './outputs';

/** Cognito: the user pool, hosted-UI domain, the ALB's app clients and the groups. */
export class AuthStack extends CentralAuthStack {
  readonly userPool: HostedUserPool;

  constructor(scope: Construct, id: StackName, props: CentralAuthStackProps<AuthPlan>) {
    super(scope, id, props.shared);
    const { pool, clients, groups } = props.plan;

    this.userPool = new HostedUserPool(this, 'user-pool', pool);
    clients.forEach((client) => this.userPool.addAppClient(client));
    groups.forEach((g) => this.userPool.addGroup(g.name, g.description));

    const { pool: userPool, domainName, issuerUrl } = this.userPool;
    const oauth = `https://${domainName}/oauth2`;
    this.publish(AUTH_OUTPUTS.userPoolId, { value: userPool.id, description: 'Cognito user pool id' });
    this.publish(AUTH_OUTPUTS.userPoolArn, { value: userPool.arn });
    this.publish(AUTH_OUTPUTS.issuerUrl, { value: issuerUrl, description: 'OIDC issuer (iss claim)' });
    this.publish(AUTH_OUTPUTS.jwksUrl, { value: `${issuerUrl}/.well-known/jwks.json` });
    this.publish(AUTH_OUTPUTS.domain, { value: domainName });
    this.publish(AUTH_OUTPUTS.authorizationEndpoint, { value: `${oauth}/authorize` });
    this.publish(AUTH_OUTPUTS.tokenEndpoint, { value: `${oauth}/token` });
    this.publish(AUTH_OUTPUTS.userInfoEndpoint, { value: `${oauth}/userInfo` });
    this.publish(AUTH_OUTPUTS.logoutEndpoint, { value: `https://${domainName}/logout` });
    const appClients = this.userPool.clients;
    this.publish(AUTH_OUTPUTS.clientIds, { value: appClients.map((c) => c.id), description: 'App client ids by client index' });
    this.publish(AUTH_OUTPUTS.clientSecrets, {
      value: appClients.map((c) => c.clientSecret),
      sensitive: true,
      description: 'Read by the edge stack through remote state only',
    });
  }
}
