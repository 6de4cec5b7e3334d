import { prepareDeployment } from '../../modules/deployment';
import { appCommand, generateConfig, parseArgs, stats } from '../../scripts/bench';

describe('benchmark inputs', () => {
  test.each([1, 10, 100, 500])('the generated %i-app config is valid and fits its quotas', (n) => {
    // GIVEN the config the benchmark synthesizes WHEN it is prepared like a user's file THEN it is accepted
    const { config } = prepareDeployment(generateConfig(n));
    expect(config.apps).toHaveLength(n);
    expect(new Set(config.apps.map((a) => a.access))).toEqual(n >= 10 ? new Set(['protected', 'public']) : new Set(['protected']));
  });

  test('measures the same command cdktf synth runs', () => {
    expect(appCommand()).toBe(require('../../cdktf.json').app);
  });

  test('fails when an option is malformed', () => {
    expect(() => parseArgs(['--runs', '0'])).toThrow('--runs needs a whole number ≥ 1, got "0"');
    expect(() => parseArgs(['--merge', '[1]'])).toThrow('--merge needs a JSON object');
  });

  test('reports the median and range', () => {
    expect(stats([30, 10, 20])).toMatchObject({ median: 20, min: 10, max: 30 });
    expect(stats([])).toBeUndefined();
  });
});
