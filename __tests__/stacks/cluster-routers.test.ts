import Ajv2020 from 'ajv/dist/2020';
import { App } from 'cdktf';
import { createHash } from 'crypto';
import { mkdtempSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { parse } from 'yaml';
import { addCentralAuthStacks } from '../../modules/app';
import type { RouterKind, RouterSwitch } from '../../modules/config/types';
import { HELM_VALUES_DIR } from '../../modules/constructs/helm-values';
import { TRAEFIK_POD_LABELS } from '../../modules/constructs/traefik-router';
import { deploymentOf } from '../../modules/deployment';
import { INGRESS_CLASS_CHART } from '../../modules/stacks/cluster-routers';
import { diffSynthOutputs } from '../../scripts/diff';
import { configWith, resourcesOf, synthAll, type TerraformJson } from '../helpers';

const ROOT = join(__dirname, '..', '..');

/** Helm merges values documents in order: maps deeply, anything else replaced. */
function merge(into: Record<string, any>, doc: Record<string, any>): Record<string, any> {
  for (const [k, v] of Object.entries(doc)) {
    into[k] = v && typeof v === 'object' && !Array.isArray(v) && typeof into[k] === 'object' ? merge({ ...into[k] }, v) : v;
  }
  return into;
}
/** The plain (literal) values documents of a release, merged; the computed one holds only a security group id. */
const plainValues = (release: Record<string, any>): Record<string, any> =>
  (release.values as string[]).filter((d) => !d.startsWith('${')).reduce((acc, d) => merge(acc, parse(d.replace(/\$\$\{/g, '${'))), {});

const releaseOf = (tf: TerraformJson, name: string) => resourcesOf(tf, 'helm_release').find((r) => r.name === name);
const policiesOf = (tf: TerraformJson) =>
  Object.fromEntries(resourcesOf(tf, 'kubernetes_network_policy_v1').map((p) => [p.metadata.name, p]));
const verifierConfigOf = (tf: TerraformJson) =>
  JSON.parse(
    resourcesOf(tf, 'kubernetes_config_map_v1')
      .find((c) => 'server.js' in c.data)!
      .data['config.json'].replace(/\$\$\{/g, '${'),
  );

describe('router: traefik', () => {
  // GIVEN the example with Traefik as its only router
  const { tf } = synthAll(configWith({ router: 'traefik' }));
  const traefik = releaseOf(tf.cluster, 'traefik')!;
  const values = plainValues(traefik);

  test('Traefik is pinned, in its own namespace, asked to wait, behind the verifier and the reserved addresses', () => {
    expect([traefik.repository, traefik.chart, traefik.version, traefik.namespace]).toEqual([
      'https://traefik.github.io/charts',
      'traefik',
      '41.3.0',
      expect.stringMatching(/^\$\{kubernetes_namespace_v1\.traefik_namespace_[0-9A-F]{8}\.metadata\[0\]\.name\}$/),
    ]);
    // The namespace turns on the load balancer controller's pod readiness gate for Traefik's pods.
    const namespace = resourcesOf(tf.cluster, 'kubernetes_namespace_v1').find((n) => n.metadata.name === 'traefik')!;
    expect(namespace.metadata.labels['elbv2.k8s.aws/pod-readiness-gate-inject']).toBe('enabled');
    // On SIGTERM Traefik keeps accepting while it leaves the NLB and the ALB, within the grace period.
    expect(values.ports.web.transport.lifeCycle).toEqual({ requestAcceptGraceTimeout: '20s', graceTimeOut: '10s' });
    expect(values.deployment.terminationGracePeriodSeconds).toBe(60);
    expect(traefik.atomic).toBe(true);
    expect(traefik.depends_on).toEqual([
      expect.stringMatching(/^aws_ec2_subnet_cidr_reservation\.nlb-addresses_reservation-subnet-0a1b2c3d4e5f61001_/),
      expect.stringMatching(/^aws_ec2_subnet_cidr_reservation\.nlb-addresses_reservation-subnet-0a1b2c3d4e5f61002_/),
      expect.stringMatching(/^kubernetes_deployment_v1\.verifier_deployment_/),
      expect.stringMatching(/^kubernetes_service_v1\.verifier_service_/),
      expect.stringMatching(/^kubernetes_namespace_v1\.traefik_namespace_/),
    ]);
    // The Gateway API CRDs are a prerequisite (the chart no longer ships them): the plan checks each.
    const conditions = traefik.lifecycle.precondition.map((p: { error_message: string }) => p.error_message);
    expect(conditions.filter((m: string) => m.startsWith('The Gateway API CRD'))).toHaveLength(7);
  });

  test("the merged values pass the chart's own values.schema.json", () => {
    const schema = JSON.parse(readFileSync(join(HELM_VALUES_DIR, 'schemas', 'traefik-41.3.0.values.schema.json'), 'utf8'));
    const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);
    expect([validate(values), validate.errors ?? []]).toEqual([true, []]);
  });

  test('serves Ingresses of class nginx and HTTPRoutes, with no dashboard and no class of its own', () => {
    expect(values.providers.kubernetesIngressNGINX).toMatchObject({
      enabled: true,
      ingressClass: 'nginx',
      controllerClass: 'k8s.io/ingress-nginx',
    });
    expect(values.providers.kubernetesGateway.enabled).toBe(true);
    expect(values.providers.kubernetesIngress.enabled).toBe(false);
    expect(values.ingressClass.enabled).toBe(false);
    expect(values.ingressRoute.dashboard.enabled).toBe(false);
    expect(values.api).toBeUndefined();
    expect([values.deployment.replicas, values.podDisruptionBudget]).toEqual([2, { enabled: true, minAvailable: 1 }]);
  });

  test('every request on the web entry point asks the verifier; forwarded headers are trusted from the NLB only', () => {
    // First the client headers that rename a request are removed (the app would read them), then the verifier is asked.
    expect(values.ports.web.http.middlewares).toEqual(['traefik-strip-rewriting-headers@kubernetescrd', 'traefik-verifier@kubernetescrd']);
    expect(values.extraObjects).toEqual([
      {
        apiVersion: 'traefik.io/v1alpha1',
        kind: 'Middleware',
        metadata: { name: 'strip-rewriting-headers', namespace: 'traefik' },
        spec: {
          headers: {
            customRequestHeaders: {
              'X-Forwarded-Host': '',
              'X-Forwarded-Prefix': '',
              'X-Forwarded-Uri': '',
              Forwarded: '',
              'X-Original-URL': '',
              'X-Rewrite-URL': '',
            },
          },
        },
      },
      {
        apiVersion: 'traefik.io/v1alpha1',
        kind: 'Middleware',
        metadata: { name: 'verifier', namespace: 'traefik' },
        spec: {
          forwardAuth: {
            address: 'http://verifier.central-auth-verifier.svc.cluster.local:8080/verify/traefik',
            trustForwardHeader: false,
            authResponseHeaders: [
              'X-Auth-Request-User',
              'X-Auth-Request-Email',
              'X-Auth-Request-Groups',
              'X-Auth-Request-Access-Token',
              'X-Auth-Request-Client-Id',
              'X-Auth-Request-Scopes',
              'X-Amzn-Oidc-Accesstoken',
              'X-Amzn-Oidc-Data',
              'X-Amzn-Oidc-Identity',
            ],
          },
        },
      },
    ]);
    expect(values.ports.web.forwardedHeaders.trustedIPs).toEqual(['10.0.31.229/32', '10.0.47.229/32']);
    expect([values.ports.websecure.expose.default, values.ports.traefik.expose.default]).toEqual([false, false]);
  });

  test("the ALB's health check has a route on the NLB's own addresses, which the verifier allows and nothing else", () => {
    expect(values.ingressRoute.healthcheck).toEqual({
      enabled: true,
      entryPoints: ['web'],
      matchRule: 'Path(`/healthz`) && (Host(`10.0.31.229`) || Host(`10.0.47.229`))',
    });
    expect(verifierConfigOf(tf.cluster).healthCheck).toEqual({ hosts: ['10.0.31.229', '10.0.47.229'], path: '/healthz' });
  });

  test('its internal NLB sits at the neighbouring pinned addresses, without node ports, behind the shared security group', () => {
    expect(values.service.annotations).toMatchObject({
      'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal',
      'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip',
      'service.beta.kubernetes.io/aws-load-balancer-private-ipv4-addresses': '10.0.31.229,10.0.47.229',
    });
    expect(values.service.spec).toEqual({ type: 'LoadBalancer', allocateLoadBalancerNodePorts: false });
    expect(traefik.values.find((d: string) => d.startsWith('${'))).toContain('aws_security_group.ingress-sg.id');
    const egress = resourcesOf(tf.cluster, 'aws_vpc_security_group_egress_rule').map((r) => [r.from_port, r.description]);
    expect(egress).toEqual([[8000, 'To the Traefik pods (IP targets) in the VPC']]);
  });

  test('the release ingress-nginx keeps only the IngressClass nginx, from the local chart, at the same name', () => {
    const classOnly = releaseOf(tf.cluster, 'ingress-nginx')!;
    expect([classOnly.chart, classOnly.namespace, classOnly.repository, classOnly.values]).toEqual([
      INGRESS_CLASS_CHART,
      'ingress-nginx',
      undefined,
      undefined,
    ]);
    const template = parse(readFileSync(join(ROOT, 'charts', 'ingress-class-nginx', 'templates', 'ingressclass.yaml'), 'utf8'));
    // The same object as the ingress-nginx chart's (ingressClassResource: name nginx, controllerValue k8s.io/ingress-nginx).
    expect([template.kind, template.metadata.name, template.spec.controller]).toEqual(['IngressClass', 'nginx', 'k8s.io/ingress-nginx']);
  });

  test('the local chart is versioned with its template: Helm notices a chart change only by its version', () => {
    // Changed the template? Bump `version` in Chart.yaml and record both here.
    const template = readFileSync(join(ROOT, 'charts', 'ingress-class-nginx', 'templates', 'ingressclass.yaml'));
    const chart = parse(readFileSync(join(ROOT, 'charts', 'ingress-class-nginx', 'Chart.yaml'), 'utf8'));
    expect([chart.version, createHash('sha256').update(template).digest('hex')]).toEqual([
      '1.0.0',
      'b26725386c62a5f0d226eccea93d4a9a20cb5ecbaafa57968a65839e47787214',
    ]);
  });

  test('only the NLB reaches Traefik; the apps and the verifier admit Traefik only', () => {
    const policies = policiesOf(tf.cluster);
    expect(Object.keys(policies).sort()).toEqual(['apps-from-router-only', 'traefik-from-nlb-only', 'verifier-router-only']);
    expect(policies['traefik-from-nlb-only'].spec.ingress[0]).toEqual({
      from: [{ ip_block: { cidr: '10.0.31.229/32' } }, { ip_block: { cidr: '10.0.47.229/32' } }],
      ports: [{ port: '8000', protocol: 'TCP' }],
    });
    const traefikPeer = {
      namespace_selector: { match_labels: { 'kubernetes.io/metadata.name': 'traefik' } },
      pod_selector: { match_labels: TRAEFIK_POD_LABELS },
    };
    expect(policies['apps-from-router-only'].spec.ingress).toEqual([{ from: [traefikPeer] }]);
    expect(policies['verifier-router-only'].spec.ingress[0].from).toEqual([traefikPeer]);
  });

  test('the ALB targets Traefik only', () => {
    const targets = resourcesOf(tf.edge, 'aws_lb_target_group_attachment').filter((a) => a.port === 80);
    expect(targets.map((t) => t.target_id)).toEqual(['10.0.31.229', '10.0.47.229']);
  });
});

/** The example synthesized into its own folder with this router setting, as `cdktf synth` writes it. */
function synthTo(router: RouterKind | RouterSwitch): string {
  const outdir = mkdtempSync(join(tmpdir(), 'router-switch-'));
  const app = new App({ outdir, stackTraces: false });
  addCentralAuthStacks(app, deploymentOf(configWith({ router })), { policyLog: () => {} });
  app.synth();
  return outdir;
}

describe('switching from ingress-nginx to Traefik, in two applies', () => {
  // GIVEN the example on ingress-nginx, then with Traefik beside it, then Traefik alone
  const before = synthTo('ingress-nginx');
  const during = synthTo({ use: 'traefik', keep: 'ingress-nginx' });
  const after = synthTo('traefik');
  const stackDiff = (base: string, head: string, name: string) => diffSynthOutputs(base, head).stacks.find((s) => s.stack === name)!;

  test('neither step changes anything in auth', () => {
    expect(stackDiff(before, during, 'auth').status).toBe('unchanged');
    expect(stackDiff(during, after, 'auth').status).toBe('unchanged');
  });

  test("step 1 only registers Traefik's NLB at the ALB (and lets the ALB reach it); nothing is removed or changed", () => {
    const edge = stackDiff(before, during, 'edge');
    expect(edge.sections.resources).toEqual({
      added: [
        'aws_lb_target_group_attachment.ingress-nlb-traefik-subnet-0a1b2c3d4e5f61001',
        'aws_lb_target_group_attachment.ingress-nlb-traefik-subnet-0a1b2c3d4e5f61002',
        expect.stringMatching(/^aws_vpc_security_group_egress_rule\.alb-sg_out-nlb-10031229_/),
        expect.stringMatching(/^aws_vpc_security_group_egress_rule\.alb-sg_out-nlb-10047229_/),
      ],
      removed: [],
      changed: [],
    });
    expect(edge.sections.dataSources.added).toEqual([
      'data.aws_network_interfaces.nlb-interface-traefik-subnet-0a1b2c3d4e5f61001',
      'data.aws_network_interfaces.nlb-interface-traefik-subnet-0a1b2c3d4e5f61002',
    ]);
    expect([edge.sections.dataSources.removed, edge.sections.dataSources.changed, edge.sections.outputs]).toEqual([
      [],
      [],
      { added: [], removed: [], changed: [] },
    ]);
  });

  test('step 1 leaves ingress-nginx as it was in the cluster stack, and adds Traefik beside it', () => {
    const cluster = stackDiff(before, during, 'cluster');
    expect(cluster.sections.resources.removed).toEqual([]);
    expect(cluster.sections.resources.changed.map((c) => c.address)).not.toContain('helm_release.ingress-nginx');
    expect(cluster.sections.resources.added).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^helm_release\.traefik_release_/),
        'aws_vpc_security_group_egress_rule.ingress-out-traefik',
      ]),
    );
  });

  test("the samples' Ingress objects are the same for both routers, and the verifier's callers change only by a peer", () => {
    const cluster = stackDiff(before, during, 'cluster');
    const ingressChanges = cluster.sections.resources.changed
      .filter((c) => c.address.startsWith('kubernetes_ingress_v1.'))
      .flatMap((c) => c.attributes.map((a) => a.path));
    // Only which releases they are created after (not an attribute Terraform sends to Kubernetes)
    expect(ingressChanges.every((p) => p.startsWith('depends_on'))).toBe(true);
    const verifierPolicy = cluster.sections.resources.changed.find((c) => c.address.startsWith('kubernetes_network_policy_v1.verifier_'))!;
    expect(verifierPolicy.attributes.map((a) => [a.path, a.kind])).toEqual([['spec.ingress[0].from[1]', 'added']]);
  });

  test("step 2 only deregisters ingress-nginx's NLB from the ALB; in the cluster the release keeps just the IngressClass", () => {
    const edge = stackDiff(during, after, 'edge');
    expect(edge.sections.resources).toEqual({
      added: [],
      removed: [
        'aws_lb_target_group_attachment.ingress-nlb-subnet-0a1b2c3d4e5f61001',
        'aws_lb_target_group_attachment.ingress-nlb-subnet-0a1b2c3d4e5f61002',
        expect.stringMatching(/^aws_vpc_security_group_egress_rule\.alb-sg_out-nlb-10031228_/),
        expect.stringMatching(/^aws_vpc_security_group_egress_rule\.alb-sg_out-nlb-10047228_/),
      ],
      changed: [],
    });
    const cluster = stackDiff(during, after, 'cluster');
    const release = cluster.sections.resources.changed.find((c) => c.address === 'helm_release.ingress-nginx')!;
    expect(release.attributes.find((a) => a.path === 'chart')).toMatchObject({
      kind: 'changed',
      after: JSON.stringify(INGRESS_CLASS_CHART),
    });
    expect(cluster.sections.resources.removed).toContain('aws_vpc_security_group_egress_rule.ingress-out-pods');
  });
});

describe('switching back: router: { use: ingress-nginx, keep: traefik }', () => {
  // GIVEN Traefik kept beside ingress-nginx, which is in use again
  const { tf } = synthAll(configWith({ router: { use: 'ingress-nginx', keep: 'traefik' } }));

  test('both routers run and are ALB targets; the controller chart is back in the ingress-nginx release', () => {
    expect(releaseOf(tf.cluster, 'ingress-nginx')!.chart).toBe('ingress-nginx');
    expect(releaseOf(tf.cluster, 'traefik')).toBeDefined();
    const targets = resourcesOf(tf.edge, 'aws_lb_target_group_attachment').filter((a) => a.port === 80);
    expect(targets.map((t) => t.target_id).sort()).toEqual(['10.0.31.228', '10.0.31.229', '10.0.47.228', '10.0.47.229']);
  });
});
