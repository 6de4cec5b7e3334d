import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { VERIFIER_DIR, VERIFIER_IMAGE, verifierSources } from '../../modules/constructs/identity-verifier';
import { ROUTER_POD_LABELS } from '../../modules/constructs/network-isolation';
import { generateConfig } from '../../scripts/bench';
import { configWith, resourcesOf, synthAll, type TerraformJson } from '../helpers';
import { validateConfig } from '../../verifier/config.js';
import { available } from '../prerequisites';

const hasTerraform = available('terraform');

/** What Terraform makes of a literal string: `$${` is `${`, `%%{` is `%{`. */
const terraformText = (s: string): string => s.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{');

/** The verifier's resources of a synthesized cluster stack, by type. */
function verifierOf(tf: TerraformJson) {
  // Its resources live in the namespace it creates (a reference to it).
  const one = (type: string) => resourcesOf(tf, type).find((r) => String(r.metadata.namespace).includes('.verifier_namespace_'))!;
  const configMap = one('kubernetes_config_map_v1');
  const files = Object.fromEntries(Object.entries(configMap.data as Record<string, string>).map(([k, v]) => [k, terraformText(v)]));
  return {
    namespace: resourcesOf(tf, 'kubernetes_namespace_v1').find((n) => n.metadata.name === 'central-auth-verifier')!,
    files,
    config: JSON.parse(files['config.json']!),
    deployment: one('kubernetes_deployment_v1'),
    service: one('kubernetes_service_v1'),
    pdb: one('kubernetes_pod_disruption_budget_v1'),
    autoscaler: one('kubernetes_horizontal_pod_autoscaler_v2'),
    priority: resourcesOf(tf, 'kubernetes_priority_class_v1')[0]!,
    policy: one('kubernetes_network_policy_v1'),
  };
}

/** The container's environment with what Terraform computes replaced by plausible values. */
function appliedEnv(env: { name: string; value: string }[]): Record<string, string> {
  const computed: Record<string, string> = {
    '${data.aws_partition.partition.partition}': 'aws',
    '${data.aws_caller_identity.account.account_id}': '123456789012',
    '${data.terraform_remote_state.remote-state-auth.outputs.issuer_url}': 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Example1',
    '${data.terraform_remote_state.remote-state-auth.outputs.jwks_url}':
      'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Example1/.well-known/jwks.json',
  };
  return Object.fromEntries(
    env.map(({ name, value }) => {
      let v = value;
      for (const [expr, real] of Object.entries(computed)) v = v.split(expr).join(real);
      // CLIENT_IDS joins the contract-guarded client ids: one id per app client.
      if (name === 'CLIENT_IDS') v = (value.match(/client_ids\./g) ?? []).map((_, i) => `client${i}example0000000000`).join(',');
      return [name, v];
    }),
  );
}

describe('the identity verifier in the cluster stack (the example)', () => {
  // GIVEN the example synthesized once
  const { tf } = synthAll();
  const v = verifierOf(tf.cluster);
  const pod = v.deployment.spec.template.spec;
  const container = pod.container[0];

  test('ships every verifier/*.js file byte for byte, and a config.json, in one ConfigMap', () => {
    expect(v.files).toEqual({ ...verifierSources(), 'config.json': expect.any(String) });
    expect(Object.keys(verifierSources())).toContain('server.js');
    for (const [file, text] of Object.entries(verifierSources())) expect(text).toBe(readFileSync(path.join(VERIFIER_DIR, file), 'utf8'));
  });

  test('config.json lists every protected host with its groups, public paths and token forwarding, and the public hosts', () => {
    expect(v.config).toEqual({
      region: 'eu-west-1',
      hosts: {
        'echo.dev.example.com': { app: 'echo', allowedGroups: [], publicPaths: [], forwardAccessToken: false },
        'grafana.dev.example.com': {
          app: 'grafana',
          allowedGroups: ['grafana-admins', 'grafana-editors', 'grafana-viewers'],
          publicPaths: ['/api/health'],
          forwardAccessToken: true,
        },
      },
      publicHosts: ['status.dev.example.com'],
      signoutPath: '/_auth/signout',
      router: 'ingress-nginx',
    });
  });

  test("the environment carries the issuer, the JWKS, every app client and this environment's ALB by name", () => {
    const env = Object.fromEntries(container.env.map((e: { name: string; value: string }) => [e.name, e.value]));
    expect(env.ALB_ARNS).toBe(
      'arn:${data.aws_partition.partition.partition}:elasticloadbalancing:eu-west-1:${data.aws_caller_identity.account.account_id}:loadbalancer/app/dev-central-auth/*',
    );
    expect(env.COGNITO_ISSUER_URL).toBe('${data.terraform_remote_state.remote-state-auth.outputs.issuer_url}');
    expect(env.COGNITO_JWKS_URL).toBe('${data.terraform_remote_state.remote-state-auth.outputs.jwks_url}');
    expect(env.CLIENT_IDS).toMatch(/^\$\{join\(",", \[.*client_ids\.alb.*\]\)\}$/);
  });

  test("the shipped config.json and the environment pass the verifier's own validation", () => {
    const applied = appliedEnv(container.env);
    const config = validateConfig({
      ...v.config,
      issuer: applied.COGNITO_ISSUER_URL,
      jwksUrl: applied.COGNITO_JWKS_URL,
      clientIds: applied.CLIENT_IDS!.split(','),
      albArns: applied.ALB_ARNS!.split(','),
    });
    expect(config.albArns).toEqual([{ partition: 'aws', region: 'eu-west-1', account: '123456789012', name: 'dev-central-auth', id: '*' }]);
    expect([...config.hosts.keys()]).toEqual(['echo.dev.example.com', 'grafana.dev.example.com']);
  });

  test('runs on the pinned Node image as uid 1000, non-root, read-only, without privileges or a service account token', () => {
    expect(VERIFIER_IMAGE).toMatch(/^node:22-bookworm-slim@sha256:[0-9a-f]{64}$/);
    expect(container.image).toBe(VERIFIER_IMAGE);
    expect(container.command).toEqual(['node', '/opt/verifier/server.js']);
    expect(pod.security_context).toEqual({
      run_as_non_root: true,
      run_as_user: '1000',
      run_as_group: '1000',
      seccomp_profile: { type: 'RuntimeDefault' },
    });
    // The provider sends an unset run_as_non_root as false, overriding the pod: the container repeats it.
    expect(container.security_context).toEqual({
      run_as_non_root: true,
      run_as_user: '1000',
      run_as_group: '1000',
      allow_privilege_escalation: false,
      read_only_root_filesystem: true,
      capabilities: { drop: ['ALL'] },
      seccomp_profile: { type: 'RuntimeDefault' },
    });
    // It keeps answering while it leaves the Service, within the grace period.
    expect(container.lifecycle).toEqual({ pre_stop: [{ exec: { command: ['sleep', '5'] } }] });
    expect(pod.termination_grace_period_seconds).toBe(30);
    expect(pod.automount_service_account_token).toBe(false);
    expect(container.volume_mount).toEqual([{ name: 'code', mount_path: '/opt/verifier', read_only: true }]);
    // Requests from the measured cost, no CPU limit (a quota would stall the one Node thread), a memory limit.
    expect(container.resources).toEqual({ requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '256Mi' } });
    // Ready once the pool's keys are loaded; alive while it answers.
    expect(container.readiness_probe.http_get).toEqual({ path: '/readyz', port: 'http' });
    expect(container.liveness_probe.http_get).toEqual({ path: '/healthz', port: 'http' });
    expect(v.namespace.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });

  test('three to twelve replicas, scaled on CPU, roll one at a time, keep two ready, and restart when a file changes', () => {
    // The autoscaler owns the count: Terraform sets the first and never resets it.
    expect(v.deployment.spec.replicas).toBe('3');
    expect(v.deployment.lifecycle).toEqual({ ignore_changes: ['spec[0].replicas'] });
    expect(v.deployment.spec.strategy).toEqual({ type: 'RollingUpdate', rolling_update: { max_unavailable: '0', max_surge: '1' } });
    expect(v.pdb.spec).toEqual({ max_unavailable: '1', selector: { match_labels: v.deployment.spec.selector.match_labels } });
    expect(v.autoscaler.spec).toEqual({
      scale_target_ref: {
        api_version: 'apps/v1',
        kind: 'Deployment',
        name: expect.stringMatching(/^\$\{kubernetes_deployment_v1\.verifier_deployment_[0-9A-F]+\.metadata\[0\]\.name\}$/),
      },
      min_replicas: 3,
      max_replicas: 12,
      metric: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', average_utilization: 60 } } }],
      behavior: {
        scale_up: [
          { stabilization_window_seconds: 0, select_policy: 'Max', policy: [{ type: 'Percent', value: 100, period_seconds: 15 }] },
        ],
        scale_down: [{ stabilization_window_seconds: 300, select_policy: 'Max', policy: [{ type: 'Pods', value: 1, period_seconds: 60 }] }],
      },
    });
    // Evicted after the apps it guards (theirs is 0), below the cluster's own critical classes.
    expect(v.priority).toMatchObject({
      metadata: { name: 'central-auth-verifier-critical' },
      value: 1000000,
      global_default: false,
      preemption_policy: 'Never',
    });
    expect(v.deployment.spec.template.spec.priority_class_name).toMatch(
      /^\$\{kubernetes_priority_class_v1\.verifier_priority_[0-9A-F]+\.metadata\[0\]\.name\}$/,
    );
    // Zones, then nodes: one zone's outage leaves the others serving.
    expect(v.deployment.spec.template.spec.topology_spread_constraint.map((c: { topology_key: string }) => c.topology_key)).toEqual([
      'topology.kubernetes.io/zone',
      'kubernetes.io/hostname',
    ]);
    expect(v.deployment.spec.template.metadata.annotations['central-auth/code-sha256']).toMatch(/^[0-9a-f]{64}$/);
  });

  test('only the router reaches it, on its port; it reaches DNS and HTTPS only', () => {
    expect(v.service.spec.port).toEqual([{ name: 'http', port: 8080, target_port: '8080' }]);
    expect(v.policy.spec.policy_types).toEqual(['Ingress', 'Egress']);
    expect(v.policy.spec.ingress).toEqual([
      {
        from: [
          {
            namespace_selector: { match_labels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } },
            pod_selector: { match_labels: ROUTER_POD_LABELS },
          },
        ],
        ports: [{ port: '8080', protocol: 'TCP' }],
      },
    ]);
    expect(v.policy.spec.egress).toEqual([
      {
        ports: [
          { port: '53', protocol: 'TCP' },
          { port: '53', protocol: 'UDP' },
        ],
      },
      { to: [{ ip_block: { cidr: '0.0.0.0/0' } }], ports: [{ port: '443', protocol: 'TCP' }] },
    ]);
  });

  test('ingress-nginx asks the verifier about every request, and starts only after it', () => {
    const release = resourcesOf(tf.cluster, 'helm_release').find((r) => r.name === 'ingress-nginx')!;
    const values = release.values.filter((d: string) => !d.startsWith('${')).map((d: string) => parse(d));
    const merged = Object.assign({}, ...values.map((d: { controller?: { config?: object } }) => d.controller?.config ?? {}));
    expect(merged).toMatchObject({
      'global-auth-url': 'http://verifier.central-auth-verifier.svc.cluster.local:8080/verify/ingress-nginx',
      'global-auth-method': 'GET',
      'global-auth-response-headers':
        'X-Auth-Request-User,X-Auth-Request-Email,X-Auth-Request-Groups,X-Auth-Request-Access-Token,X-Auth-Request-Client-Id,X-Auth-Request-Scopes,X-Amzn-Oidc-Accesstoken,X-Amzn-Oidc-Data,X-Amzn-Oidc-Identity',
      'custom-http-errors': '403',
      'disable-proxy-intercept-errors': 'true',
    });
    expect(values.find((d: { controller?: { extraArgs?: object } }) => d.controller?.extraArgs)?.controller.extraArgs).toEqual({
      'default-backend-service': 'central-auth-verifier/verifier',
    });
    expect(release.depends_on).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^kubernetes_deployment_v1\.verifier_deployment_/),
        expect.stringMatching(/^kubernetes_service_v1\.verifier_service_/),
      ]),
    );
  });

  (hasTerraform ? test : test.skip)('Terraform reads the ConfigMap data back as the exact file bytes', () => {
    // GIVEN the data as synthesized (escaped), in a .tf.json file as Terraform loads it
    const raw = resourcesOf(tf.cluster, 'kubernetes_config_map_v1').find((r) => 'server.js' in r.data)!.data;
    const dir = mkdtempSync(path.join(tmpdir(), 'tf-verifier-'));
    writeFileSync(path.join(dir, 'main.tf.json'), JSON.stringify({ locals: { files: raw } }));
    // WHEN Terraform evaluates it
    const r = spawnSync('terraform', ['console'], { cwd: dir, input: 'jsonencode(local.files)\n', encoding: 'utf8' });
    // THEN every file is the original text: no "${" of the JavaScript became an interpolation
    expect(r.status).toBe(0);
    expect(JSON.parse(JSON.parse(r.stdout.trim()))).toEqual(v.files);
    expect(Object.values(v.files).some((text) => String(text).includes('${'))).toBe(true);
  });

  test('the shipped files run as the pod runs them: node server.js with the config beside it', async () => {
    // GIVEN the ConfigMap's files in a folder, as the volume mounts them, and the applied environment
    const dir = mkdtempSync(path.join(tmpdir(), 'verifier-shipped-'));
    for (const [file, text] of Object.entries(v.files)) writeFileSync(path.join(dir, file), text);
    const env = { ...appliedEnv(container.env), PORT: '0', HOST: '127.0.0.1' };
    // WHEN node runs server.js from there
    const child = spawn(process.execPath, [path.join(dir, 'server.js')], {
      env: { PATH: process.env.PATH, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const first = await new Promise<string>((resolve) => child.stdout.once('data', (d) => resolve(String(d))));
      const { port } = JSON.parse(first.split('\n')[0]!);
      const get = (p: string, headers: Record<string, string> = {}) =>
        new Promise<number>((resolve, reject) =>
          http.get({ host: '127.0.0.1', port, path: p, headers }, (res) => (res.resume(), resolve(res.statusCode!))).on('error', reject),
        );
      const asked = (url: string) => ({ 'X-Original-URL': url, 'X-Original-URI': new URL(url).pathname, 'X-Original-Method': 'GET' });
      // THEN it is healthy, lets public hosts and paths through, and refuses an unsigned request to a protected host
      expect(await get('/healthz')).toBe(200);
      expect(await get('/verify', asked('https://status.dev.example.com/'))).toBe(200);
      expect(await get('/verify', asked('https://grafana.dev.example.com/api/health'))).toBe(200);
      expect(await get('/verify', asked('https://grafana.dev.example.com/d/home'))).toBe(401);
      expect(await get('/verify', asked('https://unknown.dev.example.com/'))).toBe(401);
    } finally {
      child.kill('SIGTERM');
    }
  });
});

