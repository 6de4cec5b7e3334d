// docs/verifier.md against verifier/: its files, endpoints, settings with their defaults, the headers it
// answers with, and the exact router settings it shows, which must be what ingressNginxSettings() and
// traefikForwardAuth() return.
import * as fs from 'fs';
import * as path from 'path';
import { parse as parseYaml } from 'yaml';
import { ENV_FIELDS, validateConfig } from '../../verifier/config';
import { HEALTH_PATH, READY_PATH, ROUTER_VERIFY_PATHS, VERIFY_PATH } from '../../verifier/endpoints';
import { RESPONSE_HEADERS } from '../../verifier/headers';
import { ingressNginxSettings } from '../../verifier/ingress-nginx';
import { traefikForwardAuth } from '../../verifier/traefik';
import { fencedBlocks, prose, ROOT, readDoc } from './markdown';

const doc = readDoc('docs/verifier.md');
const VERIFIER = path.join(ROOT, 'verifier');
/** The placeholders the doc writes for the verifier's Service. */
const WHERE = { namespace: '<namespace>', service: '<service>', port: '<port>' as unknown as number };
const NUMBERS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];

/** The first column of the table under `header`, each code span of it. */
function firstColumn(header: string): string[] {
  const lines = prose(doc).split('\n');
  const start = lines.indexOf(header);
  if (start < 0) throw new Error(`docs/verifier.md has no table ${header}`);
  const rows = lines.slice(start + 2);
  return rows
    .slice(
      0,
      rows.findIndex((l) => !l.startsWith('|')),
    )
    .flatMap((l) => [...l.split(' | ')[0]!.matchAll(/`([^`]+)`/g)].map((m) => m[1]!));
}

/** A config with only what is required, and what the verifier makes of the rest. */
const MINIMAL = {
  region: 'eu-west-1',
  albArns: ['arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/dev-central-auth/*'],
  issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc',
  clientIds: ['1example23456789abcdefghij'],
  hosts: { 'a.example.com': { app: 'a' } },
};

test('the file table names every file of verifier/ and no other', () => {
  const files = fs.readdirSync(VERIFIER).filter((f) => f.endsWith('.js'));
  expect(firstColumn('| file | concern |').sort()).toEqual(files.sort());
});

test('the endpoints are the server paths', () => {
  expect(firstColumn('| path | answer |').sort()).toEqual(
    [VERIFY_PATH, ...Object.values(ROUTER_VERIFY_PATHS), HEALTH_PATH, READY_PATH, '/', 'X-Code'].sort(),
  );
});

describe('settings', () => {
  const fileFields = firstColumn('| field | default | rule |');
  const envRows = prose(doc)
    .split('\n')
    .filter((l) => /^\| `[A-Z_]+`(, `[A-Z_]+`)? \| /.test(l))
    .map((l) => l.split(' | ').map((c) => c.replace(/^\| /, '').replace(/`/g, '')));

  test('config.json and the environment together are every setting the verifier knows', () => {
    // GIVEN the settings the verifier names when it refuses an unknown one
    let known: string[] = [];
    try {
      validateConfig({ ...MINIMAL, bogus: true });
    } catch (err) {
      known = /known: ([^)]+)\)/.exec((err as Error).message)![1]!.split(', ');
    }
    const fromEnvironment = envRows.map((r) => r[1]).filter((f): f is string => f !== undefined && f !== '–');
    // THEN the doc documents exactly those
    expect([...new Set([...fileFields, ...fromEnvironment])].sort()).toEqual([...known].sort());
  });

  test('the environment variables are the ones the verifier reads, for the fields it says', () => {
    for (const [field, variable] of ENV_FIELDS) expect(envRows).toContainEqual(expect.arrayContaining([variable, field]));
  });

  test.each([
    'clockSkewSeconds',
    'keyFetchTimeoutMs',
    'keyCacheSize',
    'jwksRefetchSeconds',
    'tokenCacheEntries',
    'tokenCacheMegabytes',
  ])('%s defaults to what the doc says', (field) => {
    const row = prose(doc)
      .split('\n')
      .find((l) => l.startsWith(`| \`${field}\` | `))!;
    expect(row.split(' | ')[1]).toBe(String((validateConfig(MINIMAL) as unknown as Record<string, number>)[field]));
  });
});

test('the response headers are the ones the router takes from the verifier', () => {
  expect(firstColumn('| response header | value |')).toEqual([...RESPONSE_HEADERS]);
});

describe('the router settings it shows', () => {
  const yaml = fencedBlocks(doc).filter((b) => b.lang === 'yaml');

  test("ingress-nginx's are what ingressNginxSettings() returns", () => {
    // GIVEN the two blocks: the chart values, and the one snippet
    const values = yaml.map((b) => parseYaml(b.body) as Record<string, any>);
    const chart = values.find((v) => v.controller)!.controller;
    const snippet = values.find((v) => v['global-auth-snippet'] !== undefined)!;
    // THEN together they are the settings, to the character
    const settings = ingressNginxSettings(WHERE);
    expect({ ...chart.config, ...snippet }).toEqual(settings.config);
    expect(chart.extraArgs).toEqual(settings.extraArgs);
  });

  test("Traefik's are what traefikForwardAuth() returns", () => {
    const block = yaml.map((b) => parseYaml(b.body) as Record<string, any>).find((v) => v.forwardAuth)!.forwardAuth;
    const settings = traefikForwardAuth(WHERE);
    expect({ address: block.address, trustForwardHeader: block.trustForwardHeader }).toEqual({
      address: settings.address,
      trustForwardHeader: settings.trustForwardHeader,
    });
    expect(block.authResponseHeaders).toEqual([
      `the ${NUMBERS[settings.authResponseHeaders.length]} headers of global-auth-response-headers above`,
    ]);
    expect(settings.authResponseHeaders).toEqual(ingressNginxSettings(WHERE).config['global-auth-response-headers']!.split(','));
  });

  test('apps are told to read only the identity headers', () => {
    const identity = RESPONSE_HEADERS.filter((h) => h.startsWith('X-Auth-Request-'));
    expect(doc).toContain(`so apps must read only the ${NUMBERS[identity.length]} above`);
  });
});
