import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { stringify } from 'yaml';
import { EXAMPLE_CONFIG } from '../../modules/config/example';
import { CONFIG_ENV_VAR, loadConfigFile } from '../../modules/config/load';
import { loadConfig } from '../../modules/config/select';
import { ConfigError } from '../../modules/config/errors';
import { pathPatternToRegExp } from '../../modules/config/patterns';
import { validateConfig } from '../../modules/config/validate';

/** Runs the validator on the example with a change and returns its message ('' when valid). */
function problemsWith(change: (c: any) => void): string {
  const config = structuredClone(EXAMPLE_CONFIG) as any;
  change(config);
  try {
    validateConfig(config);
    return '';
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
}

describe('config validation', () => {
  test('the embedded example is valid and resolves defaults', () => {
    // GIVEN the example, selected by name
    // WHEN it is loaded
    const config = loadConfig({ [CONFIG_ENV_VAR]: 'example' });
    // THEN defaults are applied and apps are sorted by host
    expect(config.session).toEqual({
      cookieName: 'AWSELBAuthSessionCookie',
      timeoutSeconds: 28800,
      signoutPath: '/_auth/signout',
      signoutConcurrency: 10,
    });
    expect(config.alb.deletionProtection).toBe(true);
    expect(config.cognito.passwordMinimumLength).toBe(12);
    expect(config.apps.map((a) => a.host)).toEqual(['echo.dev.example.com', 'grafana.dev.example.com', 'status.dev.example.com']);
  });

  test('fails when a host is listed twice', () => {
    const message = problemsWith((c) => c.apps.push({ name: 'echo2', host: 'echo.dev.example.com', access: 'protected' }));
    expect(message).toContain(
      'apps[3] (echo2).host: "echo.dev.example.com" is already used by apps[1] (echo); each host belongs to one app',
    );
  });

  test('fails when a host is both public and protected', () => {
    const message = problemsWith((c) => c.apps.push({ name: 'echo-public', host: 'echo.dev.example.com', access: 'public' }));
    expect(message).toContain('is already used by apps[1] (echo) and cannot be both public and protected');
  });

  test('fails when a host is outside the zone', () => {
    const message = problemsWith((c) => (c.apps[1].host = 'echo.prod.example.com'));
    expect(message).toContain('apps[1] (echo).host: "echo.prod.example.com" is outside the zone "dev.example.com"');
  });

  test.each([
    ['Echo.dev.example.com', 'must be lowercase'],
    ['*.dev.example.com', 'is not a valid host name'],
    ['-echo.dev.example.com', 'is not a valid host name'],
    ['echo..dev.example.com', 'is not a valid host name'],
    [`${'a'.repeat(64)}.dev.example.com`, 'is not a valid host name'],
  ])('fails when the host name %s is invalid', (host, rule) => {
    expect(problemsWith((c) => (c.apps[1].host = host))).toContain(`apps[1] (echo).host: ${JSON.stringify(host)} ${rule}`);
  });

  test.each(['my-aws-login', 'amazonauth', 'cognito-dev'])('fails when the Cognito domain prefix %s contains a reserved word', (prefix) => {
    expect(problemsWith((c) => (c.cognito.domainPrefix = prefix))).toMatch(
      /cognito\.domainPrefix: ".*" must not contain the reserved word "(aws|amazon|cognito)"/,
    );
  });

  test('fails when a key is unknown', () => {
    expect(problemsWith((c) => (c.apps[0].hostname = 'x'))).toContain(
      'apps[0] (grafana).hostname: "x" is not a known setting of apps[0] (grafana)\n    fix: rename it to host',
    );
    expect(problemsWith((c) => (c.regoin = 'eu-west-1'))).toContain('regoin: "eu-west-1" is not a known setting');
  });

  test('fails when a public app lists public paths', () => {
    expect(problemsWith((c) => (c.apps[2].publicPaths = ['/x']))).toContain(
      'apps[2] (status).publicPaths: ["/x"] is only allowed on protected apps',
    );
  });

  test('fails when a public path overlaps the sign-out path', () => {
    expect(problemsWith((c) => (c.apps[0].publicPaths = ['/_auth/*']))).toContain(
      'apps[0] (grafana).publicPaths[0]: "/_auth/*" overlaps the reserved sign-out path "/_auth/signout"',
    );
  });

  test('fails when Grafana is public', () => {
    expect(problemsWith((c) => ((c.apps[0].access = 'public'), delete c.apps[0].publicPaths))).toContain(
      'apps[0] (grafana).access: "public" must be "protected" for Grafana',
    );
  });

  test('fails when a suppression has no real reason', () => {
    expect(problemsWith((c) => (c.suppressions = [{ rule: 'ALB_WAF', reason: 'n/a' }]))).toContain(
      'suppressions[0] (ALB_WAF).reason: "n/a" must explain in at least 20 characters',
    );
  });

  test('reports every problem at once', () => {
    // GIVEN three independent mistakes
    const message = problemsWith((c) => {
      c.region = 'Europe';
      c.publicSubnetIds = ['subnet-0a1b2c3d4e5f60001'];
      c.apps[1].access = 'private';
    });
    // THEN all three are named, with field and value
    expect(message).toMatch(/^Invalid config \(3 problems\):/);
    expect(message).toContain('region: "Europe" must be an AWS region code');
    expect(message).toContain('publicSubnetIds: ["subnet-0a1b2c3d4e5f60001"] must list at least two subnets');
    expect(message).toContain('apps[1] (echo).access: "private" must be one of "protected", "public"');
  });

  test('ALB path patterns match like the ALB does', () => {
    expect(pathPatternToRegExp('/api/*').test('/api/v1/x')).toBe(true);
    expect(pathPatternToRegExp('/a?c').test('/abc')).toBe(true);
    expect(pathPatternToRegExp('/a.c').test('/abc')).toBe(false);
  });
});

describe('config files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'central-auth-config-'));
  const custom = { ...structuredClone(EXAMPLE_CONFIG), environment: 'qa' };

  test('loads YAML and JSON files named by the environment variable', () => {
    // GIVEN the same config as YAML and as JSON
    const yamlFile = join(dir, 'c.yaml');
    const jsonFile = join(dir, 'c.json');
    writeFileSync(yamlFile, stringify(custom));
    writeFileSync(jsonFile, JSON.stringify(custom));
    // WHEN each is selected through CENTRAL_AUTH_CONFIG
    // THEN both resolve to the same config
    expect(loadConfig({ [CONFIG_ENV_VAR]: yamlFile }).environment).toBe('qa');
    expect(loadConfig({ [CONFIG_ENV_VAR]: jsonFile })).toEqual(loadConfig({ [CONFIG_ENV_VAR]: yamlFile }));
  });

  test('fails when the file does not exist', () => {
    expect(() => loadConfigFile(join(dir, 'missing.yaml'))).toThrow(/CENTRAL_AUTH_CONFIG: ".*missing\.yaml" cannot be read \(ENOENT\)/);
  });

  test('fails when the file is not valid YAML', () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'apps: [unclosed');
    expect(() => loadConfigFile(file)).toThrow(/ - bad\.yaml \(line \d+, column \d+\): is not valid YAML: /);
  });

  test('names the file in validation errors', () => {
    const file = join(dir, 'invalid.json');
    writeFileSync(file, JSON.stringify({ ...custom, environment: 'QA' }));
    expect(() => loadConfigFile(file)).toThrow(
      /Invalid config .*invalid\.json \(1 problem\):\n  - environment \(line 1, column \d+\): "QA" must be 2-16 lowercase/,
    );
  });
});
