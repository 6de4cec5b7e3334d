// The managed web ACL's rules judged as WAF judges them: a small evaluator of the statements the
// construct writes (byte match, geo match, label match, and/or/not, in priority order, a count
// adding its labels: WAF developer guide, "How labeling works"), run on the requests that matter.
import { ALB_BACKCHANNEL_PATHS, BEARER_LABEL, SIGN_IN_PATHS } from '../../modules/constructs/web-acl';
import type { CentralAuthConfig } from '../../modules/config/types';
import { EXAMPLE_CONFIG } from '../../modules/config/example';
import { configWith, problemLines, resourcesOf, synthAll } from '../helpers';

interface Request {
  readonly path: string;
  readonly country: string;
  readonly headers: Readonly<Record<string, string>>;
}

const transform = (value: string, rules: { type: string }[]) => (rules.some((t) => t.type === 'LOWERCASE') ? value.toLowerCase() : value);

function field(req: Request, f: any): string | undefined {
  if (f.uri_path) return req.path;
  if (f.single_header) return req.headers[f.single_header.name];
  throw new Error(`field ${JSON.stringify(f)} is not modelled`);
}

/** Whether a statement matches, given the labels earlier rules added. */
function matches(s: any, req: Request, labels: Set<string>): boolean {
  if (s.and_statement) return s.and_statement.statement.every((x: any) => matches(x, req, labels));
  if (s.or_statement) return s.or_statement.statement.some((x: any) => matches(x, req, labels));
  if (s.not_statement) return !matches(s.not_statement.statement, req, labels);
  if (s.geo_match_statement) return s.geo_match_statement.country_codes.includes(req.country);
  if (s.label_match_statement) return s.label_match_statement.scope === 'LABEL' && labels.has(s.label_match_statement.key);
  if (s.byte_match_statement) {
    const b = s.byte_match_statement;
    const value = field(req, b.field_to_match);
    if (value === undefined) return false;
    const v = transform(value, b.text_transformation);
    if (b.positional_constraint === 'STARTS_WITH') return v.startsWith(b.search_string);
    if (b.positional_constraint === 'EXACTLY') return v === b.search_string;
    throw new Error(`constraint ${b.positional_constraint} is not modelled`);
  }
  throw new Error(`statement ${Object.keys(s)} is not modelled`);
}

/** The first terminating rule that matches (rate rule: its scope, as if the address were over the limit). */
function verdict(rules: any[], req: Request, overRateLimit = false): string {
  const labels = new Set<string>();
  for (const rule of [...rules].sort((a, b) => a.priority - b.priority)) {
    if (rule.statement.managed_rule_group_statement) continue;
    const rate = rule.statement.rate_based_statement;
    const hit = rate ? overRateLimit && matches(rate.scope_down_statement, req, labels) : matches(rule.statement, req, labels);
    if (!hit) continue;
    for (const l of rule.rule_label ?? []) labels.add(l.name);
    if (rule.action.block) return `blocked by ${rule.name}`;
  }
  return 'allowed';
}

/** Logical statements stacked above a leaf, the deepest path. */
function depth(s: any): number {
  const inner = s.and_statement?.statement ?? s.or_statement?.statement ?? (s.not_statement ? [s.not_statement.statement] : undefined);
  return inner ? 1 + Math.max(...inner.map(depth)) : 0;
}

const API = { name: 'api', host: 'api.dev.example.com', access: 'protected' as const, bearerTokens: { scopes: ['read'] } };
const withApi = (waf: CentralAuthConfig['waf']) =>
  configWith({ apps: [...EXAMPLE_CONFIG.apps, API], machineClients: [{ name: 'ci', scopes: ['read'] }], waf });
const aclOf = (tf: any) => resourcesOf(tf.edge, 'aws_wafv2_web_acl')[0]!;

const browser = (path: string, country = 'DE', host = 'grafana.dev.example.com'): Request => ({ path, country, headers: { host } });
const bearer = (host: string, country: string): Request => ({
  path: '/v1/items',
  country,
  headers: { host, authorization: 'Bearer eyJ.x.y' },
});

describe('the per-IP rate limit', () => {
  // GIVEN the default managed web ACL
  const rules = aclOf(synthAll().tf).rule;

  test.each([
    ['the ALB calling the token endpoint', '/oauth2/token', 'allowed'],
    ['the ALB calling the user info endpoint', '/oauth2/userInfo', 'allowed'],
    ['a browser on the authorize endpoint', '/oauth2/authorize', 'blocked by rate-limit-per-ip'],
    ['the ALB callback', '/oauth2/idpresponse', 'blocked by rate-limit-per-ip'],
    ['a password form', '/login', 'blocked by rate-limit-per-ip'],
    ['a dashboard', '/d/abc', 'allowed'],
  ])('an address over the limit: %s (%s) is %s', (_what, path, expected) => {
    // WHEN one address is over the limit THEN only the sign-in paths, never the back channel, are limited
    expect(verdict(rules, browser(path), true)).toBe(expected);
  });

  test('the scope-down statement fits the provider (two logical levels) and names every path', () => {
    const scope = rules[0].statement.rate_based_statement.scope_down_statement;
    expect(depth(scope)).toBeLessThanOrEqual(2);
    expect(scope.and_statement.statement[0].or_statement.statement.map((s: any) => s.byte_match_statement.search_string)).toEqual(
      SIGN_IN_PATHS,
    );
    expect(scope.and_statement.statement.slice(1).map((s: any) => s.not_statement.statement.byte_match_statement.search_string)).toEqual(
      ALB_BACKCHANNEL_PATHS,
    );
  });
});

