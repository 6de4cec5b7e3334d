import { spawnSync } from 'child_process';
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { EKS_ACCESS_POLICIES } from '../../modules/constructs/eks-access';
import { GATEWAY_API_CRDS, GATEWAY_API_MIN_VERSION_PATTERN, LBC_MIN_VERSION_PATTERN } from '../../modules/constructs/cluster-prerequisites';
import { configWith, resourcesOf, synthAll } from '../helpers';
import { available } from '../prerequisites';

describe('the AWS Load Balancer Controller version check', () => {
  // Terraform's regex() is RE2; this pattern uses nothing RE2 and JavaScript read differently.
  const accepts = (image: string) => new RegExp(LBC_MIN_VERSION_PATTERN).test(image);

  test.each([
    'public.ecr.aws/eks/aws-load-balancer-controller:v2.6.0',
    '602401143452.dkr.ecr.eu-west-1.amazonaws.com/amazon/aws-load-balancer-controller:v2.13.4',
    'public.ecr.aws/eks/aws-load-balancer-controller:v3.0.1',
    'registry.local/lbc:v10.1.0',
  ])('accepts %s', (image) => expect(accepts(image)).toBe(true));

  test.each([
    'public.ecr.aws/eks/aws-load-balancer-controller:v2.5.4',
    'public.ecr.aws/eks/aws-load-balancer-controller:v2.2.0',
    'public.ecr.aws/eks/aws-load-balancer-controller:latest',
    'public.ecr.aws/eks/aws-load-balancer-controller@sha256:0123',
  ])('fails when the image is %s', (image) => expect(accepts(image)).toBe(false));
});

// Terraform's own regex() (RE2), where terraform is installed: one console run for every image.
const hasTerraform = available('terraform');
(hasTerraform ? test : test.skip)("Terraform's regex() reads the version pattern the same way", () => {
  const images = ['x:v2.6.0', 'x:v2.13.4', 'x:v3.0.1', 'x:v2.5.4', 'x:v2.2.0', 'x:latest', 'x@sha256:0123'];
  const expression = `[${images.map((i) => `can(regex(${JSON.stringify(LBC_MIN_VERSION_PATTERN)}, ${JSON.stringify(i)}))`).join(', ')}]`;
  const dir = mkdtempSync(join(tmpdir(), 'tf-console-'));
  const r = spawnSync('terraform', ['console'], { cwd: dir, input: `jsonencode(${expression})\n`, encoding: 'utf8' });
  expect(JSON.parse(JSON.parse(r.stdout.trim()))).toEqual([true, true, true, false, false, false, false]);
});

describe('the Gateway API version check (Traefik)', () => {
  const versions = ['v1.5.0', 'v1.5.1', 'v1.10.0', 'v2.0.0', 'v1.4.1', 'v1.2.0', 'v0.8.0', 'latest', 'v1.5'];
  const expected = [true, true, true, true, false, false, false, false, false];

  test('accepts v1.5 and later bundles only', () => {
    expect(versions.map((v) => new RegExp(GATEWAY_API_MIN_VERSION_PATTERN).test(v))).toEqual(expected);
  });

  (hasTerraform ? test : test.skip)("Terraform's regex() reads it the same way, and a missing annotation fails", () => {
    const checks = versions.map((v) => `can(regex(${JSON.stringify(GATEWAY_API_MIN_VERSION_PATTERN)}, ${JSON.stringify(v)}))`);
    const missing = `can(regex(${JSON.stringify(GATEWAY_API_MIN_VERSION_PATTERN)}, lookup({}, "gateway.networking.k8s.io/bundle-version")))`;
    const dir = mkdtempSync(join(tmpdir(), 'tf-console-'));
    const r = spawnSync('terraform', ['console'], {
      cwd: dir,
      input: `jsonencode([${[...checks, missing].join(', ')}])\n`,
      encoding: 'utf8',
    });
    expect(JSON.parse(JSON.parse(r.stdout.trim()))).toEqual([...expected, false]);
  });

  test('Traefik waits for every CRD its Gateway provider watches, each at v1.5 or later', () => {
    const { tf } = synthAll(configWith({ router: 'traefik' }));
    const traefik = resourcesOf(tf.cluster, 'helm_release').find((r) => r.chart === 'traefik')!;
    const gateway = traefik.lifecycle.precondition.filter((p: { error_message: string }) => p.error_message.includes('Gateway API'));
    expect(gateway.map((p: { error_message: string }) => /CRD (\w+)\./.exec(p.error_message)![1])).toEqual([...GATEWAY_API_CRDS]);
    const data = Object.values((tf.cluster as any).data.kubernetes_resources).filter((d: any) => d.kind === 'CustomResourceDefinition');
    expect(data.map((d: any) => d.field_selector).sort()).toEqual(
      GATEWAY_API_CRDS.map((k) => `metadata.name=${k}.gateway.networking.k8s.io`).sort(),
    );
  });
});

