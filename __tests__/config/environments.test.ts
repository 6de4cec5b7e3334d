import { App } from 'cdktf';
import { readdirSync } from 'fs';
import { join } from 'path';
import { addCentralAuthStacks } from '../../modules/app';
import { REQUIRE_REMOTE_STATE_ENV_VAR } from '../../modules/config/load';
import { loadDeployment } from '../../modules/deployment';
import { evaluatePolicy } from '../../modules/policy';

const DIR = join(__dirname, '..', '..', 'environments');
const FILES = readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f));

describe('environments/', () => {
  test('holds at least one environment config', () => expect(FILES.length).toBeGreaterThanOrEqual(1));

  test.each(FILES)('%s loads as CI loads it (S3 state required), plans, and passes the policy', (file) => {
    // GIVEN the environment's file, selected the way the workflows select it
    const deployment = loadDeployment({ CENTRAL_AUTH_CONFIG: join(DIR, file), [REQUIRE_REMOTE_STATE_ENV_VAR]: '1' });
    // THEN the environment name matches the file name, and its stacks pass every policy rule
    expect(`${deployment.config.environment}.yaml`).toBe(file);
    const app = new App({ outdir: join(DIR, '.never-written'), stackTraces: false });
    addCentralAuthStacks(app, deployment, { policyLog: () => {} });
    const report = evaluatePolicy(app);
    expect([...report.violations, ...report.suppressionErrors]).toEqual([]);
  });
});
