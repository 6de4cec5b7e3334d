// The claims the synthesized bearer-token rule demands, checked with a standard JWT library (jose)
// against Cognito-shaped tokens: what the rule accepts and refuses is shown on real token shapes.
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { EXAMPLE_CONFIG } from '../../modules/config/example';
import { configWith, resourcesOf, synthAll } from '../helpers';

const ISSUER = 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Example12';
const OTHER_ISSUER = 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other999';
const CLIENT = '4machine5678901234567abcde';
const SCOPES = 'dev-central-auth/deploy.write dev-central-auth/reports.read';

/** A client_credentials access token as Cognito issues it (developer guide, "access token" claims). */
function clientCredentials(now: number, change: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    sub: CLIENT,
    token_use: 'access',
    scope: SCOPES,
    auth_time: now,
    iss: ISSUER,
    exp: now + 900,
    iat: now,
    version: 2,
    jti: 'eeeeeeee-ffff-0000-1111-222222222222',
    client_id: CLIENT,
    ...change,
  };
}

describe('the bearer-token rule’s claims, on Cognito-shaped tokens', () => {
  // GIVEN the rule the edge stack synthesizes for an API needing two scopes
  const config = configWith({
    apps: [
      ...EXAMPLE_CONFIG.apps,
      { name: 'deploy', host: 'deploy.dev.example.com', access: 'protected', bearerTokens: { scopes: ['reports.read', 'deploy.write'] } },
    ],
    machineClients: [{ name: 'ci', scopes: ['deploy.write', 'reports.read'] }],
  });
  const { tf } = synthAll(config);
  const rule = resourcesOf(tf.edge, 'aws_lb_listener_rule').find((r) => r.action[0].type === 'jwt-validation')!;
  const block = rule.action[0].jwt_validation;

  // AND tokens minted by jose: keys of this pool and of another one
  const now = Math.floor(Date.now() / 1000);
  const specs = {
    clientCredentials: { key: 'pool', payload: clientCredentials(now) },
    moreScopes: { key: 'pool', payload: clientCredentials(now, { scope: `dev-central-auth/admin ${SCOPES}` }) },
    missingScope: { key: 'pool', payload: clientCredentials(now, { scope: 'dev-central-auth/reports.read' }) },
    idToken: {
      key: 'pool',
      payload: { ...clientCredentials(now, { token_use: 'id', aud: CLIENT }), scope: undefined, client_id: undefined },
    },
    otherPool: { key: 'other', payload: clientCredentials(now, { iss: OTHER_ISSUER }) },
    otherPoolSameIssuer: { key: 'other', payload: clientCredentials(now) },
    expired: { key: 'pool', payload: clientCredentials(now, { exp: now - 60, iat: now - 960 }) },
  };
  const request = {
    keys: [
      { name: 'pool', alg: 'RS256', kid: 'pool-key' },
      { name: 'other', alg: 'RS256', kid: 'other-key' },
    ],
    tokens: Object.fromEntries(
      Object.entries(specs).map(([name, spec]) => [
        name,
        { key: spec.key, header: { alg: 'RS256', kid: spec.key === 'pool' ? 'pool-key' : 'other-key' }, payload: spec.payload },
      ]),
    ),
  };
  const minted = JSON.parse(
    execFileSync(process.execPath, [path.join(__dirname, '..', 'verifier', 'mint.js')], {
      input: JSON.stringify(request),
      encoding: 'utf8',
    }),
  );
  // WHEN each token is checked exactly as the block says, against this pool's JWKS
  const verdicts: Record<string, string> = JSON.parse(
    execFileSync(process.execPath, [path.join(__dirname, 'alb-jwt-check.js')], {
      input: JSON.stringify({
        jwks: { keys: [minted.keys.pool.jwk] },
        issuer: block.issuer.replace('${data.terraform_remote_state.remote-state-auth.outputs.issuer_url}', ISSUER),
        claims: block.additional_claim,
        tokens: minted.tokens,
      }),
      encoding: 'utf8',
    }),
  );

  test('the block pins the pool’s issuer and JWKS, token_use and both full scopes', () => {
    expect(block.issuer).toBe('${data.terraform_remote_state.remote-state-auth.outputs.issuer_url}');
    expect(block.jwks_endpoint).toBe('${data.terraform_remote_state.remote-state-auth.outputs.jwks_url}');
    expect(block.additional_claim).toEqual([
      { name: 'token_use', format: 'single-string', values: ['access'] },
      { name: 'scope', format: 'space-separated-values', values: SCOPES.split(' ') },
    ]);
  });

  test('a client_credentials token with both scopes is accepted, also with more scopes', () => {
    expect(verdicts.clientCredentials).toBe('accepted');
    expect(verdicts.moreScopes).toBe('accepted');
  });

  test.each([
    ['an access token missing one scope', 'missingScope', 'scope lacks dev-central-auth/deploy.write'],
    [
      'an ID token of the same pool',
      'idToken',
      'token_use is not one of access; scope lacks dev-central-auth/deploy.write dev-central-auth/reports.read',
    ],
    ['a token of another pool', 'otherPool', 'JWKSNoMatchingKey: no applicable key found in the JSON Web Key Set'],
    [
      'a token signed by another pool’s key that names this issuer',
      'otherPoolSameIssuer',
      'JWKSNoMatchingKey: no applicable key found in the JSON Web Key Set',
    ],
    ['an expired token', 'expired', 'JWTExpired: "exp" claim timestamp check failed'],
  ])('fails when the token is %s', (_label, name, verdict) => {
    expect(verdicts[name]).toBe(verdict);
  });
});
