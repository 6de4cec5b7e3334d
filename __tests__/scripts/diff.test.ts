import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, TerraformOutput, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Lb } from '@cdktf/provider-aws/lib/lb';
import { LbListener } from '@cdktf/provider-aws/lib/lb-listener';
import { DataAwsVpc } from '@cdktf/provider-aws/lib/data-aws-vpc';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { CognitoUserPool } from '@cdktf/provider-aws/lib/cognito-user-pool';
import { APPLY_ORDER } from '../../modules/stacks/outputs';
import { diffSynthOutputs, main, renderMarkdown, DiffResult, StackDiff, CliIo } from '../../scripts/diff';

interface AppVariant {
  scope: string;
  clientSecret: string;
  withSecurityGroup: boolean;
  withVpcLookup: boolean;
  outputName: string;
  /** The certs stack of the four-stack layout, which the head removes. */
  withCertsStack: boolean;
  withClusterStack: boolean;
}

/** Synthesizes a small but real cdktf app (auth + edge stacks with AWS resources). */
function synthApp(outdir: string, v: AppVariant): void {
  const app = new App({ outdir, stackTraces: false });

  const auth = new TerraformStack(app, 'auth');
  new AwsProvider(auth, 'aws', { region: 'eu-west-1' });
  new CognitoUserPool(auth, 'pool', { name: 'central-auth' });

  if (v.withCertsStack) {
    const certs = new TerraformStack(app, 'certs');
    new AwsProvider(certs, 'aws', { region: 'eu-west-1' });
  }
  if (v.withClusterStack) {
    const cluster = new TerraformStack(app, 'cluster');
    new AwsProvider(cluster, 'aws', { region: 'eu-west-1' });
  }

  const edge = new TerraformStack(app, 'edge');
  new AwsProvider(edge, 'aws', { region: 'eu-west-1' });
  if (v.withVpcLookup) new DataAwsVpc(edge, 'vpc', { default: true });
  const lb = new Lb(edge, 'alb', { name: 'central-auth', subnets: ['subnet-a', 'subnet-b'] });
  new LbListener(edge, 'https', {
    loadBalancerArn: lb.arn,
    port: 443,
    protocol: 'HTTPS',
    defaultAction: [
      {
        type: 'authenticate-oidc',
        order: 1,
        authenticateOidc: {
          clientId: 'client-id',
          clientSecret: v.clientSecret,
          scope: v.scope,
          issuer: 'https://issuer.example.com',
          authorizationEndpoint: 'https://issuer.example.com/authorize',
          tokenEndpoint: 'https://issuer.example.com/token',
          userInfoEndpoint: 'https://issuer.example.com/userinfo',
        },
      },
      { type: 'forward', order: 2, targetGroupArn: 'arn:aws:elasticloadbalancing:tg' },
    ],
  });
  if (v.withSecurityGroup) new SecurityGroup(edge, 'alb_sg', { name: 'alb' });
  new TerraformOutput(edge, v.outputName, { value: lb.dnsName });
  new TerraformOutput(edge, 'oidc_client_secret_copy', { value: v.clientSecret, sensitive: true });
  app.synth();
}

const BASE: AppVariant = {
  scope: 'openid',
  clientSecret: 'base-super-secret-value',
  withSecurityGroup: true,
  withVpcLookup: false,
  outputName: 'alb_dns',
  withCertsStack: true,
  withClusterStack: false,
};
const HEAD: AppVariant = {
  scope: 'openid email',
  clientSecret: 'head-super-secret-value',
  withSecurityGroup: false,
  withVpcLookup: true,
  outputName: 'lb_dns_name',
  withCertsStack: false,
  withClusterStack: true,
};

function stack(result: DiffResult, name: string): StackDiff {
  const s = result.stacks.find((x) => x.stack === name);
  if (!s) throw new Error(`stack ${name} missing from result`);
  return s;
}

