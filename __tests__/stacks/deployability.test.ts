import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { dirname, join } from 'path';
import { parse } from 'yaml';
import { staticValues } from '../../modules/constructs/helm-values';
import { REQUIRED_TERRAFORM } from '../../modules/stacks/base';
import { CHARTS } from '../../modules/stacks/cluster';
import { FORGOTTEN_CLUSTER_RESOURCES } from '../../modules/stacks/migrations';
import { APPLY_ORDER } from '../../modules/stacks/outputs';
import { resourcesOf, synthAll } from '../helpers';
import { runMain } from '../run-main';

describe('what a real account needs', () => {
  const { tf } = synthAll();

  test('every stack requires a Terraform that locks S3 state with a lock file', () => {
    expect(REQUIRED_TERRAFORM).toBe('>= 1.10.0');
    for (const stack of APPLY_ORDER) expect(tf[stack].terraform.required_version).toBe(REQUIRED_TERRAFORM);
  });

  test('the Helm and Kubernetes providers get a fresh EKS token per call, never a 15-minute one', () => {
    const exec = {
      api_version: 'client.authentication.k8s.io/v1beta1',
      command: 'aws',
      args: ['eks', 'get-token', '--cluster-name', 'dev-eks', '--region', 'eu-west-1', '--output', 'json'],
    };
    expect(tf.cluster.provider.kubernetes![0].exec).toEqual([exec]);
    expect(tf.cluster.provider.helm![0].kubernetes.exec).toEqual(exec);
    expect(JSON.stringify(tf.cluster)).not.toMatch(/aws_eks_cluster_auth|"token"/);
  });

  test('Grafana comes from the maintained grafana-community chart, pinned', () => {
    expect(CHARTS.grafana).toEqual({ repository: 'https://grafana-community.github.io/helm-charts', chart: 'grafana', version: '12.11.1' });
    const grafana = resourcesOf(tf.cluster, 'helm_release').find((r) => r.chart === 'grafana')!;
    expect([grafana.repository, grafana.version]).toEqual([CHARTS.grafana.repository, CHARTS.grafana.version]);
    expect(grafana.values.join('\n')).toContain('persistence:\n  enabled: true\n  storageClassName: gp3');
  });

  test('ingress-nginx gets its PodDisruptionBudget from the keys the chart reads', () => {
    const controller = parse(staticValues('ingress-nginx.yaml')).controller;
    // templates/controller-poddisruptionbudget.yaml renders with replicas > 1 from minAvailable.
    expect([controller.replicaCount, controller.minAvailable, controller.podDisruptionBudget]).toEqual([2, 1, undefined]);
  });
});

test('npm run deploy applies the stacks in APPLY_ORDER', () => {
  // CHECKPOINT_DISABLE: no version check, whose failure the CLI prints as "[ERROR] … checkpoint-api".
  // CENTRAL_AUTH_APPLYING: as the deploy workflow, so a local deploy refuses the example and placeholders.
  expect(require('../../package.json').scripts.deploy).toBe(
    `CHECKPOINT_DISABLE=1 CENTRAL_AUTH_APPLYING=1 cdktf deploy ${APPLY_ORDER.join(' ')}`,
  );
});

describe('upgrading from four stacks', () => {
  const { tf } = synthAll();

  test('the echo samples move to their construct without being replaced', () => {
    const moves = (tf.cluster as unknown as { moved: { from: string; to: string }[] }).moved;
    expect(moves.map((m) => m.from)).toEqual(
      ['echo', 'status'].flatMap((app) => [
        `kubernetes_deployment_v1.app-${app}-deployment`,
        `kubernetes_service_v1.app-${app}-service`,
        `kubernetes_ingress_v1.app-${app}-ingress`,
      ]),
    );
    // THEN each lands on a resource the stack declares
    for (const { to } of moves) {
      const [type, name] = to.split('.') as [string, string];
      expect([to, tf.cluster.resource[type]?.[name] !== undefined]).toEqual([to, true]);
    }
  });

  test("the cluster stack forgets the ALB's old security group and rules instead of deleting them", () => {
    const removed = (tf.cluster as unknown as { removed: { from: string; lifecycle: { destroy: boolean } }[] }).removed;
    expect(removed.map((r) => r.from)).toEqual([...FORGOTTEN_CLUSTER_RESOURCES]);
    expect(removed.every((r) => r.lifecycle.destroy === false)).toBe(true);
    // THEN none of them is still declared (Terraform refuses a removed block for a declared resource)
    for (const address of FORGOTTEN_CLUSTER_RESOURCES) {
      const [type, name] = address.split('.') as [string, string];
      expect([address, tf.cluster.resource[type]?.[name]]).toEqual([address, undefined]);
    }
  });
});

test('synthesizes without terraform on PATH: nothing at synth asks for its version', () => {
  // GIVEN a PATH with node but no terraform WHEN main.ts synthesizes the example
  const dir = mkdtempSync(join(tmpdir(), 'no-terraform-'));
  const run = runMain(dir, { PATH: dirname(process.execPath) });
  // THEN it succeeds (cdktf runs `terraform version` for some constructs, such as terraform_data)
  expect([run.status, run.stderr]).toEqual([0, '']);
});