describe('cluster prerequisites in the plan', () => {
  // GIVEN the example with access entries for both CI roles
  const { tf } = synthAll(
    configWith({ eks: { planRoleArn: 'arn:aws:iam::123456789012:role/plan', deployRoleArn: 'arn:aws:iam::123456789012:role/deploy' } }),
  );
  const releases = resourcesOf(tf.cluster, 'helm_release');
  const router = releases.find((r) => r.chart === 'ingress-nginx')!;
  const grafana = releases.find((r) => r.chart === 'grafana')!;
  // The router's checks, then Grafana's: each on the release that needs it.
  const preconditions = [...router.lifecycle.precondition, ...grafana.lifecycle.precondition];

  test('each missing prerequisite fails the plan with what to do', () => {
    expect(preconditions.map((p: { error_message: string }) => p.error_message.split(':')[0])).toEqual([
      'The AWS Load Balancer Controller is not running in kube-system (no Deployment labelled app.kubernetes.io/name=aws-load-balancer-controller)',
      'The AWS Load Balancer Controller is older than v2.6 (or its image has no version tag)',
      'An IngressClass "nginx" already exists and belongs to another Helm release',
      'StorageClass "gp3" does not exist, so Grafana\'s volume would never bind',
    ]);
  });

  (hasTerraform ? test : test.skip)(
    'the synthesized conditions hold or fail as meant, evaluated by Terraform on sample cluster objects',
    () => {
      // GIVEN each condition with its kubernetes_resources read replaced by sample objects
      const conditions: string[] = preconditions.map((p: { condition: string }) => p.condition.replace(/^\$\{([\s\S]*)\}$/, '$1'));
      const evaluate = (condition: string, objects: unknown[]) => {
        const expression = condition.replace(
          /data\.kubernetes_resources\.[\w-]+\.objects/g,
          `jsondecode(${JSON.stringify(JSON.stringify(objects))})`,
        );
        const r = spawnSync('terraform', ['console'], {
          cwd: mkdtempSync(join(tmpdir(), 'tf-console-')),
          input: `${expression}\n`,
          encoding: 'utf8',
        });
        return r.stdout.trim();
      };
      const lbc = (image: string) => [{ spec: { template: { spec: { containers: [{ image }] } } } }];
      const ingressClass = (release: string) => [
        { metadata: { annotations: { 'meta.helm.sh/release-name': release, 'meta.helm.sh/release-namespace': 'ingress-nginx' } } },
      ];
      // THEN: controller present / absent, new / old; IngressClass absent, ours, another's; StorageClass present / absent
      expect([evaluate(conditions[0]!, lbc('x:v2.13.0')), evaluate(conditions[0]!, [])]).toEqual(['true', 'false']);
      expect([evaluate(conditions[1]!, lbc('x:v2.13.0')), evaluate(conditions[1]!, lbc('x:v2.4.1')), evaluate(conditions[1]!, [])]).toEqual(
        ['true', 'false', 'false'],
      );
      expect([
        evaluate(conditions[2]!, []),
        evaluate(conditions[2]!, ingressClass('ingress-nginx')),
        evaluate(conditions[2]!, ingressClass('other')),
        evaluate(conditions[2]!, [{ metadata: { name: 'nginx' } }]),
      ]).toEqual(['true', 'true', 'false', 'false']);
      expect([evaluate(conditions[3]!, [{ metadata: { name: 'gp3' } }]), evaluate(conditions[3]!, [])]).toEqual(['true', 'false']);
    },
  );

  test('no check needs terraform at synth, and every check waits for the access entries', () => {
    // cdktf runs `terraform version` at synth for a terraform_data resource: none is used.
    expect(tf.cluster.resource.terraform_data).toBeUndefined();
    for (const data of Object.values<any>(tf.cluster.data.kubernetes_resources)) {
      expect(data.depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^aws_eks_access_policy_association\./)]));
    }
  });

  test('the plan role may read everything (Helm release secrets too), the deploy role administer', () => {
    const entries = tf.cluster.resource.aws_eks_access_entry!;
    const granted = resourcesOf(tf.cluster, 'aws_eks_access_policy_association').map((p) => {
      // Each association names its entry's principal, so it waits for the entry.
      const entry = /^\$\{aws_eks_access_entry\.([\w-]+)\.principal_arn\}$/.exec(p.principal_arn)![1]!;
      return [entries[entry]!.principal_arn, p.policy_arn, p.access_scope.type];
    });
    expect(granted.sort()).toEqual([
      ['arn:aws:iam::123456789012:role/deploy', EKS_ACCESS_POLICIES.deploy, 'cluster'],
      ['arn:aws:iam::123456789012:role/plan', EKS_ACCESS_POLICIES.plan, 'cluster'],
    ]);
  });

  test('without persistence there is no StorageClass to check and no volume', () => {
    const { tf: off } = synthAll(configWith({ grafana: { persistence: false } }));
    expect(Object.keys(off.cluster.data.kubernetes_resources)).toHaveLength(2);
    const grafana = resourcesOf(off.cluster, 'helm_release').find((r) => r.chart === 'grafana')!;
    expect(grafana.values.join('\n')).toContain('persistence:\n  enabled: false');
  });
});