describe('diffSynthOutputs on real synthesized cdktf apps', () => {
  let tmp: string;
  let result: DiffResult;
  let markdown: string;

  beforeAll(() => {
    // GIVEN two versions of a cdktf app synthesized into separate directories
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'diff-test-'));
    synthApp(path.join(tmp, 'base'), BASE);
    synthApp(path.join(tmp, 'head'), HEAD);
    // WHEN the outputs are compared and rendered
    result = diffSynthOutputs(path.join(tmp, 'base'), path.join(tmp, 'head'));
    markdown = renderMarkdown(result, { baseLabel: 'main', headLabel: 'pr' });
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  test('lists stacks in apply order, then stacks APPLY_ORDER no longer knows, including added and removed stacks', () => {
    // THEN auth → cluster → edge with the right status, then the old certs stack the head removed
    expect(APPLY_ORDER).toEqual(['auth', 'cluster', 'edge']);
    expect(result.stacks.map((s) => [s.stack, s.status])).toEqual([
      ['auth', 'unchanged'],
      ['cluster', 'added'],
      ['edge', 'changed'],
      ['certs', 'removed'],
    ]);
    expect(result.changed).toBe(true);
  });

  test('reports exactly the added, removed and changed resources by type.name', () => {
    const edge = stack(result, 'edge');
    expect(edge.sections.resources.added).toEqual([]);
    expect(edge.sections.resources.removed).toEqual(['aws_security_group.alb_sg']);
    expect(edge.sections.resources.changed.map((c) => c.address)).toEqual(['aws_lb_listener.https']);
  });

  test('reports the changed attribute paths of a changed resource', () => {
    const listener = stack(result, 'edge').sections.resources.changed[0];
    expect(listener.attributes.map((a) => a.path)).toEqual([
      'default_action[0].authenticate_oidc.client_secret',
      'default_action[0].authenticate_oidc.scope',
    ]);
    const scope = listener.attributes[1];
    expect(scope).toEqual({
      path: 'default_action[0].authenticate_oidc.scope',
      kind: 'changed',
      before: '"openid"',
      after: '"openid email"',
      masked: false,
    });
  });

  test('masks secret attributes and sensitive outputs', () => {
    const listener = stack(result, 'edge').sections.resources.changed[0];
    const secret = listener.attributes[0];
    expect(secret.masked).toBe(true);
    expect(secret.before).toBeUndefined();
    expect(secret.after).toBeUndefined();
    const out = stack(result, 'edge').sections.outputs.changed.find((c) => c.address === 'oidc_client_secret_copy');
    expect(out?.attributes).toEqual([{ path: 'value', kind: 'changed', masked: true }]);
    // and the literal never reaches the Markdown
    expect(markdown).not.toContain('super-secret');
    expect(markdown).toContain('default_action[0].authenticate_oidc.client_secret`: changed *(value masked)*');
  });

  test('reports data sources and outputs', () => {
    const edge = stack(result, 'edge');
    expect(edge.sections.dataSources.added).toEqual(['data.aws_vpc.vpc']);
    expect(edge.sections.outputs.added).toEqual(['lb_dns_name']);
    expect(edge.sections.outputs.removed).toEqual(['alb_dns']);
  });

  test('treats every block of an added or removed stack as added or removed', () => {
    expect(stack(result, 'cluster').sections.providers.added).toEqual(['provider.aws']);
    expect(stack(result, 'certs').sections.providers.removed).toEqual(['provider.aws']);
    expect(stack(result, 'certs').sections.terraform.removed).toEqual(['terraform']);
  });

  test('ignores cdktf metadata (// keys)', () => {
    const allPaths = result.stacks.flatMap((s) =>
      Object.values(s.sections).flatMap((sec) => sec.changed.flatMap((c) => c.attributes.map((a) => a.path))),
    );
    expect(allPaths.filter((p) => p.includes('//') || p.includes('metadata'))).toEqual([]);
  });

  test('renders Markdown with a per-stack table and attribute changes', () => {
    expect(markdown).toContain('| `edge` | changed | +0 −1 ~1 | +1 −0 ~0 | +1 −1 ~1 | – |');
    expect(markdown).toContain('| `auth` | unchanged |');
    expect(markdown).toContain('- ➖ removed `aws_security_group.alb_sg`');
    expect(markdown).toContain('  - `default_action[0].authenticate_oidc.scope`: `"openid"` → `"openid email"`');
    expect(markdown.indexOf('#### Stack `cluster`')).toBeLessThan(markdown.indexOf('#### Stack `edge`'));
    expect(markdown.indexOf('#### Stack `edge`')).toBeLessThan(markdown.indexOf('#### Stack `certs`'));
    expect(markdown).not.toContain('#### Stack `auth`');
  });
});

