import '../setup';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { DataAwsEksCluster } from '@cdktf/provider-aws/lib/data-aws-eks-cluster';
import { Release } from '@cdktf/provider-helm/lib/release';
import { IngressV1 } from '@cdktf/provider-kubernetes/lib/ingress-v1';
import { parse } from 'yaml';
import { CHARTS } from '../../modules/stacks/cluster';
import { grafanaRoleAttributePath } from '../../modules/plan/grafana';
import {
  authContract,
  authPlaceholders,
  CLUSTER_OUTPUTS,
  clusterContract,
  CONTRACT_OUTPUT,
  PLACEHOLDER_CLIENT_ID,
  PLACEHOLDERS_OUTPUT,
} from '../../modules/stacks/outputs';
import { resourcesOf, synthAll } from '../helpers';

/** Merges a helm_release's plain YAML documents the way helm does (later wins, shallowly enough here). */
function plainValues(release: Record<string, any>): Record<string, any> {
  const docs = (release.values as string[]).filter((v) => !v.startsWith('${'));
  const merge = (a: any, b: any): any =>
    typeof a === 'object' && typeof b === 'object' && !Array.isArray(a)
      ? Object.fromEntries([...new Set([...Object.keys(a), ...Object.keys(b)])].map((k) => [k, k in b ? merge(a[k], b[k]) : a[k]]))
      : b;
  return docs.map((d) => parse(d)).reduce(merge, {});
}

