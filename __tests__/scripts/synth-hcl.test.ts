import { spawnSync } from 'child_process';
import { parse } from '@cdktf/hcl2json';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { blockInventory, checkHcl } from '../../scripts/hcl/check';
import { REQUIRED_TERRAFORM } from '../../modules/stacks/base';
import { APPLY_ORDER } from '../../modules/stacks/outputs';
import { repairHeredocClosers } from '../../scripts/hcl/heredoc';
import { repairObjectAttributes } from '../../scripts/hcl/object-attributes';
import { repairTerraformSettings } from '../../scripts/hcl/terraform-block';
import { generateConfig } from '../../scripts/bench';
import { main } from '../../scripts/synth-hcl';
import { ROOT } from '../run-main';

const STACKS = APPLY_ORDER;

/** Runs `npm run synth:hcl` in-process on the project's real app, writing into a fresh folder. */
async function synthHclOf(env: Record<string, string>, argv: string[] = []) {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-hcl-'));
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, {
    cwd: ROOT,
    env: { ...process.env, CENTRAL_AUTH_CONFIG: '', ...env, CDKTF_OUTDIR: outdir },
    stdout: (s) => out.push(s),
    stderr: (s) => err.push(s),
  });
  return { code, outdir, out: out.join(''), err: err.join('') };
}

const read = (file: string) => fs.readFileSync(file, 'utf8');

describe('npm run synth:hcl on the embedded example', () => {
  let run: Awaited<ReturnType<typeof synthHclOf>>;
  beforeAll(async () => {
    // GIVEN the real app and its example config WHEN synth:hcl runs
    run = await synthHclOf({});
  });
  afterAll(() => fs.rmSync(run.outdir, { recursive: true, force: true }));

  test('writes a cdk.tf for every stack beside the JSON, never into the stack folders', () => {
    expect([run.code, run.err]).toEqual([0, expect.any(String)]);
    for (const stack of STACKS) {
      // Terraform would load both files of one folder and see every block twice.
      expect(fs.existsSync(path.join(run.outdir, 'stacks', stack, 'cdk.tf'))).toBe(false);
      expect(fs.existsSync(path.join(run.outdir, 'hcl', 'stacks', stack, 'cdk.tf'))).toBe(true);
    }
  });

  test.each(STACKS)('the %s stack parses with the HCL parser and declares exactly the blocks of its JSON', async (stack) => {
    const hcl = await parse(`${stack}.tf`, read(path.join(run.outdir, 'hcl', 'stacks', stack, 'cdk.tf')));
    const json = JSON.parse(read(path.join(run.outdir, 'stacks', stack, 'cdk.tf.json')));
    expect(blockInventory(hcl)).toEqual(blockInventory(json));
    // AND it requires the same Terraform as its JSON
    expect([hcl.terraform[0].required_version, json.terraform.required_version]).toEqual([REQUIRED_TERRAFORM, REQUIRED_TERRAFORM]);
  });

  (spawnSync('terraform', ['version']).status === 0 ? test : test.skip)('the files are as terraform fmt leaves them', () => {
    const files = STACKS.map((stack) => path.join(run.outdir, 'hcl', 'stacks', stack, 'cdk.tf'));
    expect(spawnSync('terraform', ['fmt', '-check', '-no-color', ...files], { encoding: 'utf8' }).stdout).toBe('');
  });

  test("the Helm provider's kubernetes settings are an object attribute, as the provider's schema has them", async () => {
    const hcl = await parse('cluster.tf', read(path.join(run.outdir, 'hcl', 'stacks', 'cluster', 'cdk.tf')));
    const json = JSON.parse(read(path.join(run.outdir, 'stacks', 'cluster', 'cdk.tf.json')));
    // hcl2json gives a block as a list of objects, an object attribute as the object itself
    expect(hcl.provider.helm[0].kubernetes.exec).toEqual(json.provider.helm[0].kubernetes.exec);
  });

  test('chart values written as heredocs are the same strings as in the JSON', async () => {
    const hcl = await parse('cluster.tf', read(path.join(run.outdir, 'hcl', 'stacks', 'cluster', 'cdk.tf')));
    const json = JSON.parse(read(path.join(run.outdir, 'stacks', 'cluster', 'cdk.tf.json')));
    for (const [name, release] of Object.entries<any>(json.resource.helm_release)) {
      const literal = (release.values as string[]).filter((v) => !v.startsWith('${'));
      expect(hcl.resource.helm_release[name][0].values.slice(0, literal.length)).toEqual(literal);
    }
  });
});

describe('npm run synth:hcl on a large generated config', () => {
  test('100 apps with grouped certificates and an S3 backend give parseable HCL for every stack', async () => {
    // GIVEN a generated config of 100 apps
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-hcl-config-'));
    const file = path.join(dir, 'large.json');
    const config = generateConfig(100);
    fs.writeFileSync(
      file,
      JSON.stringify({
        ...config,
        certificates: 'grouped',
        quotas: { listenerRulesPerAlb: 300, certificatesPerAlb: 50 },
        state: { backend: 's3', bucket: 'acme-tf-state', keyPrefix: 'central-auth' },
      }),
    );
    // WHEN synth:hcl runs with it, into its own --hcl-out folder
    const run = await synthHclOf({ CENTRAL_AUTH_CONFIG: file }, ['--hcl-out', path.join(dir, 'hcl')]);
    // THEN every stack is written, and synth:hcl itself has parsed each one back
    expect([run.code, run.err.split('\n').filter((l) => l.startsWith('synth:hcl'))]).toEqual([0, []]);
    expect(run.out.trim().split('\n')).toHaveLength(STACKS.length);
    const edge = await parse('edge.tf', read(path.join(dir, 'hcl', 'stacks', 'edge', 'cdk.tf')));
    expect(Object.keys(edge.resource.aws_lb_listener_rule).length).toBeGreaterThan(10);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(run.outdir, { recursive: true, force: true });
  });
});

