import { EXAMPLE_CONFIG } from '../../modules/config/example';
import { prepareDeployment } from '../../modules/deployment';
import type { AppConfig, CentralAuthConfig } from '../../modules/config/types';
import { ConfigError } from '../../modules/config/errors';
import { packStable } from '../../modules/plan/packing';
import { planDeployment } from '../../modules/plan/deployment';
import { planRouting } from '../../modules/plan/routing';
import { synthAll, type Synthesized } from '../helpers';

/** `count` apps: every fifth public, every seventh with public paths, every eleventh answering 401 on its API paths. */
function generatedApps(count: number, zone = 'dev.example.com'): AppConfig[] {
  return Array.from({ length: count }, (_, i) => {
    const host = `app${i}.${zone}`;
    if (i % 5 === 0) return { name: `app${i}`, host, access: 'public' as const };
    return {
      name: `app${i}`,
      host,
      access: 'protected' as const,
      ...(i % 7 === 0 ? { publicPaths: ['/healthz', `/hooks/${i}`] } : {}),
      ...(i % 11 === 0 ? { denyPaths: ['/api/*'] } : {}),
    };
  });
}

function configOf(apps: AppConfig[], extra: Partial<CentralAuthConfig> = {}) {
  // The plan and its quota check run too, as for a user's file.
  return prepareDeployment(structuredClone({ ...EXAMPLE_CONFIG, apps, ...extra })).config;
}

/** Every resource, data source and output as `stack/kind.type.name` → JSON, for diffs. */
function inventory(s: Synthesized): Map<string, string> {
  const all = new Map<string, string>();
  for (const [stack, tf] of Object.entries(s.tf)) {
    for (const kind of ['resource', 'data'] as const) {
      for (const [type, byName] of Object.entries(tf[kind] ?? {})) {
        for (const [name, body] of Object.entries(byName)) all.set(`${stack}/${kind}.${type}.${name}`, JSON.stringify(body));
      }
    }
    for (const [name, body] of Object.entries(tf.output ?? {})) all.set(`${stack}/output.${name}`, JSON.stringify(body));
  }
  return all;
}

function changes(before: Map<string, string>, after: Map<string, string>): { added: string[]; removed: string[]; changed: string[] } {
  return {
    added: [...after.keys()].filter((k) => !before.has(k)).sort(),
    removed: [...before.keys()].filter((k) => !after.has(k)).sort(),
    changed: [...after.keys()].filter((k) => before.has(k) && before.get(k) !== after.get(k)).sort(),
  };
}

/**
 * The verifier's config.json names every host, and its pods roll (one at a time, PDB-guarded) to
 * read it: both are updated in place, never replaced.
 */
const VERIFIER_CHANGES = [
  expect.stringMatching(/^cluster\/resource\.kubernetes_config_map_v1\.verifier_code_/),
  expect.stringMatching(/^cluster\/resource\.kubernetes_deployment_v1\.verifier_deployment_/),
];

