import { EXAMPLE_CONFIG } from '../../../modules/config/example';
import { terraformLiteral } from '../../../modules/config/strings';
import { configWith } from '../../helpers';
import { buildApp } from '../apps';
import { findingsOf, type FailCase, type PassCase } from '../helpers';

/** The example's apps with Grafana's allowedGroups left out. */
const openGrafana = EXAMPLE_CONFIG.apps.map(({ allowedGroups, ...app }) => (app.workload === 'grafana' ? app : { ...app, allowedGroups }));

describe('identity rules', () => {
  // GIVEN the example as built
  const example = buildApp(configWith()).app;
  // GIVEN the example whose router loses its global auth and whose verifier forgets a host and a group
  const config = configWith();
  const tampered = buildApp(config, ({ cluster }) => {
    // cdktf appends an overriding list; in Helm the later document wins.
    cluster.ingressNginx.addOverride('values', ['controller:\n  config:\n    global-auth-url: ""\n']);
    const hosts = {
      'grafana.dev.example.com': { app: 'grafana', allowedGroups: ['grafana-admins'], publicPaths: [], forwardAccessToken: true },
    };
    const json = JSON.stringify({ region: 'eu-west-1', hosts, publicHosts: [], signoutPath: '/_auth/signout' });
    (cluster.verifier.node.findChild('code') as unknown as { addOverride(p: string, v: unknown): void }).addOverride('data', {
      'config.json': terraformLiteral(json),
    });
  }).app;
  // GIVEN Grafana open to every user, with and without a written reason
  const open = configWith({ apps: openGrafana });
  const openApp = buildApp(open).app;
  const reason = 'Every user of this pool is on the platform team, the audience of every dashboard.';
  const suppressed = configWith({
    apps: openGrafana,
    suppressions: [...EXAMPLE_CONFIG.suppressions!, { rule: 'SENSITIVE_APP_GROUPS', reason }],
  });
  const suppressedApp = buildApp(suppressed).app;

  // GIVEN Traefik alone, and a Traefik whose web entry point asks nothing
  const traefikConfig = configWith({ router: 'traefik' });
  const traefikApp = buildApp(traefikConfig).app;
  const unguarded = buildApp(traefikConfig, ({ cluster }) => {
    cluster.traefik!.release.addOverride('values', ['ports:\n  web:\n    http:\n      middlewares: []\n']);
  }).app;

  // WHEN the policy runs on each, with its config
  const found = [
    ...findingsOf(tampered, { config }).map(([r, p, m]): [string, string, string] => [r, `tampered:${p}`, m]),
    ...findingsOf(openApp, { config: open }).map(([r, p, m]): [string, string, string] => [r, `open:${p}`, m]),
    ...findingsOf(unguarded, { config: traefikConfig }).map(([r, p, m]): [string, string, string] => [r, `unguarded:${p}`, m]),
  ];

  const fails: FailCase[] = [
    [
      'VERIFIER_COVERAGE',
      'the router asks no verifier',
      'tampered:cluster/ingress-nginx',
      'controller.config.global-auth-url is "", must be the verifier\'s /verify URL',
    ],
    [
      'VERIFIER_COVERAGE',
      'a protected host is missing from the verifier',
      'tampered:cluster/verifier/code',
      `protected host "echo.dev.example.com" is missing from the verifier's hosts`,
    ],
    [
      'VERIFIER_COVERAGE',
      "the verifier's groups differ from the config's",
      'tampered:cluster/verifier/code',
      'host "grafana.dev.example.com" allows ["grafana-admins"] in the verifier, but ["grafana-admins","grafana-editors","grafana-viewers"] in the config',
    ],
    [
      'VERIFIER_COVERAGE',
      "Traefik's web entry point asks no verifier",
      'unguarded:cluster/traefik/release',
      "ports.web.http.middlewares is [], must name a forwardAuth Middleware (extraObjects) that asks the verifier's /verify/traefik with trustForwardHeader false",
    ],
    [
      'ROUTER_RETIRED',
      'the router is ingress-nginx',
      'tampered:cluster/ingress-nginx',
      'ingress-nginx 4.14.5 is retired upstream (March 2026): no releases, no security fixes',
    ],
    [
      'SENSITIVE_APP_GROUPS',
      'Grafana admits every user of the pool',
      'open:cluster/verifier/code',
      'app "grafana" (grafana.dev.example.com) admits every signed-in user of the pool: allowedGroups is empty',
    ],
  ];
  const passes: PassCase[] = [
    ['VERIFIER_COVERAGE', 'the router asks the verifier (the example)', 'cluster/ingress-nginx'],
    ['VERIFIER_COVERAGE', 'Traefik asks the verifier on its web entry point', 'traefik:cluster/traefik/release'],
    ['ROUTER_RETIRED', 'the router is Traefik', 'traefik:cluster/traefik/release'],
    ['ROUTER_RETIRED', 'the ingress-nginx release only keeps the IngressClass', 'traefik:cluster/ingress-nginx'],
    ['VERIFIER_COVERAGE', 'the verifier lists every protected host with its groups (the example)', 'cluster/verifier/code'],
    ['SENSITIVE_APP_GROUPS', 'Grafana is limited to groups (the example)', 'cluster/verifier/code'],
  ];
  // THEN each broken app fails exactly as listed, and the example passes
  const exampleFound = findingsOf(example, { config: configWith() });
  const traefikFound = findingsOf(traefikApp, { config: traefikConfig });
  test.each(passes)('%s passes when %s', (rule, _when, where) => {
    // A `traefik:` path is in the Traefik app, any other in the example
    const [app, found, path] = where.startsWith('traefik:')
      ? [traefikApp, traefikFound, where.slice('traefik:'.length)]
      : [example, exampleFound, where];
    expect(app.node.findAll().map((c) => c.node.path)).toContain(path);
    expect(found.filter(([r, p]) => r === rule && p === path)).toEqual([]);
  });
  test.each(fails)('%s fails when %s', (rule, _when, path, message) => {
    // THEN the rule reports the exact message on the exact construct of that app
    expect(found).toContainEqual([rule, path, message]);
  });

  test('SENSITIVE_APP_GROUPS is switched off by a suppression with a reason', () => {
    expect(findingsOf(suppressedApp, { config: suppressed }).filter(([r]) => r === 'SENSITIVE_APP_GROUPS')).toEqual([]);
  });
});
