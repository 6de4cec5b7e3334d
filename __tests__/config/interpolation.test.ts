import { spawnSync } from 'child_process';
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { ConfigError } from '../../modules/config/errors';
import { EXAMPLE_CONFIG } from '../../modules/config/example';
import { terraformLiteral } from '../../modules/config/strings';
import { prepareDeployment } from '../../modules/deployment';
import { synthAll } from '../helpers';
import { available } from '../prerequisites';

const PROBE = 'x${var.secret}y%{endif}z';

/** Every string field of the config, and whether text with `${`/`%{` is refused there or reaches Terraform literally. */
const FIELDS: [string, 'refused' | 'escaped', (c: any, v: string) => void][] = [
  ['environment', 'refused', (c, v) => (c.environment = v)],
  ['region', 'refused', (c, v) => (c.region = v)],
  ['zoneName', 'refused', (c, v) => (c.zoneName = v)],
  ['vpcId', 'refused', (c, v) => (c.vpcId = v)],
  ['publicSubnetIds[0]', 'refused', (c, v) => (c.publicSubnetIds[0] = v)],
  ['clusterName', 'refused', (c, v) => (c.clusterName = v)],
  ['nlb.subnets[0].id', 'refused', (c, v) => (c.nlb.subnets[0].id = v)],
  ['nlb.subnets[0].cidr', 'refused', (c, v) => (c.nlb.subnets[0].cidr = v)],
  ['nlb.subnets[0].privateIp', 'refused', (c, v) => (c.nlb.subnets[0].privateIp = v)],
  ['eks.planRoleArn', 'refused', (c, v) => (c.eks = { planRoleArn: `arn:aws:iam::123456789012:role/${v}` })],
  ['grafana.storageClassName', 'refused', (c, v) => (c.grafana = { storageClassName: v })],
  ['cognito.domainPrefix', 'refused', (c, v) => (c.cognito.domainPrefix = v)],
  // The group is also one Grafana allows: the name reaches the verifier's config.json too.
  ['cognito.groups[0].name', 'escaped', (c, v) => (c.cognito.groups[0].name = c.apps[0].allowedGroups[0] = v)],
  ['cognito.groups[0].description', 'escaped', (c, v) => (c.cognito.groups[0].description = v)],
  ['session.cookieName', 'refused', (c, v) => (c.session = { cookieName: v })],
  ['session.signoutPath', 'refused', (c, v) => (c.session = { signoutPath: `/${v}` })],
  ['alb.accessLogs.bucket', 'refused', (c, v) => (c.alb = { accessLogs: { bucket: v } })],
  ['alb.accessLogs.prefix', 'refused', (c, v) => (c.alb = { accessLogs: { bucket: 'acme-logs', prefix: v } })],
  [
    'alb.webAclArn',
    'refused',
    (c, v) => (c.alb = { webAclArn: `arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/${v}/0a1b2c3d-0000-4000-8000-000000000000` }),
  ],
  ['state.directory', 'refused', (c, v) => (c.state = { backend: 'local', directory: v })],
  ['state.bucket', 'refused', (c, v) => (c.state = { backend: 's3', bucket: v })],
  ['state.keyPrefix', 'refused', (c, v) => (c.state = { backend: 's3', bucket: 'acme-state', keyPrefix: v })],
  ['state.dynamodbTable', 'refused', (c, v) => (c.state = { backend: 's3', bucket: 'acme-state', dynamodbTable: v })],
  ['apps[0].name', 'refused', (c, v) => (c.apps[0].name = v)],
  ['apps[0].host', 'refused', (c, v) => (c.apps[0].host = `${v}.dev.example.com`)],
  ['apps[0].publicPaths[0]', 'refused', (c, v) => (c.apps[0].publicPaths = [`/${v}`])],
  ['apps[0].denyPaths[0]', 'refused', (c, v) => (c.apps[0].denyPaths = [`/${v}`])],
  ['suppressions[0].rule', 'refused', (c, v) => (c.suppressions[0].rule = v)],
];

function configWithProbe(set: (c: any, v: string) => void): any {
  const config = structuredClone(EXAMPLE_CONFIG) as any;
  set(config, PROBE);
  return config;
}

describe('text that Terraform would evaluate', () => {
  test.each(FIELDS.filter(([, d]) => d === 'refused'))('%s refuses it, naming the field', (field, _decision, set) => {
    let error: unknown;
    try {
      prepareDeployment(configWithProbe(set));
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    // (list items carry their label, `apps[0] (grafana)`: compared without it)
    expect((error as ConfigError).problems.map((p) => p.field.replace(/ \([^)]*\)/g, ''))).toContain(field);
  });

  test.each(FIELDS.filter(([, d]) => d === 'escaped'))('%s reaches Terraform literally', (_field, _decision, set) => {
    // GIVEN the probe in the field WHEN the example is synthesized
    const json = Object.values(synthAll(prepareDeployment(configWithProbe(set)).config).json).join('\n');
    // THEN it appears only escaped, never as a live interpolation or directive
    expect(json).toContain(JSON.stringify(terraformLiteral(PROBE)).slice(1, -1));
    expect(json.replace(/\$\$\{/g, '').replace(/%%\{/g, '')).not.toMatch(/\$\{var\.secret\}|%\{endif\}/);
  });
});

const hasTerraform = available('terraform');
(hasTerraform ? test : test.skip)('Terraform reads every escaped string back as the original text', () => {
  const samples = [PROBE, '$${already}', '%%{x}', '$', '${', '%{', 'a$$b', '${${}}', 'ü${é}'];
  // JSON strings in a .tf.json file are templates: check them as Terraform evaluates a template.
  const expression = `jsonencode([${samples.map((s) => JSON.stringify(terraformLiteral(s))).join(', ')}])`;
  const r = spawnSync('terraform', ['console'], {
    cwd: mkdtempSync(join(tmpdir(), 'tf-console-')),
    input: `${expression}\n`,
    encoding: 'utf8',
  });
  expect([r.status, r.stderr.replace(/There are some problems with the CLI configuration[\s\S]*?╵\n?/, '').trim()]).toEqual([0, '']);
  expect(JSON.parse(JSON.parse(r.stdout.trim()))).toEqual(samples);
});