describe('repairHeredocClosers', () => {
  test('moves a list comma off the closing marker, which HCL otherwise never sees as closed', async () => {
    // GIVEN the shape cdktf writes for a list of multi-line strings
    const broken = 'x = [\n<<EOF\na: 1\n\nEOF,\n<<EOF\nb: 2\n\nEOF\n]\n';
    // (unrepaired, the first string silently swallows the second one)
    expect((await parse('x.tf', broken)).x).toEqual(['a: 1\n\nEOF,\n<<EOF\nb: 2\n\n']);
    // WHEN repaired THEN it parses to the two original strings
    expect((await parse('x.tf', repairHeredocClosers(broken))).x).toEqual(['a: 1\n', 'b: 2\n']);
  });

  test('leaves a file without heredocs unchanged', () => {
    const plain = 'resource "a" "b" {\n  name = "EOF,"\n}\n';
    expect(repairHeredocClosers(plain)).toBe(plain);
  });
});

describe('repairTerraformSettings', () => {
  // GIVEN the terraform block cdktf writes when a stack overrides terraform.required_version
  const broken =
    'terraform {\nrequired_providers {\n  aws = {\nsource = "aws"\n}\n}\nbackend "local" {\npath = "a.tfstate"\n}\n\n  0 = "required_version"\n}\n\nresource "a" "b" {\n  name = "0 = required_version"\n}\n';
  const json = { required_providers: { aws: { source: 'aws' } }, backend: { local: { path: 'a.tfstate' } }, required_version: '>= 1.10.0' };

  test('puts each setting back with its value, which HCL otherwise refuses', async () => {
    // (unrepaired, HCL wants an argument name, not a number)
    await expect(parse('x.tf', broken)).rejects.toThrow(/Argument or block definition required/);
    // WHEN repaired THEN the block has the setting, and nothing else changed
    const repaired = repairTerraformSettings(broken, json);
    expect((await parse('x.tf', repaired)).terraform[0].required_version).toBe('>= 1.10.0');
    expect(repaired).toBe(broken.replace('  0 = "required_version"\n}\n\nresource', 'required_version = ">= 1.10.0"\n}\n\nresource'));
  });

  test('leaves a file whose terraform block has only blocks unchanged', () => {
    expect(repairTerraformSettings(broken, { backend: json.backend })).toBe(broken);
  });
});

describe('checkHcl', () => {
  test('fails when the HCL does not parse, naming the file and the parser error', async () => {
    await expect(checkHcl('stacks/x/cdk.tf', 'x = <<EOF\nno closer', {})).rejects.toThrow(
      /^stacks\/x\/cdk\.tf is not valid HCL: .*Unterminated template string/,
    );
  });

  test('fails when a terraform setting of the JSON is missing from the HCL', async () => {
    const json = { terraform: { required_version: '>= 1.10.0', backend: { local: { path: 'a' } } } };
    await expect(checkHcl('stacks/x/cdk.tf', 'terraform {\n  backend "local" {\n    path = "a"\n  }\n}\n', json)).rejects.toThrow(
      'stacks/x/cdk.tf does not keep the terraform settings of its JSON: required_version',
    );
  });

  test('fails when a block of the JSON is missing from the HCL', async () => {
    const json = { resource: { aws_lb: { alb: {} } }, output: { dns: { value: 'x' } } };
    await expect(checkHcl('stacks/x/cdk.tf', 'output "dns" {\n  value = "x"\n}\n', json)).rejects.toThrow(
      'stacks/x/cdk.tf does not declare the blocks of its JSON: missing resource.aws_lb.alb; extra none',
    );
  });
});

describe('synth:hcl command line', () => {
  test('fails when given an unknown argument (exit 2)', async () => {
    const err: string[] = [];
    const io = { cwd: ROOT, env: process.env, stdout: () => undefined, stderr: (s: string) => err.push(s) };
    expect(await main(['--nope'], io)).toBe(2);
    expect(err.join('')).toContain('usage: npm run synth:hcl');
  });

  test('fails when the app cannot be synthesized (exit 1), naming the config problem', async () => {
    const run = await synthHclOf({ CENTRAL_AUTH_CONFIG: path.join(os.tmpdir(), 'no-such-config.yaml') });
    expect(run.code).toBe(1);
    expect(run.err).toContain('cannot be read (ENOENT)');
  });
});

describe('repairObjectAttributes', () => {
  test("rewrites only the provider's declared object attributes", () => {
    const hcl =
      'provider "helm" {\n  kubernetes {\n    exec {\n      command = "aws"\n    }\n  }\n}\nresource "x" "y" {\n  kubernetes {\n  }\n}\n';
    expect(repairObjectAttributes(hcl)).toBe(
      'provider "helm" {\n  kubernetes = {\n    exec = {\n      command = "aws"\n    }\n  }\n}\nresource "x" "y" {\n  kubernetes {\n  }\n}\n',
    );
  });
});
