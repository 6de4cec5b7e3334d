import { EXAMPLE_CONFIG } from '../../modules/config/example';
import type { AppConfig } from '../../modules/config/types';
import { defaultCertificateKey } from '../../modules/plan/certificates';
import { planDeployment } from '../../modules/plan/deployment';
import { configWith, configWithFourClients } from '../helpers';

// The plan is tested as a value: no construct is built and nothing is synthesized here.
describe('planDeployment on the embedded example', () => {
  // GIVEN the example config WHEN it is planned once
  const plan = planDeployment(configWith());

  test('the auth slice has one app client, keyed "alb", registering every protected host', () => {
    expect(plan.auth.clients).toEqual([{ key: 'alb', group: 0, hosts: ['echo.dev.example.com', 'grafana.dev.example.com'] }]);
    expect(plan.auth.pool).toMatchObject({ namePrefix: 'dev-central-auth', region: 'eu-west-1', domainPrefix: 'example-dev-login' });
    expect(plan.auth.groups.map((g) => g.name)).toEqual(['grafana-admins', 'grafana-editors', 'grafana-viewers']);
  });

  test('the edge slice has the zone wildcard as its only certificate, the listener default', () => {
    expect(plan.edge.certificates).toEqual([
      {
        key: 'wildcard',
        domainName: '*.dev.example.com',
        subjectAlternativeNames: ['dev.example.com'],
        hosts: ['echo.dev.example.com', 'grafana.dev.example.com', 'status.dev.example.com'],
      },
    ]);
    expect(defaultCertificateKey(plan.edge.certificates)).toBe('wildcard');
  });

  test("the cluster slice names Grafana's app client and role mapping, and the echo samples", () => {
    expect(plan.cluster.grafana).toMatchObject({
      name: 'grafana',
      host: 'grafana.dev.example.com',
      client: 'alb',
      signoutPath: '/_auth/signout',
      storageClassName: 'gp3',
    });
    expect(plan.cluster.grafana?.roleAttributePath).toContain('contains(not_null("cognito:groups", `[]`), `"grafana-admins"`)');
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
    expect(plan.edge.signout.clientKeys).toEqual(['alb']);
    expect([plan.edge.defaultClient, plan.edge.clientKeys]).toEqual(['alb', ['alb']]);
    expect(plan.edge.hosts).toEqual(['echo.dev.example.com', 'grafana.dev.example.com', 'status.dev.example.com']);
  });

  test('the stacks that read the auth contract expect the same app clients, and both get the same NLB addresses', () => {
    expect(plan.cluster.clientKeys).toEqual(plan.auth.clients.map((c) => c.key));
    expect(plan.edge.clientKeys).toEqual(plan.auth.clients.map((c) => c.key));
    expect(plan.edge.nlbTargets).toEqual(plan.cluster.routers[0]!.nlb.map((a) => ({ ...a, router: 'ingress-nginx' })));
    expect(plan.cluster.routers.map((r) => [r.kind, r.inUse])).toEqual([['ingress-nginx', true]]);
    expect(plan.cluster.routers[0]!.nlb).toEqual(plan.cluster.nlb);
    expect(plan.cluster.nlb.map((a) => [a.subnetId, a.privateIp])).toEqual([
      ['subnet-0a1b2c3d4e5f61001', '10.0.31.228'],
      ['subnet-0a1b2c3d4e5f61002', '10.0.47.228'],
    ]);
  });

  test("a router switch: both routers' NLBs in the same reserved /28s, both registered at the ALB, the new one first", () => {
    // GIVEN the example switching to Traefik while ingress-nginx keeps running
    const config = configWith({ router: { use: 'traefik', keep: 'ingress-nginx' } });
    const switching = planDeployment(config);
    // THEN ingress-nginx keeps its address, and Traefik takes the neighbour in the same /28
    expect(switching.cluster.routers.map((r) => [r.kind, r.inUse, r.nlb.map((a) => a.privateIp)])).toEqual([
      ['traefik', true, ['10.0.31.229', '10.0.47.229']],
      ['ingress-nginx', false, ['10.0.31.228', '10.0.47.228']],
    ]);
    expect(new Set(switching.cluster.routers.flatMap((r) => r.nlb.map((a) => a.reservedCidr)))).toEqual(
      new Set(['10.0.31.224/28', '10.0.47.224/28']),
    );
    expect(switching.cluster.nlb).toEqual(plan.cluster.nlb);
    expect(switching.edge.nlbTargets.map((t) => `${t.router} ${t.privateIp}`)).toEqual([
      'traefik 10.0.31.229',
      'traefik 10.0.47.229',
      'ingress-nginx 10.0.31.228',
      'ingress-nginx 10.0.47.228',
    ]);
    expect(switching.cluster.verifier.healthCheckHosts).toEqual(['10.0.31.229', '10.0.47.229']);
    // AND nothing the auth stack is planned with changes
    expect(switching.auth).toEqual(plan.auth);
  });

  test('is immutable, all the way down', () => {
    expect(Object.isFrozen(plan.edge.rules[0])).toBe(true);
    expect(() => (plan.auth.clients as unknown as unknown[]).push({})).toThrow(TypeError);
  });
});

describe('planDeployment with several app clients', () => {
  // GIVEN seven protected hosts on four app clients
  const plan = planDeployment(configWithFourClients());

  test("each protected host signs out through its own client's position in the sign-out function's client list", () => {
    const clientOf = (host: string) => plan.auth.clients.find((c) => c.hosts.includes(host))!.key;
    const hosts = Object.entries(plan.edge.signout.hosts);
    expect(hosts).toHaveLength(7);
    for (const [host, index] of hosts) expect([host, plan.edge.signout.clientKeys[index]]).toEqual([host, clientOf(host)]);
  });

  test("Grafana's tokens are expected from the client that serves its host", () => {
    expect(plan.cluster.grafana!.client).toBe(plan.auth.clients.find((c) => c.hosts.includes('grafana.dev.example.com'))!.key);
    expect(plan.cluster.grafana!.client).not.toBe('alb');
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
      p.edge.certificates.map(({ key, domainName, subjectAlternativeNames }) => [key, domainName, subjectAlternativeNames]);
    expect(names(after)).toEqual(names(before));
  });
});