describe('adding one app changes only what that app needs', () => {
  // GIVEN 40 generated apps, synthesized once
  const base = generatedApps(40);
  const before = inventory(synthAll(configOf(base)));

  test('a protected app: its callback URL, its sign-out entry and its alias record', () => {
    // WHEN one protected app is added
    const after = inventory(synthAll(configOf([...base, { name: 'newapp', host: 'newapp.dev.example.com', access: 'protected' }])));
    const diff = changes(before, after);
    // THEN the new alias is the only new resource, and only the shared lists that name it change: the
    // zone wildcard already covers the host, and the contracts name client keys, not hosts, so no
    // certificate, outputs_contract or upstream_placeholders changes
    expect(diff.removed).toEqual([]);
    expect(diff.added).toEqual(['edge/resource.aws_route53_record.alias-newapp_dev_example_com']);
    expect(diff.changed).toEqual([
      expect.stringMatching(/^auth\/resource\.aws_cognito_user_pool_client\./),
      ...VERIFIER_CHANGES,
      'edge/output.hosts',
      expect.stringMatching(/^edge\/resource\.aws_lambda_function\.signout_function_/),
    ]);
  });

  test('a public app: its alias and only the packed public-host rule of its own bucket', () => {
    const after = inventory(synthAll(configOf([...base, { name: 'newpub', host: 'newpub.dev.example.com', access: 'public' }])));
    const diff = changes(before, after);
    expect(diff.removed).toEqual([]);
    const ruleChanges = [...diff.added, ...diff.changed].filter((k) => k.includes('aws_lb_listener_rule'));
    expect(ruleChanges.length).toBeGreaterThanOrEqual(1);
    expect(ruleChanges.length).toBeLessThanOrEqual(4);
    ruleChanges.forEach((k) => expect(k).toMatch(/routes_public-/));
    expect([...diff.added, ...diff.changed].filter((k) => !ruleChanges.includes(k)).sort()).toEqual([
      ...VERIFIER_CHANGES,
      'edge/output.hosts',
      'edge/resource.aws_route53_record.alias-newpub_dev_example_com',
    ]);
  });

  describe('with per-host certificates', () => {
    // GIVEN 15 of those apps, each host with its own certificate
    const perHost = { certificates: 'per-host' as const, quotas: { certificatesPerAlb: 100 } };
    const few = base.slice(0, 15);
    const beforePerHost = inventory(synthAll(configOf(few, perHost)));

    test('a protected app also adds its own certificate, validated and attached to the listener, and nothing else', () => {
      // WHEN one protected app is added
      const after = inventory(
        synthAll(configOf([...few, { name: 'newapp', host: 'newapp.dev.example.com', access: 'protected' }], perHost)),
      );
      const diff = changes(beforePerHost, after);
      // THEN its certificate comes with the listener in the edge stack; no other certificate moves
      expect(diff.removed).toEqual([]);
      expect(diff.added).toEqual([
        expect.stringMatching(/^edge\/resource\.aws_acm_certificate\.cert-newappdevexamplecom_certificate_[0-9A-F]{8}$/),
        expect.stringMatching(/^edge\/resource\.aws_acm_certificate_validation\.cert-newappdevexamplecom_issued_[0-9A-F]{8}$/),
        'edge/resource.aws_lb_listener_certificate.listener-cert-newapp_dev_example_com',
        'edge/resource.aws_route53_record.alias-newapp_dev_example_com',
        expect.stringMatching(/^edge\/resource\.aws_route53_record\.cert-newappdevexamplecom_validation_[0-9A-F]{8}$/),
      ]);
      expect(diff.changed).toEqual([
        expect.stringMatching(/^auth\/resource\.aws_cognito_user_pool_client\./),
        ...VERIFIER_CHANGES,
        'edge/output.hosts',
        expect.stringMatching(/^edge\/resource\.aws_lambda_function\.signout_function_/),
      ]);
    });
  });
});

