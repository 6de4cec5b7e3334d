import { prepareConfig } from '../../modules/config/load';
import { EXAMPLE_CONFIG } from '../../modules/config/example';
import type { AppConfig } from '../../modules/config/types';
import { PRIORITY_RANGES, planRouting } from '../../modules/plan/routing';

const routingOf = (apps: AppConfig[], callbackUrlsPerAppClient = 100) =>
  planRouting({ apps: prepareConfig({ ...EXAMPLE_CONFIG, apps }).apps, callbackUrlsPerAppClient });

describe('deny paths', () => {
  // GIVEN a browser app whose API paths answer 401, with a health check that stays public
  const routing = routingOf([
    { name: 'app', host: 'app.dev.example.com', access: 'protected', denyPaths: ['/api/*', '/graphql'], publicPaths: ['/api/health'] },
  ]);

  test("get a rule that signs in with the host's own app client, after the public paths and before host-wide rules", () => {
    const deny = routing.rules.filter((r) => r.kind === 'deny-paths');
    expect(deny.map((r) => ({ key: r.key, hosts: r.hosts, paths: r.paths, client: r.client }))).toEqual([
      { key: 'deny-app.dev.example.com-0', hosts: ['app.dev.example.com'], paths: ['/api/*', '/graphql'], client: 'alb' },
    ]);
    const [publicPath] = routing.rules.filter((r) => r.kind === 'public-paths');
    // THEN /api/health matches its public rule before the /api/* deny rule
    expect(publicPath!.priority).toBeLessThan(deny[0]!.priority);
    expect(deny[0]!.priority).toBeGreaterThanOrEqual(PRIORITY_RANGES.denyPaths.first);
    expect(deny[0]!.priority).toBeLessThan(PRIORITY_RANGES.hosts.first);
  });
});

describe('app clients', () => {
  test('are keyed by hash group; a group with no host has no client and nothing else moves', () => {
    // GIVEN five protected hosts and a callback quota of two URLs per client
    const apps = Array.from({ length: 5 }, (_, i) => ({ name: `a${i}`, host: `a${i}.dev.example.com`, access: 'protected' as const }));
    const routing = routingOf(apps, 2);
    // THEN every host has exactly one client, clients hold at most two hosts, keys follow groups
    expect(routing.clients.flatMap((c) => c.hosts).sort()).toEqual(apps.map((a) => a.host).sort());
    for (const c of routing.clients) {
      expect(c.hosts.length).toBeLessThanOrEqual(2);
      expect(c.key).toBe(c.group === 0 ? 'alb' : `alb-${c.group}`);
    }
    // AND hosts of every client but the first sign in through a rule naming their client
    const ruled = routing.rules.filter((r) => r.kind === 'client-hosts');
    expect(ruled.flatMap((r) => r.hosts).sort()).toEqual(
      routing.clients
        .slice(1)
        .flatMap((c) => c.hosts)
        .sort(),
    );
    for (const rule of ruled) expect(rule.hosts.every((h) => routing.hostClients.get(h) === rule.client)).toBe(true);
  });

  test('a quota of one URL per client plans every host on its own client', () => {
    const apps = Array.from({ length: 6 }, (_, i) => ({ name: `b${i}`, host: `b${i}.dev.example.com`, access: 'protected' as const }));
    const routing = routingOf(apps, 1);
    expect(routing.clients.every((c) => c.hosts.length === 1)).toBe(true);
    expect(routing.clients).toHaveLength(6);
  });
});
