// Every script the docs advertise (`npm run <name>`) explains itself: `--help` prints its usage on
// stdout and exits 0 having done nothing else; an unknown option exits 2 with the usage on stderr,
// never a stack trace. Each runs the exact command package.json holds.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ROOT } from '../run-main';

const SCRIPTS: Record<string, string> = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts;
const DOCS = ['README.md', ...fs.readdirSync(path.join(ROOT, 'docs')).map((f) => path.join('docs', f)), 'environments/README.md'];
const advertised = [
  ...new Set(DOCS.flatMap((f) => [...fs.readFileSync(path.join(ROOT, f), 'utf8').matchAll(/npm run ([a-z][a-z:-]*)/g)].map((m) => m[1]!))),
].sort();
// The cdktf CLI's own commands answer --help themselves; `format` is Biome's.
const THEIRS = new Set(['synth', 'deploy', 'format']);

/** Runs a package.json script's command as npm would (sh -c, project root, node_modules/.bin on PATH). */
function runScript(name: string, args: string[]) {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'help-'));
  const r = spawnSync('sh', ['-c', `${SCRIPTS[name]} "$@"`, name, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
    env: {
      ...process.env,
      PATH: `${path.join(ROOT, 'node_modules', '.bin')}:${process.env.PATH}`,
      npm_node_execpath: process.execPath,
      CENTRAL_AUTH_CONFIG: '',
      CDKTF_OUTDIR: path.join(cwd, 'out'),
    },
  });
  const wrote = fs.existsSync(path.join(cwd, 'out'));
  fs.rmSync(cwd, { recursive: true, force: true });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, wrote };
}

test('every advertised script exists in package.json', () => {
  expect(advertised.filter((name) => SCRIPTS[name] === undefined)).toEqual([]);
  expect(advertised).toEqual(expect.arrayContaining(['bootstrap-state', 'diff', 'revoke', 'synth:fast', 'synth:hcl']));
});

describe.each(advertised.filter((name) => !THEIRS.has(name)))('npm run %s', (name) => {
  test('-- --help prints its usage and exits 0, writing nothing', () => {
    const r = runScript(name, ['--help']);
    expect([r.status, r.stderr, r.wrote]).toEqual([0, '', false]);
    expect(r.stdout).toMatch(/^usage: /);
  });

  test('-- --no-such-option exits 2 with the usage and no stack trace', () => {
    const r = runScript(name, ['--no-such-option']);
    expect([r.status, r.wrote]).toEqual([2, false]);
    expect(r.stderr).toContain('--no-such-option');
    expect(r.stderr).toContain('usage: ');
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });
});
