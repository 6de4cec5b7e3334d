import { EXAMPLE_CONFIG } from '../../modules/config/example';
import { prepareDeployment } from '../../modules/deployment';
import type { AppConfig, CentralAuthConfig } from '../../modules/config/types';
import { ConfigError } from '../../modules/config/errors';
import { packStable } from '../../modules/plan/packing';
import { planRouting } from '../../modules/plan/routing';
import { resourcesOf, synthAll, type Synthesized } from '../helpers';

/** `count` apps: every fifth public, every seventh with public paths, every eleventh answering 401. */
function generatedApps(count: number, zone = 'dev.example.com'): AppConfig[] {
  return Array.from({ length: count }, (_, i) => {
    const host = `app${i}.${zone}`;
    if (i % 5 === 0) return { name: `app${i}`, host, access: 'public' as const };
    return {
      name: `app${i}`,
      host,
      access: 'protected' as const,
      ...(i % 7 === 0 ? { publicPaths: ['/healthz', `/hooks/${i}`] } : {}),
      ...(i % 11 === 0 ? { onUnauthenticated: 'deny' as const } : {}),
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

describe('adding one app changes only what that app needs', () => {
  // GIVEN 60 generated apps, synthesized once
  const base = generatedApps(60);
  const before = inventory(synthAll(configOf(base)));

  test('a protected app: its callback URL, its sign-out entry and its alias record', () => {
    // WHEN one protected app is added
    const after = inventory(synthAll(configOf([...base, { name: 'newapp', host: 'newapp.dev.example.com', access: 'protected' }])));
    const diff = changes(before, after);
    // THEN the new alias is the only new resource, and only the shared lists that name it change
    expect(diff.removed).toEqual([]);
    expect(diff.added).toEqual(['edge/resource.aws_route53_record.alias-newapp_dev_example_com']);
    expect(diff.changed).toEqual([
      expect.stringMatching(/^auth\/resource\.aws_cognito_user_pool_client\./),
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
      'edge/output.hosts',
      'edge/resource.aws_route53_record.alias-newpub_dev_example_com',
    ]);
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
  });

  test('more than 100 protected hosts are split across app clients of at most 100 each', () => {
    // GIVEN 300 protected apps
    const apps = Array.from({ length: 300 }, (_, i) => ({ name: `p${i}`, host: `p${i}.dev.example.com`, access: 'protected' as const }));
    const { tf } = synthAll(configOf(apps, { quotas: { listenerRulesPerAlb: 1000 } }));
    // THEN several Cognito clients exist, each with at most 100 callback URLs, together all hosts
    const clients = resourcesOf(tf.auth, 'aws_cognito_user_pool_client');
    expect(clients.length).toBeGreaterThan(1);
    clients.forEach((c) => expect(c.callback_urls.length).toBeLessThanOrEqual(100));
    expect(clients.flatMap((c) => c.callback_urls).sort()).toEqual(apps.map((a) => `https://${a.host}/oauth2/idpresponse`).sort());
    // AND hosts of clients other than 0 are signed in by rules naming their own client
    const clientRules = resourcesOf(tf.edge, 'aws_lb_listener_rule').filter((r) => r.action[0].type === 'authenticate-oidc');
    const ruleHosts = clientRules.flatMap((r) => r.condition[0].host_header.values);
    const client0 = clients.find((c) => c.name === 'dev-central-auth-alb')!.callback_urls.map((u: string) => new URL(u).host);
    expect(ruleHosts.sort()).toEqual(
      apps
        .map((a) => a.host)
        .filter((h) => !client0.includes(h))
        .sort(),
    );
    expect(clientRules[0].action[0].authenticate_oidc.client_id).toMatch(
      /^\$\{element\(data\.terraform_remote_state\.remote-state-auth\.outputs\.client_ids, [1-9]\d*\)\}$/,
    );
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
      /apps: "601 apps" need \d+ ALB listener rules \(sign-out 1, public-hosts \d+\) but the quota "Rules per Application Load Balancer" is 100: ask AWS to raise it and set quotas\.listenerRulesPerAlb/,
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
    const { tf } = synthAll(config);
    const certs = resourcesOf(tf.certs, 'aws_acm_certificate');
    certs.forEach((c) => expect(1 + (c.subject_alternative_names?.length ?? 0)).toBeLessThanOrEqual(10));
    expect(certs.flatMap((c) => [c.domain_name, ...(c.subject_alternative_names ?? [])]).sort()).toEqual(
      config.apps.map((a) => a.host).sort(),
    );
  });

  test('wildcard certificates: one per parent domain, so deeper hosts are covered too', () => {
    const apps = [
      ...EXAMPLE_CONFIG.apps,
      { name: 'a', host: 'a.team.dev.example.com', access: 'protected' as const },
      { name: 'b', host: 'b.team.dev.example.com', access: 'protected' as const },
    ];
    const { tf } = synthAll(configOf(apps));
    expect(
      resourcesOf(tf.certs, 'aws_acm_certificate')
        .map((c) => c.domain_name)
        .sort(),
    ).toEqual(['*.dev.example.com', '*.team.dev.example.com']);
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
