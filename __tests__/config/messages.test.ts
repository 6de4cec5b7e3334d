// Fifteen-odd mistakes people make in an environment file, each with the exact message: the item
// as a person reads it, its line and column, and what to change. Each starts from environments/dev.yaml.
import { mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { loadDeploymentFile } from '../../modules/deployment';
import { ROOT } from '../run-main';

// A frozen copy of environments/dev.yaml as it was when the messages were written: line numbers stay put.
const BASE = readFileSync(join(ROOT, '__tests__', 'fixtures', 'messages', 'base.yaml'), 'utf8');
const DIR = mkdtempSync(join(tmpdir(), 'config-messages-'));

/** The message that refuses dev.yaml with `from` replaced by `to` (`<file>` for its path). */
function messageFor(from: string, to: string): string {
  if (!BASE.includes(from)) throw new Error(`environments/dev.yaml no longer holds ${from}: update this case`);
  const file = join(DIR, 'dev.yaml');
  writeFileSync(file, BASE.replace(from, to));
  try {
    loadDeploymentFile(file);
    return '(accepted)';
  } catch (err) {
    return (err as Error).message.split(file).join('<file>');
  }
}

const MISTAKES: [string, string, string, string][] = [
  [
    'a typo in a top-level key',
    'zoneName: dev.example.com',
    'zoneNme: dev.example.com',
    'Invalid config <file> (1 problem):\n  - zoneNme (line 7, column 1): "dev.example.com" is not a known setting of the config\n    fix: rename it to zoneName',
  ],
  [
    'a setting at the wrong level',
    'state: { backend: s3',
    'identityProviders: []\nstate: { backend: s3',
    'Invalid config <file> (1 problem):\n  - identityProviders (line 25, column 1): [] is not a known setting of the config\n    fix: identityProviders belongs under cognito: move it there',
  ],
  [
    'a list written as a map',
    '  - { name: status, host: status.dev.example.com, access: public, workload: echo }',
    '  - { name: status, host: status.dev.example.com, access: public, workload: echo }\n  - status',
    'Invalid config <file> (1 problem):\n  - apps[3] (line 35, column 5): "status" must be an object',
  ],
  [
    'a YAML indentation slip',
    '  mfa: OPTIONAL',
    '   mfa: OPTIONAL',
    "Invalid config <file> (1 problem):\n  - dev.yaml (line 19, column 17): is not valid YAML: Nested mappings are not allowed in compact mappings\n    fix: indent a setting's children under it with spaces, and put one `key: value` on a line",
  ],
  [
    'an unknown group',
    'allowedGroups: [grafana-admins, grafana-editors, grafana-viewers]',
    'allowedGroups: [grafana-admins, Grafana-Editors]',
    'Invalid config <file> (1 problem):\n  - apps[0] (grafana).allowedGroups[1] (line 32, column 37): "Grafana-Editors" is not a group of cognito.groups (configured: "grafana-admins", "grafana-editors", "grafana-viewers"); group names are case-sensitive',
  ],
  [
    'a host outside the zone',
    'host: echo.dev.example.com',
    'host: echo.prod.example.com',
    'Invalid config <file> (1 problem):\n  - apps[1] (echo).host (line 33, column 19): "echo.prod.example.com" is outside the zone "dev.example.com" (hosts must be "dev.example.com" or end with ".dev.example.com")',
  ],
  [
    'a typo in an app key',
    '    workload: grafana\n',
    '    workload: grafana\n    publicPath: [/login]\n',
    'Invalid config <file> (1 problem):\n  - apps[0] (grafana).publicPath (line 31, column 5): ["/login"] is not a known setting of apps[0] (grafana)\n    fix: rename it to publicPaths',
  ],
  [
    'a key in the wrong case',
    '    access: protected\n    workload: grafana',
    '    Access: protected\n    workload: grafana',
    'Invalid config <file> (1 problem):\n  - apps[0] (grafana).Access (line 29, column 5): "protected" is not a known setting of apps[0] (grafana)\n    fix: rename it to access',
  ],
  [
    'a value off its list',
    '  mfa: OPTIONAL',
    '  mfa: optional',
    'Invalid config <file> (1 problem):\n  - cognito.mfa (line 20, column 3): "optional" must be one of "OFF", "OPTIONAL", "ON"',
  ],
  [
    'the same host twice',
    'host: status.dev.example.com',
    'host: echo.dev.example.com',
    'Invalid config <file> (1 problem):\n  - apps[2] (status).host (line 34, column 21): "echo.dev.example.com" is already used by apps[1] (echo) and cannot be both public and protected; each host belongs to one app',
  ],
  [
    'a tab used to indent',
    '  mfa: OPTIONAL',
    '\tmfa: OPTIONAL',
    'Invalid config <file> (1 problem):\n  - dev.yaml (line 20, column 1): is not valid YAML: Tabs are not allowed as indentation\n    fix: indent with spaces: YAML does not allow tabs there',
  ],
  [
    'a country WAF does not know',
    'state: { backend: s3',
    'waf: { allowCountries: [DE, UK] }\nstate: { backend: s3',
    'Invalid config <file> (1 problem):\n  - waf.allowCountries[1] (line 25, column 29): "UK" is not a country code WAF accepts (ISO 3166-1 alpha-2): use "GB"',
  ],
  [
    'an OIDC issuer with the discovery path',
    '  mfa: OPTIONAL',
    '  mfa: OPTIONAL\n  identityProviders:\n    - { name: Okta, type: OIDC, issuer: https://acme.okta.com/.well-known/openid-configuration, clientId: 0oa1, clientSecret: { ssmParameter: /okta/secret } }',
    'Invalid config <file> (1 problem):\n  - cognito.identityProviders[0] (Okta).issuer (line 22, column 33): "https://acme.okta.com/.well-known/openid-configuration" must be the issuer itself, without "/.well-known/openid-configuration": Cognito appends it',
  ],
  [
    'an SSM parameter name without its leading slash',
    '  mfa: OPTIONAL',
    '  mfa: OPTIONAL\n  identityProviders:\n    - { name: Okta, type: OIDC, issuer: https://acme.okta.com, clientId: 0oa1, clientSecret: { ssmParameter: okta/secret } }',
    'Invalid config <file> (1 problem):\n  - cognito.identityProviders[0] (Okta).clientSecret.ssmParameter (line 22, column 96): "okta/secret" must be fully qualified, starting with "/", as a name in a hierarchy must (e.g. "/central-auth/okta-client-secret")',
  ],
  [
    'a number written as text',
    'state: { backend: s3',
    'session: { timeoutSeconds: 8h }\nstate: { backend: s3',
    'Invalid config <file> (1 problem):\n  - session.timeoutSeconds (line 25, column 12): "8h" must be a whole number',
  ],
  [
    'an app setting under the wrong app key',
    '    workload: grafana\n',
    '    workload: grafana\n    groups: [grafana-admins]\n',
    'Invalid config <file> (1 problem):\n  - apps[0] (grafana).groups (line 31, column 5): ["grafana-admins"] is not a known setting of apps[0] (grafana)\n    fix: rename it to allowedGroups',
  ],
];

test.each(MISTAKES)('%s: the exact message names the item, its line and what to change', (_mistake, from, to, expected) => {
  expect(messageFor(from, to)).toBe(expected);
});

test('every message names a line and column', () => {
  for (const [, , , expected] of MISTAKES) expect(expected).toMatch(/\(line \d+, column \d+\)/);
});
