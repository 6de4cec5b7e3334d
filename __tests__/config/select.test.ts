// One way to select a config (CENTRAL_AUTH_CONFIG), for every command: a file, or the example by
// name; the example is refused by deploys and CI plans; the retired cdktf.json key is refused.
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { EXAMPLE_CONFIG } from '../../modules/config/example';
import { APPLYING_ENV_VAR, REQUIRE_REMOTE_STATE_ENV_VAR } from '../../modules/config/load';
import { selectConfig } from '../../modules/config/select';
import { problemLines } from '../helpers';

const dir = mkdtempSync(join(tmpdir(), 'central-auth-select-'));
const file = join(dir, 'qa.json');
writeFileSync(file, JSON.stringify({ ...EXAMPLE_CONFIG, environment: 'qa' }));
const HOW =
  'set CENTRAL_AUTH_CONFIG=environments/<env>.yaml (a real environment) or CENTRAL_AUTH_CONFIG=example (the embedded example, for development)';

describe('CENTRAL_AUTH_CONFIG', () => {
  test('names a file: that file, and the line says so', () => {
    const s = selectConfig({ CENTRAL_AUTH_CONFIG: file });
    expect([s.example, s.source, s.line]).toEqual([false, `config ${file}`, `config: ${file} (CENTRAL_AUTH_CONFIG)`]);
    expect((s.raw as { environment: string }).environment).toBe('qa');
  });

  test('says example: the embedded example, by name', () => {
    const s = selectConfig({ CENTRAL_AUTH_CONFIG: 'example' });
    expect([s.example, s.raw, s.line]).toEqual([
      true,
      EXAMPLE_CONFIG,
      'config: the embedded example (CENTRAL_AUTH_CONFIG=example; placeholder ids, development only)',
    ]);
  });

  test('unset in a development run: the example, with a line that says how to pick a real one', () => {
    for (const env of [{}, { CENTRAL_AUTH_CONFIG: '' }, { CENTRAL_AUTH_CONFIG: '  ' }]) {
      const s = selectConfig(env);
      expect([s.example, s.line]).toEqual([
        true,
        `config: the embedded example (placeholder ids, development only), because CENTRAL_AUTH_CONFIG is not set: ${HOW}`,
      ]);
    }
  });

  test.each([
    [APPLYING_ENV_VAR, undefined, '(not set)'],
    [APPLYING_ENV_VAR, 'example', 'example'],
    [REQUIRE_REMOTE_STATE_ENV_VAR, undefined, '(not set)'],
    [REQUIRE_REMOTE_STATE_ENV_VAR, 'example', 'example'],
  ])('a run on a real environment (%s) refuses the example (CENTRAL_AUTH_CONFIG=%s)', (flag, value, shown) => {
    const env: NodeJS.ProcessEnv = { [flag]: '1', ...(value === undefined ? {} : { CENTRAL_AUTH_CONFIG: value }) };
    expect(problemLines(() => selectConfig(env))).toEqual([
      `CENTRAL_AUTH_CONFIG: "${shown}" must name a real environment's config for a deploy or a CI plan: the embedded example has placeholder ids; set CENTRAL_AUTH_CONFIG=environments/<env>.yaml`,
    ]);
    // AND a real file is taken
    expect(selectConfig({ [flag]: '1', CENTRAL_AUTH_CONFIG: file }).example).toBe(false);
  });
});

describe('the retired cdktf.json key centralAuthConfig', () => {
  const rule = `is no longer read (0.3.0): every command selects its config the same way; remove the key and ${HOW}`;

  test('in cdktf.json next to the app: refused, even with CENTRAL_AUTH_CONFIG set', () => {
    const project = mkdtempSync(join(tmpdir(), 'central-auth-project-'));
    writeFileSync(join(project, 'cdktf.json'), JSON.stringify({ app: 'x', context: { centralAuthConfig: 'environments/dev.yaml' } }));
    expect(problemLines(() => selectConfig({ CENTRAL_AUTH_CONFIG: file }, { cwd: project }))).toEqual([
      `cdktf.json context.centralAuthConfig: "environments/dev.yaml" ${rule}`,
    ]);
  });

  test('passed by the cdktf CLI as context: refused', () => {
    expect(problemLines(() => selectConfig({}, { contextValue: 'environments/dev.yaml' }))).toEqual([
      `cdktf context centralAuthConfig: "environments/dev.yaml" ${rule}`,
    ]);
  });

  test("the project's own cdktf.json does not set it", () => {
    expect(selectConfig({ CENTRAL_AUTH_CONFIG: file }, { cwd: join(__dirname, '..', '..') }).example).toBe(false);
  });
});