describe('cluster stack', () => {
  // GIVEN the example config (Grafana, a protected and a public echo app)
  const { json, tf } = synthAll();
  const releases = tf.cluster.resource.helm_release;

  test('helm and kubernetes providers are configured from the EKS cluster by name, with a fresh token per call', () => {
    expect(json.cluster).toHaveDataSourceWithProperties(DataAwsEksCluster, { name: 'dev-eks' });
    const endpoint = {
      host: '${data.aws_eks_cluster.eks.endpoint}',
      cluster_ca_certificate: '${base64decode(data.aws_eks_cluster.eks.certificate_authority[0].data)}',
    };
    const exec = {
      api_version: 'client.authentication.k8s.io/v1beta1',
      command: 'aws',
      args: ['eks', 'get-token', '--cluster-name', 'dev-eks', '--region', 'eu-west-1', '--output', 'json'],
    };
    expect(tf.cluster.provider.helm).toEqual([{ kubernetes: { ...endpoint, exec } }]);
    expect(tf.cluster.provider.kubernetes).toEqual([{ ...endpoint, exec: [exec] }]);
    // A token read at plan time (aws_eks_cluster_auth) expires after 15 minutes, mid-install.
    expect(tf.cluster.data.aws_eks_cluster_auth).toBeUndefined();
  });

  test('chart versions are pinned', () => {
    expect(json.cluster).toHaveResourceWithProperties(Release, {
      name: 'ingress-nginx',
      chart: 'ingress-nginx',
      version: CHARTS.ingressNginx.version,
      atomic: true,
    });
    expect(json.cluster).toHaveResourceWithProperties(Release, { name: 'grafana', chart: 'grafana', version: CHARTS.grafana.version });
    expect(CHARTS.ingressNginx.version).toMatch(/^\d+\.\d+\.\d+$/);
  });

  test('ingress-nginx is behind an internal NLB at pinned addresses that only the ALB security group may reach', () => {
    const values = plainValues(releases['ingress-nginx']);
    const annotations = values.controller.service.annotations;
    expect(annotations['service.beta.kubernetes.io/aws-load-balancer-scheme']).toBe('internal');
    expect(annotations['service.beta.kubernetes.io/aws-load-balancer-type']).toBe('external');
    // The edge stack targets these addresses directly: no tag to find the NLB by.
    expect(annotations['service.beta.kubernetes.io/aws-load-balancer-subnets']).toBe('subnet-0a1b2c3d4e5f61001,subnet-0a1b2c3d4e5f61002');
    expect(annotations['service.beta.kubernetes.io/aws-load-balancer-private-ipv4-addresses']).toBe('10.0.31.228,10.0.47.228');
    expect(releases['ingress-nginx'].depends_on).toEqual([
      'aws_ec2_subnet_cidr_reservation.nlb-addresses_reservation-subnet-0a1b2c3d4e5f61001_0768DD38',
      'aws_ec2_subnet_cidr_reservation.nlb-addresses_reservation-subnet-0a1b2c3d4e5f61002_B75AC23E',
      // The router asks the verifier about every request: it must answer first.
      'kubernetes_deployment_v1.verifier_deployment_1561B0C4',
      'kubernetes_service_v1.verifier_service_6963CCDE',
    ]);
    expect(releases['ingress-nginx'].lifecycle.precondition).toHaveLength(3);
    expect(values.controller.config['use-forwarded-headers']).toBe('true');
    expect(values.controller.service.enableHttps).toBe(false);
    const computed = releases['ingress-nginx'].values.find((v: string) => v.startsWith('${yamlencode('));
    expect(computed).toContain('"service.beta.kubernetes.io/aws-load-balancer-security-groups" = aws_security_group.ingress-sg.id');
    expect(computed).toContain('"proxy-real-ip-cidr" = data.aws_vpc.vpc.cidr_block');
  });

  test("the NLB's security group is created here, and the rule admitting the ALB is not: it lives with the ALB in edge", () => {
    expect(json.cluster).toHaveResourceWithProperties(SecurityGroup, {
      name_prefix: 'dev-central-auth-ingress-',
      vpc_id: 'vpc-0123456789abcdef0',
      lifecycle: { create_before_destroy: true },
    });
    expect(resourcesOf(tf.cluster, 'aws_security_group')).toHaveLength(1);
    expect(resourcesOf(tf.cluster, 'aws_vpc_security_group_ingress_rule')).toEqual([]);
  });

  test('the NLB may only reach the router pods in the VPC, and every rule is described', () => {
    expect(resourcesOf(tf.cluster, 'aws_vpc_security_group_egress_rule')).toEqual([
      expect.objectContaining({
        security_group_id: '${aws_security_group.ingress-sg.id}',
        cidr_ipv4: '${data.aws_vpc.vpc.cidr_block}',
        ip_protocol: 'tcp',
        from_port: 80,
        to_port: 80,
      }),
    ]);
    const rules = [
      ...resourcesOf(tf.cluster, 'aws_vpc_security_group_ingress_rule'),
      ...resourcesOf(tf.cluster, 'aws_vpc_security_group_egress_rule'),
    ];
    rules.forEach((r) => expect(r.description).toMatch(/\w{5,}/));
  });

  test('Grafana signs users in from the ALB access token with claims Cognito access tokens really carry', () => {
    const env = plainValues(releases['app-grafana']).env;
    expect(env).toMatchObject({
      GF_AUTH_JWT_ENABLED: 'true',
      GF_AUTH_JWT_HEADER_NAME: 'X-Amzn-Oidc-Accesstoken',
      GF_AUTH_JWT_USERNAME_CLAIM: 'username',
      GF_AUTH_JWT_CACHE_TTL: '60m',
      GF_AUTH_JWT_AUTO_SIGN_UP: 'true',
      GF_AUTH_SIGNOUT_REDIRECT_URL: 'https://grafana.dev.example.com/_auth/signout',
      GF_SERVER_ROOT_URL: 'https://grafana.dev.example.com/',
    });
    // Access tokens have no email claim: Grafana must not be told to read one.
    expect(env.GF_AUTH_JWT_EMAIL_CLAIM).toBeUndefined();
    expect(env.GF_AUTH_JWT_ROLE_ATTRIBUTE_PATH).toBe(
      grafanaRoleAttributePath([
        { name: 'grafana-admins', grafanaRole: 'Admin' },
        { name: 'grafana-editors', grafanaRole: 'Editor' },
      ]),
    );
  });

  test('Grafana JWKS URL and expected claims are read from the auth stack, pinning iss, client_id and token_use', () => {
    const computed: string = releases['app-grafana'].values.find((v: string) => v.startsWith('${yamlencode('));
    expect(computed).toContain('"GF_AUTH_JWT_JWK_SET_URL" = data.terraform_remote_state.remote-state-auth.outputs.jwks_url');
    // THEN client_id is Grafana's own client, by key; the placeholder only while auth's state predates this code
    const clientId = `(data.terraform_remote_state.remote-state-auth.outputs.outputs_contract == "${authContract(['alb'])}") ? data.terraform_remote_state.remote-state-auth.outputs.client_ids.alb : "${PLACEHOLDER_CLIENT_ID}"`;
    expect(computed).toContain(
      `"GF_AUTH_JWT_EXPECT_CLAIMS" = jsonencode({"iss" = data.terraform_remote_state.remote-state-auth.outputs.issuer_url, "client_id" = ${clientId}, "token_use" = "access"})`,
    );
    expect(computed).not.toContain('"aud"');
    expect(tf.cluster.data.terraform_remote_state['remote-state-auth']).toEqual({
      backend: 'local',
      config: { path: '../../../.state/dev/auth.tfstate' },
      defaults: { ...authPlaceholders('eu-west-1', ['alb']), [CONTRACT_OUTPUT]: 'none' },
    });
  });

  test('the role mapping tolerates users in no group', () => {
    expect(grafanaRoleAttributePath([])).toBe("'Viewer'");
    expect(
      grafanaRoleAttributePath([
        { name: 'ops', grafanaRole: 'Admin' },
        { name: 'devs', grafanaRole: 'Admin' },
      ]),
    ).toBe(
      '(contains(not_null("cognito:groups", `[]`), `"devs"`) || contains(not_null("cognito:groups", `[]`), `"ops"`)) && \'Admin\' || \'Viewer\'',
    );
  });

  test('the echo sample echoes request headers only: no environment, no cookies (the ALB session), no file reads', () => {
    const echo = resourcesOf(tf.cluster, 'kubernetes_deployment_v1').find((d) => d.metadata.name === 'echo')!;
    expect(echo.spec.template.spec.container[0].env).toEqual([
      { name: 'PORT', value: '8080' },
      { name: 'ENABLE__ENVIRONMENT', value: 'false' },
      { name: 'ENABLE__COOKIES', value: 'false' },
      { name: 'ENABLE__FILE', value: 'false' },
    ]);
  });

  test('sample apps get an Ingress on their host, and Grafana its chart ingress', () => {
    expect(json.cluster).toHaveResourceWithProperties(IngressV1, {
      spec: expect.objectContaining({ ingress_class_name: 'nginx', rule: [expect.objectContaining({ host: 'echo.dev.example.com' })] }),
    });
    expect(json.cluster).toHaveResourceWithProperties(IngressV1, {
      spec: expect.objectContaining({ rule: [expect.objectContaining({ host: 'status.dev.example.com' })] }),
    });
    expect(plainValues(releases['app-grafana']).ingress).toMatchObject({
      enabled: true,
      ingressClassName: 'nginx',
      hosts: ['grafana.dev.example.com'],
    });
  });

  test("outputs are the NLB's security group for the edge stack, the contract and the placeholder report", () => {
    expect(Object.keys(tf.cluster.output).sort()).toEqual([CLUSTER_OUTPUTS.ingressSecurityGroupId, CONTRACT_OUTPUT, PLACEHOLDERS_OUTPUT]);
    expect(tf.cluster.output[CLUSTER_OUTPUTS.ingressSecurityGroupId].value).toBe('${aws_security_group.ingress-sg.id}');
    expect(tf.cluster.output[CONTRACT_OUTPUT].value).toBe(clusterContract());
    expect(tf.cluster.output[PLACEHOLDERS_OUTPUT].value).toBe(
      `\${compact([(data.terraform_remote_state.remote-state-auth.outputs.outputs_contract == "${authContract(['alb'])}") ? "" : "auth"])}`,
    );
  });
});
