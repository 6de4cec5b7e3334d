import { EXAMPLE_CONFIG } from '../../modules/config/example';
import type { AppConfig } from '../../modules/config/types';
import { planDeployment } from '../../modules/plan/deployment';
import { configWith } from '../helpers';

// The plan is tested as a value: no construct is built and nothing is synthesized here.
describe('planDeployment on the embedded example', () => {
  // GIVEN the example config WHEN it is planned once
  const plan = planDeployment(configWith());

  test('the auth slice has one app client, keyed "alb", registering every protected host', () => {
    expect(plan.auth.clients).toEqual([{ key: 'alb', index: 0, hosts: ['echo.dev.example.com', 'grafana.dev.example.com'] }]);
    expect(plan.auth.pool).toMatchObject({ namePrefix: 'dev-central-auth', region: 'eu-west-1', domainPrefix: 'example-dev-login' });
    expect(plan.auth.groups.map((g) => g.name)).toEqual(['grafana-admins', 'grafana-editors']);
  });

  test('the certs slice has the zone wildcard as its only certificate', () => {
    expect(plan.certs.certificates.map((c) => [c.key, c.domainName, c.subjectAlternativeNames])).toEqual([
      ['wildcard', '*.dev.example.com', ['dev.example.com']],
    ]);
    expect(plan.edge.certificates).toEqual({ defaultKey: 'wildcard', additionalKeys: [] });
  });

  test("the cluster slice names Grafana's app client and role mapping, and the echo samples", () => {
    expect(plan.cluster.grafana).toMatchObject({
      name: 'grafana',
      host: 'grafana.dev.example.com',
      client: 0,
      signoutPath: '/_auth/signout',
    });
    expect(plan.cluster.grafana?.roleAttributePath).toContain("'grafana-admins'");
    expect(plan.cluster.echoApps).toEqual([
      { name: 'echo', host: 'echo.dev.example.com' },
      { name: 'status', host: 'status.dev.example.com' },
    ]);
  });

  test('the edge slice routes the public host and path, and signs out every protected host', () => {
    expect(plan.edge.rules.map((r) => [r.kind, r.hosts, r.paths ?? []])).toEqual([
      ['public-paths', ['grafana.dev.example.com'], ['/api/health']],
      ['public-hosts', ['status.dev.example.com'], []],
    ]);
    expect(plan.edge.signout.hosts).toEqual({ 'echo.dev.example.com': 0, 'grafana.dev.example.com': 0 });
    expect(plan.edge.hosts).toEqual(['echo.dev.example.com', 'grafana.dev.example.com', 'status.dev.example.com']);
  });

  test('is immutable, all the way down', () => {
    expect(Object.isFrozen(plan.edge.rules[0])).toBe(true);
    expect(() => (plan.auth.clients as unknown as unknown[]).push({})).toThrow(TypeError);
  });
});

describe('planDeployment is deterministic', () => {
  test('the order of apps in the file never changes the plan', () => {
    // GIVEN the example's apps, and the same apps reversed
    const reversed = [...EXAMPLE_CONFIG.apps].reverse();
    // WHEN both are planned THEN the plans are equal
    expect(planDeployment(configWith({ apps: reversed }))).toEqual(planDeployment(configWith()));
  });

  test('adding an app leaves every other rule, client and certificate as it was', () => {
    // GIVEN 40 generated apps
    const apps: AppConfig[] = Array.from({ length: 40 }, (_, i) => ({
      name: `app${i}`,
      host: `app${i}.dev.example.com`,
      access: i % 4 === 0 ? ('public' as const) : ('protected' as const),
    }));
    const before = planDeployment(configWith({ apps }));
    // WHEN one public app is added
    const after = planDeployment(configWith({ apps: [...apps, { name: 'new', host: 'new.dev.example.com', access: 'public' }] }));
    // THEN only the rule holding the new host differs; clients and certificate names are untouched
    const key = (r: { key: string; priority: number; hosts: readonly string[] }) => JSON.stringify(r);
    const changed = after.edge.rules.filter((r) => !before.edge.rules.map(key).includes(key(r)));
    expect(changed).toHaveLength(1);
    expect(changed[0]!.hosts).toContain('new.dev.example.com');
    expect(after.auth.clients).toEqual(before.auth.clients);
    const names = (p: typeof before) =>
      p.certs.certificates.map(({ key, domainName, subjectAlternativeNames }) => [key, domainName, subjectAlternativeNames]);
    expect(names(after)).toEqual(names(before));
  });
});
