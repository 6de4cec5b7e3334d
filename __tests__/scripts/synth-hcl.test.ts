import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../scripts/synth-hcl';

const APP_JS = `
const { App, TerraformStack, TerraformOutput } = require('cdktf');
const { AwsProvider } = require('@cdktf/provider-aws/lib/provider');
const { Lb } = require('@cdktf/provider-aws/lib/lb');
const app = new App({ stackTraces: false });
for (const name of ['auth', 'edge']) {
  const s = new TerraformStack(app, name);
  new AwsProvider(s, 'aws', { region: 'eu-west-1' });
  const lb = new Lb(s, 'alb', { name: name + '-alb', subnets: ['subnet-a', 'subnet-b'], tags: { Stack: name } });
  new TerraformOutput(s, 'dns', { value: lb.dnsName });
}
app.synth();
`;

const hasTerraform = spawnSync('terraform', ['version'], { encoding: 'utf8' }).status === 0;

describe('npm run synth:hcl', () => {
  let root: string;
  let out: string[];
  let err: string[];

  beforeEach(() => {
    // GIVEN a project dir with a small cdktf app and the shared node_modules
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'synth-hcl-')));
    fs.symlinkSync(path.resolve(__dirname, '..', '..', 'node_modules'), path.join(root, 'node_modules'), 'dir');
    fs.writeFileSync(path.join(root, 'main.js'), APP_JS);
    out = [];
    err = [];
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const io = (env: NodeJS.ProcessEnv = {}) => ({
    cwd: root,
    env: { ...process.env, SYNTH_COMMAND: 'node main.js', CDKTF_OUTDIR: '', ...env },
    stdout: (s: string) => out.push(s),
    stderr: (s: string) => err.push(s),
  });

  test('writes cdk.tf for every stack beside the JSON output, leaving the stack dirs plannable', () => {
    // WHEN
    const code = main([], io());
    // THEN
    expect([code, err.join('')]).toEqual([0, expect.any(String)]);
    for (const stack of ['auth', 'edge']) {
      const dir = path.join(root, 'cdktf.out', 'stacks', stack);
      expect(fs.existsSync(path.join(dir, 'cdk.tf.json'))).toBe(true);
      // Terraform would load both files of one folder and see every block twice.
      expect(fs.existsSync(path.join(dir, 'cdk.tf'))).toBe(false);
      const hcl = fs.readFileSync(path.join(root, 'cdktf.out', 'hcl', 'stacks', stack, 'cdk.tf'), 'utf8');
      expect(hcl).toMatch(/resource "aws_lb" "alb" \{/);
      expect(hcl).toContain(`name = "${stack}-alb"`);
      const json = JSON.parse(fs.readFileSync(path.join(dir, 'cdk.tf.json'), 'utf8'));
      expect(json.resource.aws_lb.alb.name).toBe(`${stack}-alb`);
    }
    expect(out.join('')).toBe('cdktf.out/hcl/stacks/auth/cdk.tf\ncdktf.out/hcl/stacks/edge/cdk.tf\n');
  });

  (hasTerraform ? test : test.skip)('formats the HCL with terraform fmt', () => {
    expect(main([], io())).toBe(0);
    const check = spawnSync('terraform', ['fmt', '-check', '-no-color', path.join(root, 'cdktf.out', 'hcl', 'stacks', 'edge', 'cdk.tf')], {
      encoding: 'utf8',
    });
    expect([check.status, check.stdout]).toEqual([0, '']);
  });

  test('honours CDKTF_OUTDIR and --hcl-out', () => {
    const code = main(['--hcl-out', 'hcl'], io({ CDKTF_OUTDIR: path.join(root, 'json-out') }));
    expect(code).toBe(0);
    expect(fs.existsSync(path.join(root, 'json-out', 'stacks', 'auth', 'cdk.tf.json'))).toBe(true);
    expect(fs.existsSync(path.join(root, 'json-out', 'stacks', 'auth', 'cdk.tf'))).toBe(false);
    expect(fs.existsSync(path.join(root, 'hcl', 'stacks', 'auth', 'cdk.tf'))).toBe(true);
  });

  test('fails when the app cannot be synthesized (exit 1)', () => {
    fs.writeFileSync(path.join(root, 'main.js'), 'throw new Error("app is broken")');
    expect(main([], io())).toBe(1);
    expect(err.join('')).toContain('app is broken');
  });

  test('fails when given an unknown argument (exit 2)', () => {
    expect(main(['--nope'], io())).toBe(2);
    expect(err.join('')).toContain('usage: npm run synth:hcl');
  });
});