describe('routing plan within AWS quotas', () => {
  test('packed rules never exceed five condition values and cover every host once', () => {
    // GIVEN 90 apps
    const config = configOf(generatedApps(90), { quotas: { listenerRulesPerAlb: 200 } });
    // WHEN rules are planned
    const { rules } = planRouting({ apps: config.apps, callbackUrlsPerAppClient: config.quotas.callbackUrlsPerAppClient });
    // THEN every rule fits and every public host and path is routed exactly once
    for (const rule of rules) expect(rule.hosts.length + (rule.paths?.length ?? 0)).toBeLessThanOrEqual(5);
    const publicHosts = rules
      .filter((r) => r.kind === 'public-hosts')
      .flatMap((r) => r.hosts)
      .sort();
    expect(publicHosts).toEqual(
      config.apps
        .filter((a) => a.access === 'public')
        .map((a) => a.host)
        .sort(),
    );
    const paths = rules
      .filter((r) => r.kind === 'public-paths')
      .flatMap((r) => r.paths!.map((p) => `${r.hosts[0]}${p}`))
      .sort();
    expect(paths).toEqual(config.apps.flatMap((a) => a.publicPaths.map((p) => `${a.host}${p}`)).sort());
    // AND every deny path answers 401 through exactly one rule that signs in with its host's client
    const denied = rules.filter((r) => r.kind === 'deny-paths');
    expect(denied.flatMap((r) => r.paths!.map((p) => `${r.hosts[0]}${p}`)).sort()).toEqual(
      config.apps.flatMap((a) => a.denyPaths.map((p) => `${a.host}${p}`)).sort(),
    );
    expect(denied.every((r) => r.client !== undefined && r.hosts.length === 1)).toBe(true);
  });

  test('more than 100 protected hosts are split across app clients of at most 100 each', () => {
    // GIVEN 300 protected apps WHEN they are planned
    const apps = Array.from({ length: 300 }, (_, i) => ({ name: `p${i}`, host: `p${i}.dev.example.com`, access: 'protected' as const }));
    const { auth, edge } = planDeployment(configOf(apps, { quotas: { listenerRulesPerAlb: 1000 } }));
    // THEN several app clients hold at most 100 hosts each, together every host once
    expect(auth.clients.length).toBeGreaterThan(1);
    auth.clients.forEach((c) => expect(c.hosts.length).toBeLessThanOrEqual(100));
    expect(auth.clients.flatMap((c) => c.hosts).sort()).toEqual(apps.map((a) => a.host).sort());
    // AND the hosts of every client but the first are signed in by rules naming their own client
    const clientRules = edge.rules.filter((r) => r.kind === 'client-hosts');
    expect(clientRules.flatMap((r) => r.hosts).sort()).toEqual(
      auth.clients
        .slice(1)
        .flatMap((c) => c.hosts)
        .sort(),
    );
    for (const rule of clientRules) {
      expect(rule.hosts.every((h) => auth.clients.find((c) => c.key === rule.client)!.hosts.includes(h))).toBe(true);
    }
  });

  test('fails when the listener rules would exceed the ALB quota, naming the quota and the fix', () => {
    // GIVEN 600 public apps (600 hosts / 5 per rule is at least 120 rules) and one protected app
    const apps: AppConfig[] = [
      ...Array.from({ length: 600 }, (_, i) => ({ name: `pub${i}`, host: `pub${i}.dev.example.com`, access: 'public' as const })),
      { name: 'grafana', host: 'grafana.dev.example.com', access: 'protected' },
    ];
    // WHEN the config is prepared THEN it is refused with the quota named
    expect(() => configOf(apps)).toThrow(ConfigError);
    expect(() => configOf(apps)).toThrow(
      /apps: "601 apps" need \d+ ALB listener rules \(sign-out 2, public-hosts \d+\) but the quota "Rules per Application Load Balancer" is 100: ask AWS to raise it and set quotas\.listenerRulesPerAlb/,
    );
    // AND a raised quota lets it through
    expect(() => configOf(apps, { quotas: { listenerRulesPerAlb: 400 } })).not.toThrow();
  });

  test('fails when per-host certificates would exceed the certificates-per-ALB quota', () => {
    const apps = Array.from({ length: 27 }, (_, i) => ({ name: `c${i}`, host: `c${i}.dev.example.com`, access: 'protected' as const }));
    expect(() => configOf(apps, { certificates: 'per-host' })).toThrow(
      'certificates: "per-host" needs 27 certificates but the quota "Certificates per Application Load Balancer" allows 25 besides the default: use certificates: "wildcard" or "grouped"',
    );
  });

  test('grouped certificates hold at most the domains-per-certificate quota', () => {
    const config = configOf(generatedApps(120), { certificates: 'grouped', quotas: { listenerRulesPerAlb: 200 } });
    const { certificates } = planDeployment(config).edge;
    certificates.forEach((c) => expect(1 + c.subjectAlternativeNames.length).toBeLessThanOrEqual(10));
    expect(certificates.flatMap((c) => [c.domainName, ...c.subjectAlternativeNames]).sort()).toEqual(config.apps.map((a) => a.host).sort());
  });

  test('wildcard certificates: one per parent domain, so deeper hosts are covered too', () => {
    const apps = [
      ...EXAMPLE_CONFIG.apps,
      { name: 'a', host: 'a.team.dev.example.com', access: 'protected' as const },
      { name: 'b', host: 'b.team.dev.example.com', access: 'protected' as const },
    ];
    const { certificates } = planDeployment(configOf(apps)).edge;
    expect(certificates.map((c) => c.domainName).sort()).toEqual(['*.dev.example.com', '*.team.dev.example.com']);
  });
});

describe('stable packing', () => {
  test('adding an item changes only the packs of its own bucket', () => {
    const items = Array.from({ length: 400 }, (_, i) => `h${i}.example.com`);
    const before = new Map(packStable(items, 5, 't').map((p) => [p.key, p.items.join()]));
    const after = new Map(packStable([...items, 'zz-new.example.com'], 5, 't').map((p) => [p.key, p.items.join()]));
    const touched = [...after.keys()].filter((k) => before.get(k) !== after.get(k));
    expect(new Set(touched.map((k) => k.split('.')[0])).size).toBe(1);
    expect(touched.length).toBeLessThanOrEqual(5);
  });

  test('stays close to the fewest packs', () => {
    const items = Array.from({ length: 400 }, (_, i) => `h${i}.example.com`);
    expect(packStable(items, 5, 't').length).toBeLessThanOrEqual(Math.ceil(400 / 5) * 1.25);
  });
});
