import type { Construct } from 'constructs';
import { CentralAuthStack, type CentralAuthStackProps } from './base';
import { HostedUserPool } from '../constructs/hosted-user-pool';
import { AUTH_OUTPUTS, STACKS } from './outputs';
import { planRouting } from '../plan/routing';

/** Cognito: the user pool, hosted-UI domain and the ALB's app client. */
export class AuthStack extends CentralAuthStack {
  readonly userPool: HostedUserPool;

  constructor(scope: Construct, props: CentralAuthStackProps) {
    super(scope, STACKS.auth, props);
    const { config } = props;
    const { cognito } = config;
    const { groups, ...poolSettings } = cognito;

    this.userPool = new HostedUserPool(this, 'user-pool', {
      ...poolSettings,
      namePrefix: `${config.environment}-central-auth`,
      region: config.region,
    });
    planRouting(config).hostClients.forEach((client, host) => this.userPool.addProtectedHost(host, client));
    groups.forEach((g) => this.userPool.addGroup(g.name, g.description));

    const { pool, clients, domainName, issuerUrl } = this.userPool;
    const oauth = `https://${domainName}/oauth2`;
    this.publish(AUTH_OUTPUTS.userPoolId, { value: pool.id, description: 'Cognito user pool id' });
    this.publish(AUTH_OUTPUTS.userPoolArn, { value: pool.arn });
    this.publish(AUTH_OUTPUTS.issuerUrl, { value: issuerUrl, description: 'OIDC issuer (iss claim)' });
    this.publish(AUTH_OUTPUTS.jwksUrl, { value: `${issuerUrl}/.well-known/jwks.json` });
    this.publish(AUTH_OUTPUTS.domain, { value: domainName });
    this.publish(AUTH_OUTPUTS.authorizationEndpoint, { value: `${oauth}/authorize` });
    this.publish(AUTH_OUTPUTS.tokenEndpoint, { value: `${oauth}/token` });
    this.publish(AUTH_OUTPUTS.userInfoEndpoint, { value: `${oauth}/userInfo` });
    this.publish(AUTH_OUTPUTS.logoutEndpoint, { value: `https://${domainName}/logout` });
    this.publish(AUTH_OUTPUTS.clientIds, { value: clients.map((c) => c.id), description: 'App client ids by client index' });
    this.publish(AUTH_OUTPUTS.clientSecrets, {
      value: clients.map((c) => c.clientSecret),
      sensitive: true,
      description: 'Read by the edge stack through remote state only',
    });
  }
}
