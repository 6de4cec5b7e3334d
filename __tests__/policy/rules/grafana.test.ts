import { Release } from '@cdktf/provider-helm/lib/release';
import { TerraformVariable } from 'cdktf';
import { declareJwtClaims } from '../../../modules/policy/facts';
import { findingsOf, labStack, ruleTests, type FailCase, type PassCase } from '../helpers';

const JWT_ON = 'env:\n  GF_AUTH_JWT_ENABLED: "true"\n';
/** A plain values document that sets GF_AUTH_JWT_EXPECT_CLAIMS to `claims` (JSON). */
const claimsDoc = (claims: object): string => `env:\n  GF_AUTH_JWT_EXPECT_CLAIMS: '${JSON.stringify(claims)}'\n`;
/** A computed values document, as the cluster stack writes for values that come from remote state. */
const COMPUTED = '${yamlencode({"env" = {"GF_AUTH_JWT_EXPECT_CLAIMS" = jsonencode(local.claims)}})}';
const PINNED = { iss: 'https://issuer', client_id: 'abc', token_use: 'access' };

describe('Grafana rules', () => {
  // GIVEN one plain stack with a Grafana release per way of writing (or missing) the expected claims
  const stack = labStack();
  const grafana = (id: string, values: string[], chart = 'grafana'): Release => new Release(stack, id, { name: id, chart, values });
  grafana('grafana', [JWT_ON]);
  grafana('grafana-no-jwt', ['env:\n  GF_AUTH_JWT_ENABLED: "false"\n']);
  grafana('pinned', [JWT_ON, claimsDoc(PINNED)]);
  // A later values document wins in Helm: this one drops client_id and token_use.
  grafana('later-wins', [JWT_ON, claimsDoc(PINNED), claimsDoc({ iss: 'https://issuer' })]);
  grafana('id-token', [JWT_ON, claimsDoc({ ...PINNED, token_use: 'id' })]);
  // Claims computed from remote state are declared on the release, as the cluster stack does.
  const issuer = new TerraformVariable(stack, 'issuer', {});
  declareJwtClaims(grafana('declared-pinned', [JWT_ON, COMPUTED]), { iss: issuer.stringValue, client_id: 'abc', token_use: 'access' });
  declareJwtClaims(grafana('declared-unpinned', [JWT_ON, COMPUTED]), { iss: '', client_id: issuer.stringValue });
  grafana('computed-undeclared', [COMPUTED]);
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
      'the declared claims pin an empty iss and no token_use',
      'lab/declared-unpinned',
      'env.GF_AUTH_JWT_EXPECT_CLAIMS is {"iss":"","client_id":"${var.issuer}"}, must pin iss, token_use = "access"',
    ],
    [
      'GRAFANA_JWT_CLAIMS',
      'a computed values document comes with no declared claims',
      'lab/computed-undeclared',
      'values compute a document in a Terraform expression but declare no expected claims (declareJwtClaims)',
    ],
  ];
  const passes: PassCase[] = [
    ['GRAFANA_JWT_CLAIMS', 'JWT sign-in is off', 'lab/grafana-no-jwt'],
    ['GRAFANA_JWT_CLAIMS', 'a values document pins all three claims', 'lab/pinned'],
    ['GRAFANA_JWT_CLAIMS', 'the declared claims pin all three', 'lab/declared-pinned'],
    ['GRAFANA_JWT_CLAIMS', 'the chart is not Grafana', 'lab/other-chart'],
  ];
  ruleTests(stack, found, fails, passes);
});