describe('diffSynthOutputs edge cases', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'diff-edge-'));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  function writeStack(dir: string, name: string, tf: unknown): void {
    fs.mkdirSync(path.join(dir, 'stacks', name), { recursive: true });
    fs.writeFileSync(path.join(dir, 'stacks', name, 'cdk.tf.json'), JSON.stringify(tf));
  }

  test('reports no changes for identical outputs', () => {
    // GIVEN the same app synthesized twice
    synthApp(path.join(tmp, 'a'), BASE);
    synthApp(path.join(tmp, 'b'), BASE);
    // WHEN compared
    const result = diffSynthOutputs(path.join(tmp, 'a'), path.join(tmp, 'b'));
    // THEN nothing changed
    expect(result.changed).toBe(false);
    expect(renderMarkdown(result)).toContain('No changes in the synthesized configuration of 3 stack(s).');
  });

  test('shows where two long values differ, not their shared opening', () => {
    // GIVEN a helm values document that changes only near its end
    const doc = (tail: string) => `controller:\n${'  key: value\n'.repeat(30)}  replicas: ${tail}\n`;
    writeStack(path.join(tmp, 'a'), 'cluster', { resource: { helm_release: { nginx: { values: [doc('2')] } } } });
    writeStack(path.join(tmp, 'b'), 'cluster', { resource: { helm_release: { nginx: { values: [doc('3')] } } } });
    // WHEN compared
    const [change] = stack(diffSynthOutputs(path.join(tmp, 'a'), path.join(tmp, 'b')), 'cluster').sections.resources.changed[0]!.attributes;
    // THEN both sides are cut around the difference
    expect(change!.before).toMatch(/^….*replicas: 2\\n"$/);
    expect(change!.after).toMatch(/^….*replicas: 3\\n"$/);
    expect(change!.before!.length).toBeLessThanOrEqual(120);
  });

  test('normalizes the checkout location (local backend paths)', () => {
    // GIVEN two trees whose local backend path embeds the checkout location
    writeStack(path.join(tmp, 'a'), 'auth', { terraform: { backend: { local: { path: '/tmp/wt-1/terraform.auth.tfstate' } } } });
    writeStack(path.join(tmp, 'b'), 'auth', { terraform: { backend: { local: { path: '/work/main/terraform.auth.tfstate' } } } });
    // WHEN compared with the roots given
    const result = diffSynthOutputs(path.join(tmp, 'a'), path.join(tmp, 'b'), { baseRoot: '/tmp/wt-1', headRoot: '/work/main' });
    // THEN no change is reported
    expect(result.changed).toBe(false);
  });

  test('masks nested secret keys inside an added attribute and redacts known secret literals elsewhere', () => {
    // GIVEN an added block attribute containing a password, and the same literal reused in a tag
    writeStack(path.join(tmp, 'a'), 'auth', { resource: { aws_db_instance: { db: { name: 'x' } } } });
    writeStack(path.join(tmp, 'b'), 'auth', {
      resource: {
        aws_db_instance: {
          db: { name: 'x', settings: { master_password: 'hunter22-literal', user: 'admin' }, tags: { note: 'pw hunter22-literal' } },
        },
      },
    });
    // WHEN compared and rendered
    const result = diffSynthOutputs(path.join(tmp, 'a'), path.join(tmp, 'b'));
    const md = renderMarkdown(result);
    // THEN both paths are listed but the literal appears nowhere
    const attrs = stack(result, 'auth').sections.resources.changed[0].attributes;
    expect(attrs.map((a) => a.path)).toEqual(['settings', 'tags']);
    expect(attrs[0].after).toBe('{"master_password":"***","user":"admin"}');
    expect(attrs[1].after).toBe('{"note":"pw ***"}');
    expect(md).not.toContain('hunter22');
  });

  test('treats a missing base directory as having no stacks', () => {
    writeStack(path.join(tmp, 'b'), 'edge', { output: { x: { value: '1' } } });
    const result = diffSynthOutputs(path.join(tmp, 'does-not-exist'), path.join(tmp, 'b'));
    expect(result.stacks).toEqual([expect.objectContaining({ stack: 'edge', status: 'added' })]);
    expect(stack(result, 'edge').sections.outputs.added).toEqual(['x']);
  });
});

