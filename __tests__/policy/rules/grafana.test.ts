import { Release } from '@cdktf/provider-helm/lib/release';
import { findingsOf, labStack, ruleTests, type FailCase, type PassCase } from '../helpers';

const JWT_ON = 'env:\n  GF_AUTH_JWT_ENABLED: "true"\n';
/** A plain values document that sets GF_AUTH_JWT_EXPECT_CLAIMS to `claims` (JSON). */
const claimsDoc = (claims: object): string => `env:\n  GF_AUTH_JWT_EXPECT_CLAIMS: '${JSON.stringify(claims)}'\n`;
/** The `${yamlencode({...})}` document the cluster stack writes, with `claims` as HCL object items. */
const hclDoc = (claims: string): string =>
  `\${yamlencode({"env" = {"GF_AUTH_JWT_EXPECT_CLAIMS" = jsonencode({${claims}}), "GF_AUTH_JWT_JWK_SET_URL" = var.jwks})}}`;
const PINNED = { iss: 'https://issuer', client_id: 'abc', token_use: 'access' };

describe('Grafana rules', () => {
  // GIVEN one plain stack with a Grafana release per way of writing (or missing) the expected claims
  const stack = labStack();
  const grafana = (id: string, values: string[], chart = 'grafana'): void => {
    new Release(stack, id, { name: id, chart, values });
  };
  grafana('grafana', [JWT_ON]);
  grafana('grafana-no-jwt', ['env:\n  GF_AUTH_JWT_ENABLED: "false"\n']);
  grafana('pinned', [JWT_ON, claimsDoc(PINNED)]);
  // A later values document wins in Helm: this one drops client_id and token_use.
  grafana('later-wins', [JWT_ON, claimsDoc(PINNED), claimsDoc({ iss: 'https://issuer' })]);
  grafana('id-token', [JWT_ON, claimsDoc({ ...PINNED, token_use: 'id' })]);
  grafana('hcl-pinned', [JWT_ON, hclDoc('"iss" = var.issuer, "client_id" = var.client_id, "token_use" = "access"')]);
  grafana('hcl-unpinned', [JWT_ON, hclDoc('"iss" = "", "client_id" = var.client_id')]);
  grafana('other-chart', [JWT_ON], 'loki');
  // WHEN the policy runs once on the stack alone
  const found = findingsOf(stack);

  const fails: FailCase[] = [
    [
      'GRAFANA_JWT_CLAIMS',
      'Grafana enables JWT sign-in without expected claims',
      'lab/grafana',
      'values set GF_AUTH_JWT_ENABLED but no env.GF_AUTH_JWT_EXPECT_CLAIMS, must pin iss, client_id and token_use = "access"',
    ],
    [
      'GRAFANA_JWT_CLAIMS',
      'a later values document stops pinning client_id and token_use',
      'lab/later-wins',
      'env.GF_AUTH_JWT_EXPECT_CLAIMS is "{\\"iss\\":\\"https://issuer\\"}", must pin client_id, token_use = "access"',
    ],
    [
      'GRAFANA_JWT_CLAIMS',
      'the claims accept ID tokens',
      'lab/id-token',
      'env.GF_AUTH_JWT_EXPECT_CLAIMS is "{\\"iss\\":\\"https://issuer\\",\\"client_id\\":\\"abc\\",\\"token_use\\":\\"id\\"}", must pin token_use = "access"',
    ],
    [
      'GRAFANA_JWT_CLAIMS',
      'the yamlencode document pins an empty iss and no token_use',
      'lab/hcl-unpinned',
      'env.GF_AUTH_JWT_EXPECT_CLAIMS is "jsonencode({\\"iss\\" = \\"\\", \\"client_id\\" = var.client_id})", must pin iss, token_use = "access"',
    ],
  ];
  const passes: PassCase[] = [
    ['GRAFANA_JWT_CLAIMS', 'JWT sign-in is off', 'lab/grafana-no-jwt'],
    ['GRAFANA_JWT_CLAIMS', 'a values document pins all three claims', 'lab/pinned'],
    ['GRAFANA_JWT_CLAIMS', 'the yamlencode document pins all three claims', 'lab/hcl-pinned'],
    ['GRAFANA_JWT_CLAIMS', 'the chart is not Grafana', 'lab/other-chart'],
  ];
  ruleTests(stack, found, fails, passes);
});
