// The bounds the schema shows editors are the bounds the app enforces: for every bounded setting,
// the validator refuses one below the schema's minimum and one above its maximum, with the same
// numbers in its message, and has no range complaint at the bounds themselves.
import * as fs from 'fs';
import { EXAMPLE_CONFIG } from '../../modules/config/example';
import { prepareConfig } from '../../modules/config/load';
import { SCHEMA_FILE } from '../../scripts/schema';
import { problemLines } from '../helpers';

type Node = { $ref?: string; properties?: Record<string, Node>; items?: Node; anyOf?: Node[]; minimum?: number; maximum?: number };
const schema = JSON.parse(fs.readFileSync(SCHEMA_FILE, 'utf8')) as Node & { definitions: Record<string, Node> };
const deref = (n: Node | undefined): Node | undefined => (n?.$ref ? deref(schema.definitions[n.$ref.split('/').pop()!]) : n);

/** The schema node of a dotted path (`[]` steps into list items; unions are searched). */
function nodeAt(path: string): Node | undefined {
  let nodes: Node[] = [schema];
  for (const step of path.split('.')) {
    const list = step.endsWith('[]');
    const key = list ? step.slice(0, -2) : step;
    nodes = nodes
      .flatMap((n) => [deref(n)!, ...(deref(n)?.anyOf ?? []).map((b) => deref(b)!)])
      .map((n) => n?.properties?.[key])
      .filter((n): n is Node => n !== undefined)
      .map((n) => (list ? deref(deref(n)?.items)! : n));
  }
  return deref(nodes[0]);
}

const SETTINGS: [string, string, (c: any, v: number) => void][] = [
  ['cognito.passwordMinimumLength', 'cognito.passwordMinimumLength', (c, v) => (c.cognito.passwordMinimumLength = v)],
  ['cognito.accessTokenValidityMinutes', 'cognito.accessTokenValidityMinutes', (c, v) => (c.cognito.accessTokenValidityMinutes = v)],
  ['cognito.refreshTokenValidityHours', 'cognito.refreshTokenValidityHours', (c, v) => (c.cognito.refreshTokenValidityHours = v)],
  ['session.timeoutSeconds', 'session.timeoutSeconds', (c, v) => (c.session = { timeoutSeconds: v })],
  ['alb.idleTimeoutSeconds', 'alb.idleTimeoutSeconds', (c, v) => (c.alb = { idleTimeoutSeconds: v })],
  ['alb.accessLogs.expireDays', 'alb.accessLogs.expireDays', (c, v) => (c.alb = { accessLogs: { create: true, expireDays: v } })],
  ['quotas.listenerRulesPerAlb', 'quotas.listenerRulesPerAlb', (c, v) => (c.quotas = { listenerRulesPerAlb: v })],
  ['quotas.certificatesPerAlb', 'quotas.certificatesPerAlb', (c, v) => (c.quotas = { certificatesPerAlb: v })],
  ['quotas.callbackUrlsPerAppClient', 'quotas.callbackUrlsPerAppClient', (c, v) => (c.quotas = { callbackUrlsPerAppClient: v })],
  ['quotas.domainsPerCertificate', 'quotas.domainsPerCertificate', (c, v) => (c.quotas = { domainsPerCertificate: v })],
  ['waf.rateLimitPer5Min', 'waf.rateLimitPer5Min', (c, v) => (c.waf = { rateLimitPer5Min: v })],
  [
    'machineClients[].accessTokenValidityMinutes',
    'machineClients[0] (ci).accessTokenValidityMinutes',
    (c, v) => (c.machineClients = [{ name: 'ci', scopes: ['x'], accessTokenValidityMinutes: v }]),
  ],
];

/** The range complaints about `field` when the example holds `value` there. */
function rangeProblems(field: string, set: (c: any, v: number) => void, value: number): string[] {
  const config = structuredClone(EXAMPLE_CONFIG) as any;
  set(config, value);
  return problemLines(() => prepareConfig(config)).filter((l) => l.startsWith(`${field}: `) && l.includes('must be between'));
}

test('every bounded number of the schema is in this table', () => {
  const bounded: string[] = [];
  const walk = (node: Node | undefined, at: string, depth: number): void => {
    const n = deref(node);
    if (!n || depth > 8) return;
    if (n.minimum !== undefined || n.maximum !== undefined) bounded.push(at);
    for (const [k, v] of Object.entries(n.properties ?? {})) walk(v, at ? `${at}.${k}` : k, depth + 1);
    if (n.items) walk(n.items, `${at}[]`, depth + 1);
    for (const b of n.anyOf ?? []) walk(b, at, depth + 1);
  };
  walk(schema, '', 0);
  expect([...new Set(bounded)].sort()).toEqual(SETTINGS.map(([path]) => path).sort());
});

test.each(SETTINGS)('%s: the validator enforces exactly the schema bounds', (path, field, set) => {
  // GIVEN the bounds the schema states
  const node = nodeAt(path)!;
  const [min, max] = [node.minimum!, node.maximum!];
  expect([typeof min, typeof max]).toEqual(['number', 'number']);
  // THEN the bounds themselves pass the range rule, and one step outside fails it with the same numbers
  expect(rangeProblems(field, set, min)).toEqual([]);
  expect(rangeProblems(field, set, max)).toEqual([]);
  for (const outside of [min - 1, max + 1])
    expect(rangeProblems(field, set, outside)).toEqual([`${field}: ${outside} must be between ${min} and ${max}`]);
});