describe('npm run diff (CLI)', () => {
  let repo: string;
  let out: string[];
  let err: string[];
  let io: CliIo;

  function sh(cmd: string, args: string[]): string {
    const r = spawnSync(cmd, args, { cwd: repo, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
    return r.stdout.trim();
  }

  const APP_JS = (scope: string) => `
const { App, TerraformStack } = require('cdktf');
const { AwsProvider } = require('@cdktf/provider-aws/lib/provider');
const { Lb } = require('@cdktf/provider-aws/lib/lb');
const { LbListener } = require('@cdktf/provider-aws/lib/lb-listener');
const app = new App({ stackTraces: false });
const s = new TerraformStack(app, 'edge');
new AwsProvider(s, 'aws', { region: 'eu-west-1' });
const lb = new Lb(s, 'alb', { name: 'x' });
new LbListener(s, 'https', { loadBalancerArn: lb.arn, port: 443, defaultAction: [{ type: 'authenticate-oidc', authenticateOidc: { clientId: 'c', clientSecret: 's3cr3t-value', scope: ${JSON.stringify(scope)}, issuer: 'i', authorizationEndpoint: 'a', tokenEndpoint: 't', userInfoEndpoint: 'u' } }] });
app.synth();
`;

  beforeEach(() => {
    // GIVEN a git repo with a tiny cdktf app (plain JS) committed twice, sharing node_modules
    repo = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'diff-cli-')));
    sh('git', ['init', '-q', '-b', 'main']);
    sh('git', ['config', 'user.email', 't@example.com']);
    sh('git', ['config', 'user.name', 'test']);
    fs.writeFileSync(path.join(repo, '.gitignore'), 'node_modules\n');
    fs.writeFileSync(path.join(repo, 'package-lock.json'), '{"lockfileVersion":3}\n');
    fs.symlinkSync(path.resolve(__dirname, '..', '..', 'node_modules'), path.join(repo, 'node_modules'), 'dir');
    fs.writeFileSync(path.join(repo, 'main.js'), APP_JS('openid'));
    sh('git', ['add', '.']);
    sh('git', ['commit', '-q', '-m', 'base']);
    fs.writeFileSync(path.join(repo, 'main.js'), APP_JS('openid profile'));
    out = [];
    err = [];
    io = {
      cwd: repo,
      env: { ...process.env, SYNTH_COMMAND: 'node main.js' },
      stdout: (s) => out.push(s),
      stderr: (s) => err.push(s),
    };
  });
  afterEach(() => fs.rmSync(repo, { recursive: true, force: true }));

  test('prints the Markdown diff of the working tree against the base ref and removes the worktree', async () => {
    // WHEN diffing the uncommitted change against HEAD
    const code = await main(['HEAD'], io);
    // THEN it succeeds with the attribute change and masks the secret
    expect(err.join('')).toContain('reusing node_modules');
    expect(code).toBe(0);
    const md = out.join('');
    expect(md).toContain('`default_action[0].authenticate_oidc.scope`: `"openid"` → `"openid profile"`');
    expect(md).not.toContain('s3cr3t');
    // AND the worktree is gone, and the shared node_modules survived
    expect(sh('git', ['worktree', 'list']).split('\n')).toHaveLength(1);
    expect(fs.existsSync(path.join(repo, 'node_modules', 'cdktf', 'package.json'))).toBe(true);
    // AND the working tree's cdktf.out was not touched
    expect(fs.existsSync(path.join(repo, 'cdktf.out'))).toBe(false);
  });

  test('writes to --out and exits 0 when nothing changed', async () => {
    sh('git', ['checkout', '-q', '--', 'main.js']);
    const code = await main(['HEAD', '--out', 'diff.md'], io);
    expect(code).toBe(0);
    expect(out.join('')).toBe('');
    expect(fs.readFileSync(path.join(repo, 'diff.md'), 'utf8')).toContain('No changes in the synthesized configuration');
  });

  test('fails when the base ref is missing (exit 2, usage)', async () => {
    const code = await main([], io);
    expect(code).toBe(2);
    expect(err.join('')).toContain('missing base ref');
    expect(err.join('')).toContain('usage: npm run diff -- <base-ref>');
  });

  test('fails when the base ref is unknown (exit 2, names the ref)', async () => {
    const code = await main(['no-such-branch-xyz'], io);
    expect(code).toBe(2);
    expect(err.join('')).toContain('unknown git ref "no-such-branch-xyz"');
    expect(sh('git', ['worktree', 'list']).split('\n')).toHaveLength(1);
  });

  describe('each side synthesizes its own config, as it is in that tree', () => {
    // A tiny app that builds one security group per app of the selected config, its description
    // taken from the file the config names (as an IdP metadata file would be read).
    const CONFIG_APP_JS = `
const fs = require('fs');
const { App, TerraformStack } = require('cdktf');
const { AwsProvider } = require('@cdktf/provider-aws/lib/provider');
const { SecurityGroup } = require('@cdktf/provider-aws/lib/security-group');
const config = JSON.parse(fs.readFileSync(process.env.CENTRAL_AUTH_CONFIG, 'utf8'));
const app = new App({ stackTraces: false });
const s = new TerraformStack(app, 'edge');
new AwsProvider(s, 'aws', { region: 'eu-west-1' });
for (const name of config.apps) {
  new SecurityGroup(s, name, { name, description: config.metadata ? fs.readFileSync(config.metadata, 'utf8').trim() : 'none' });
}
app.synth();
`;
    const write = (rel: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(repo, rel)), { recursive: true });
      fs.writeFileSync(path.join(repo, rel), text);
    };
    const commitBase = (files: Record<string, string>) => {
      write('main.js', CONFIG_APP_JS);
      for (const [rel, text] of Object.entries(files)) write(rel, text);
      sh('git', ['add', '.']);
      sh('git', ['commit', '-q', '-m', 'base with configs']);
    };
    const diffWith = async (config: string) => {
      const code = await main(['HEAD'], { ...io, env: { ...io.env, CENTRAL_AUTH_CONFIG: config } });
      return { code, md: out.join(''), log: err.join('') };
    };

    test('a config-only change (an app added) shows its resources', async () => {
      // GIVEN a committed environment config with one app WHEN the working tree adds a second
      commitBase({ 'environments/dev.json': JSON.stringify({ apps: ['grafana'] }) });
      write('environments/dev.json', JSON.stringify({ apps: ['grafana', 'argocd'] }));
      // THEN the diff shows the new app's resource added and nothing else
      const { code, md } = await diffWith('environments/dev.json');
      expect(code).toBe(0);
      expect(md).toContain('aws_security_group.argocd');
      expect(md).not.toContain('aws_security_group.grafana');
      expect(md).not.toContain('No changes');
    });

    test('a file the change adds (IdP metadata) is read on the head side only, and the base still synthesizes', async () => {
      // GIVEN a base config without metadata WHEN the working tree adds a metadata file and names it
      commitBase({ 'environments/dev.json': JSON.stringify({ apps: ['grafana'] }) });
      write('idp/metadata.xml', '<EntityDescriptor entityID="urn:example"/>\n');
      write('environments/dev.json', JSON.stringify({ apps: ['grafana'], metadata: 'idp/metadata.xml' }));
      // THEN the change is the description read from the new file
      const { code, md } = await diffWith('environments/dev.json');
      expect(code).toBe(0);
      expect(md).toContain('aws_security_group.grafana');
      expect(md).toContain('`description`: `"none"` → `"<EntityDescriptor entityID=\\"urn:example\\"/>"`');
    });

    test('an added environment shows as all additions', async () => {
      // GIVEN a base with dev only WHEN the working tree adds staging
      commitBase({ 'environments/dev.json': JSON.stringify({ apps: ['grafana'] }) });
      write('environments/staging.json', JSON.stringify({ apps: ['grafana', 'argocd'] }));
      const { code, md, log } = await diffWith('environments/staging.json');
      // THEN the edge stack is added with both resources, and the log says why
      expect(code).toBe(0);
      expect(log).toContain('diff: environments/staging.json does not exist at the base: the environment is new');
      expect(md).toMatch(/edge.*added/);
      expect(md).toContain('aws_security_group.argocd');
      expect(md).toContain('aws_security_group.grafana');
    });

    test('a removed environment shows as all removals', async () => {
      // GIVEN a base with staging WHEN the working tree deletes it
      commitBase({ 'environments/staging.json': JSON.stringify({ apps: ['grafana'] }) });
      fs.rmSync(path.join(repo, 'environments/staging.json'));
      const { code, md, log } = await diffWith('environments/staging.json');
      // THEN the edge stack is removed
      expect(code).toBe(0);
      expect(log).toContain('diff: environments/staging.json does not exist in the working tree: the environment is removed');
      expect(md).toMatch(/edge.*removed/);
      expect(md).toContain('aws_security_group.grafana');
    });
  });

  test('fails when synthesis of the base fails (exit 1) and still removes the worktree', async () => {
    // GIVEN a base commit whose app throws
    fs.writeFileSync(path.join(repo, 'main.js'), 'throw new Error("broken base app")');
    sh('git', ['commit', '-q', '-am', 'broken']);
    const broken = sh('git', ['rev-parse', 'HEAD']);
    fs.writeFileSync(path.join(repo, 'main.js'), APP_JS('openid'));
    // WHEN diffing against it
    const code = await main([broken], io);
    // THEN exit 1, a message, and no leftover worktree
    expect(code).toBe(1);
    expect(err.join('')).toContain('broken base app');
    expect(sh('git', ['worktree', 'list']).split('\n')).toHaveLength(1);
    expect(fs.existsSync(path.join(repo, 'node_modules', 'cdktf', 'package.json'))).toBe(true);
  });
});