describe('the identity verifier with a large generated config', () => {
  // GIVEN 300 generated apps, some limited to groups, some forwarding the token
  const config = generateConfig(300);
  const { tf } = synthAll(configWith(config));
  const v = verifierOf(tf.cluster);

  test('every protected host is checked with its own settings, and the ConfigMap stays far below 1 MiB', () => {
    const protectedApps = config.apps.filter((a) => a.access === 'protected');
    expect(Object.keys(v.config.hosts).sort()).toEqual(protectedApps.map((a) => a.host).sort());
    for (const app of protectedApps) {
      expect(v.config.hosts[app.host]).toEqual({
        app: app.name,
        allowedGroups: app.allowedGroups ?? [],
        publicPaths: app.publicPaths ?? [],
        forwardAccessToken: app.forwardAccessToken ?? app.workload === 'grafana',
      });
    }
    expect(v.config.publicHosts).toEqual(
      config.apps
        .filter((a) => a.access === 'public')
        .map((a) => a.host)
        .sort(),
    );
    const bytes = Object.values(v.files).reduce((n, text) => n + Buffer.byteLength(String(text)), 0);
    expect(bytes).toBeLessThan(512 * 1024);
  });
});

describe('verifier settings', () => {
  test('an image from another registry, a replica range and debug logs reach the Deployment, the autoscaler and config.json', () => {
    // GIVEN an ECR pull-through cache of the same digest, four to twenty pods, debug logs
    const image = `123456789012.dkr.ecr.eu-west-1.amazonaws.com/docker-hub/library/node@sha256:${'a'.repeat(64)}`;
    const v = verifierOf(synthAll(configWith({ verifier: { image, minReplicas: 4, maxReplicas: 20, logLevel: 'debug' } })).tf.cluster);
    // THEN each lands where it acts
    expect(v.deployment.spec.template.spec.container[0].image).toBe(image);
    expect([v.deployment.spec.replicas, v.autoscaler.spec.min_replicas, v.autoscaler.spec.max_replicas]).toEqual(['4', 4, 20]);
    expect(v.config.logLevel).toBe('debug');
    // AND the default writes no level (the verifier's own default, info)
    expect(verifierOf(synthAll().tf.cluster).config.logLevel).toBeUndefined();
  });
});
