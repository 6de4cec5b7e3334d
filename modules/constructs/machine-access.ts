import { CognitoResourceServer } from '@cdktf/provider-aws/lib/cognito-resource-server';
import { CognitoUserPoolClient } from '@cdktf/provider-aws/lib/cognito-user-pool-client';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { SecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/secretsmanager-secret-version';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import { constructKey } from '../plan/naming';
import type { MachineAccessPlan } from '../plan/types';

export interface MachineAccessProps {
  readonly userPoolId: string;
  /** Prefix of the app clients' and secrets' names. */
  readonly namePrefix: string;
  /** `https://<sign-in domain>/oauth2/token`, stored with each client's secret for its user. */
  readonly tokenEndpoint: string;
  readonly plan: MachineAccessPlan;
}

/**
 * Machine clients' refresh tokens are never used (client_credentials issues none); their lifetime
 * is Cognito's minimum, 60 minutes, but never below the access token's, which Cognito has refused.
 */
const MIN_REFRESH_TOKEN_MINUTES = 60;

/**
 * Calls from code: the environment's resource server with one scope per declared scope, and a
 * confidential app client per machine client that may only run client_credentials for its scopes
 * (no callback URLs, no user sign-in). Each client's id and secret go to a Secrets Manager secret
 * of its own; only the secret's ARN is published, never the secret.
 */
export class MachineAccess extends Construct {
  readonly resourceServer: CognitoResourceServer;
  readonly clients = new Map<string, CognitoUserPoolClient>();
  readonly secrets = new Map<string, SecretsmanagerSecret>();

  constructor(scope: Construct, id: string, props: MachineAccessProps) {
    super(scope, id);
    const { plan, namePrefix } = props;
    this.resourceServer = new CognitoResourceServer(this, 'resource-server', {
      userPoolId: props.userPoolId,
      identifier: plan.identifier,
      name: `${namePrefix}-apis`,
      scope: plan.scopes.map((name) => ({ scopeName: name, scopeDescription: `Bearer-token access: ${name}` })),
    });
    for (const client of plan.clients) {
      if (this.clients.has(client.name)) throw new Error(`MachineAccess: machine client "${client.name}" already exists`);
      const key = constructKey(client.name);
      // Read from the resource server, so the client waits for its scopes to exist.
      const scopes = client.scopes.map((s) => `${this.resourceServer.identifier}/${s}`);
      const appClient = new CognitoUserPoolClient(this, `client-${key}`, {
        userPoolId: props.userPoolId,
        name: `${namePrefix}-m-${client.name}`,
        generateSecret: true,
        allowedOauthFlowsUserPoolClient: true,
        allowedOauthFlows: ['client_credentials'],
        allowedOauthScopes: scopes,
        // No user ever signs in through it.
        explicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
        preventUserExistenceErrors: 'ENABLED',
        enableTokenRevocation: true,
        accessTokenValidity: client.accessTokenValidityMinutes,
        idTokenValidity: client.accessTokenValidityMinutes,
        refreshTokenValidity: Math.max(MIN_REFRESH_TOKEN_MINUTES, client.accessTokenValidityMinutes),
        tokenValidityUnits: [{ accessToken: 'minutes', idToken: 'minutes', refreshToken: 'minutes' }],
      });
      const secret = new SecretsmanagerSecret(this, `secret-${key}`, {
        name: `${namePrefix}/machine-clients/${client.name}`,
        description: `Cognito client_credentials client ${client.name}: client_id, client_secret, token_endpoint, scope`,
        // The value dies with its Cognito client; a recovery window would only block adding the name back.
        recoveryWindowInDays: 0,
      });
      new SecretsmanagerSecretVersion(this, `secret-value-${key}`, {
        secretId: secret.id,
        secretString: Fn.jsonencode({
          client_id: appClient.id,
          client_secret: appClient.clientSecret,
          token_endpoint: props.tokenEndpoint,
          scope: scopes.join(' '),
        }),
      });
      this.clients.set(client.name, appClient);
      this.secrets.set(client.name, secret);
    }
  }
}