describe('the country allow-list and bearer-token apps', () => {
  test('refused without an explicit choice; refused where it can never take effect', () => {
    expect(problemLines(() => withApi({ allowCountries: ['DE'] }))).toEqual([
      'waf.bearerTokensFromAnyCountry: (missing) is required with allowCountries and bearer-token apps (api.dev.example.com): the allow-list also blocks calls from code in other countries (CI runners and cloud machines run anywhere); true lets a request with a bearer token to those hosts through (the ALB still verifies the token), false keeps blocking it',
    ]);
    expect(problemLines(() => withApi({ bearerTokensFromAnyCountry: true }))).toEqual([
      'waf.bearerTokensFromAnyCountry: true is only read with allowCountries: without a country allow-list every country is allowed',
    ]);
    expect(problemLines(() => configWith({ waf: { allowCountries: ['DE'], bearerTokensFromAnyCountry: false } }))).toEqual([
      'waf.bearerTokensFromAnyCountry: false is only read when an app has bearerTokens: no app accepts bearer tokens',
    ]);
    expect(problemLines(() => withApi({ mode: 'off', bearerTokensFromAnyCountry: true }))).toContain(
      'waf.bearerTokensFromAnyCountry: true is only read with mode managed (mode is off)',
    );
  });

  describe('true: bearer requests to the API hosts pass, nothing else does', () => {
    const rules = aclOf(synthAll(withApi({ allowCountries: ['DE'], bearerTokensFromAnyCountry: true })).tf).rule;

    test.each([
      ['a browser at home', 'allowed', browser('/d/abc', 'DE')],
      ['a browser abroad', 'blocked by countries-allowed', browser('/d/abc', 'US')],
      ['a CI runner abroad with a token, on the API', 'allowed', bearer('api.dev.example.com', 'US')],
      [
        'the same with the host in capitals and a lower-case scheme',
        'allowed',
        { ...bearer('API.dev.example.com', 'US'), headers: { host: 'API.dev.example.com', authorization: 'bearer x' } },
      ],
      ['a token abroad on a browser app', 'blocked by countries-allowed', bearer('grafana.dev.example.com', 'US')],
      ['the API abroad without a token', 'blocked by countries-allowed', browser('/v1/items', 'US', 'api.dev.example.com')],
      [
        'the API abroad with Basic credentials',
        'blocked by countries-allowed',
        { path: '/', country: 'US', headers: { host: 'api.dev.example.com', authorization: 'Basic eA==' } },
      ],
      [
        'the ALB calling the token endpoint from its region',
        'allowed',
        browser('/oauth2/token', 'IE', 'example-dev-login.auth.eu-west-1.amazoncognito.com'),
      ],
    ])('%s is %s', (_what, expected, req) => {
      expect(verdict(rules, req as Request)).toBe(expected);
    });

    test('the label rule counts before the allow-list, and every statement fits the provider (three logical levels)', () => {
      expect(rules.map((r: any) => [r.name, r.priority, Object.keys(r.action ?? r.override_action)[0]]).slice(0, 3)).toEqual([
        ['rate-limit-per-ip', 0, 'block'],
        ['bearer-from-any-country', 1, 'count'],
        ['countries-allowed', 2, 'block'],
      ]);
      expect(rules[1].rule_label).toEqual([{ name: BEARER_LABEL }]);
      for (const r of rules) if (!r.statement.rate_based_statement) expect(depth(r.statement)).toBeLessThanOrEqual(3);
    });
  });

  test('false: a bearer request abroad is blocked like a browser', () => {
    const rules = aclOf(synthAll(withApi({ allowCountries: ['DE'], bearerTokensFromAnyCountry: false })).tf).rule;
    expect(rules.map((r: any) => r.name)).not.toContain('bearer-from-any-country');
    expect(verdict(rules, bearer('api.dev.example.com', 'US'))).toBe('blocked by countries-allowed');
    expect(verdict(rules, bearer('api.dev.example.com', 'DE'))).toBe('allowed');
  });
});

test('true is refused for a bearer app with public paths: a bearer header would open them to every country unchecked', () => {
  const api = { ...API, publicPaths: ['/healthz'] };
  expect(
    problemLines(() =>
      configWith({
        apps: [...EXAMPLE_CONFIG.apps, api],
        machineClients: [{ name: 'ci', scopes: ['read'] }],
        waf: { allowCountries: ['DE'], bearerTokensFromAnyCountry: true },
      }),
    ),
  ).toEqual([
    'waf.bearerTokensFromAnyCountry: true would let a request with any bearer header reach the public paths of api.dev.example.com (/healthz) from every country: the ALB forwards public paths before it checks a token; serve them from another host, or set false',
  ]);
});
