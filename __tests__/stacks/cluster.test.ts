import '../setup';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { DataAwsEksCluster } from '@cdktf/provider-aws/lib/data-aws-eks-cluster';
import { Release } from '@cdktf/provider-helm/lib/release';
import { IngressV1 } from '@cdktf/provider-kubernetes/lib/ingress-v1';
import { parse } from 'yaml';
import { CHARTS, INGRESS_NLB_TAG_KEY } from '../../modules/stacks/cluster';
import { grafanaRoleAttributePath } from '../../modules/plan/grafana';
import { CLUSTER_OUTPUTS } from '../../modules/stacks/outputs';
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

  test('helm and kubernetes providers are configured from the EKS cluster by name', () => {
    expect(json.cluster).toHaveDataSourceWithProperties(DataAwsEksCluster, { name: 'dev-eks' });
    const kubernetes = {
      host: '${data.aws_eks_cluster.eks.endpoint}',
      token: '${data.aws_eks_cluster_auth.eks-auth.token}',
      cluster_ca_certificate: '${base64decode(data.aws_eks_cluster.eks.certificate_authority[0].data)}',
    };
    expect(tf.cluster.provider.helm).toEqual([{ kubernetes }]);
    expect(tf.cluster.provider.kubernetes).toEqual([kubernetes]);
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

  test('ingress-nginx is behind an internal NLB that only the ALB security group may reach', () => {
    const values = plainValues(releases['ingress-nginx']);
    const annotations = values.controller.service.annotations;
    expect(annotations['service.beta.kubernetes.io/aws-load-balancer-scheme']).toBe('internal');
    expect(annotations['service.beta.kubernetes.io/aws-load-balancer-type']).toBe('external');
    expect(annotations['service.beta.kubernetes.io/aws-load-balancer-additional-resource-tags']).toBe(`${INGRESS_NLB_TAG_KEY}=dev`);
    expect(values.controller.config['use-forwarded-headers']).toBe('true');
    expect(values.controller.service.enableHttps).toBe(false);
    const computed = releases['ingress-nginx'].values.find((v: string) => v.startsWith('${yamlencode('));
    expect(computed).toContain('"service.beta.kubernetes.io/aws-load-balancer-security-groups" = aws_security_group.ingress-sg.id');
    expect(computed).toContain('"proxy-real-ip-cidr" = data.aws_vpc.vpc.cidr_block');
  });

  test('the ingress security group admits only the ALB security group', () => {
    expect(json.cluster).toHaveResourceWithProperties(SecurityGroup, {
      name_prefix: 'dev-central-auth-ingress-',
      vpc_id: 'vpc-0123456789abcdef0',
      lifecycle: { create_before_destroy: true },
    });
    const ingressRules = resourcesOf(tf.cluster, 'aws_vpc_security_group_ingress_rule').filter(
      (r) => r.security_group_id === '${aws_security_group.ingress-sg.id}',
    );
    expect(ingressRules).toEqual([
      expect.objectContaining({
        referenced_security_group_id: '${aws_security_group.alb-sg.id}',
        from_port: 80,
        to_port: 80,
        ip_protocol: 'tcp',
      }),
    ]);
    expect(ingressRules[0].cidr_ipv4).toBeUndefined();
  });

  test('the ALB security group is open on 80 and 443 only, and every rule is described', () => {
    const albIngress = resourcesOf(tf.cluster, 'aws_vpc_security_group_ingress_rule').filter(
      (r) => r.security_group_id === '${aws_security_group.alb-sg.id}',
    );
    expect(albIngress.map((r) => r.from_port).sort()).toEqual([443, 80]);
    expect(json.cluster).toHaveResourceWithProperties(VpcSecurityGroupEgressRule, {
      referenced_security_group_id: '${aws_security_group.ingress-sg.id}',
      from_port: 80,
    });
    expect(json.cluster).toHaveResourceWithProperties(VpcSecurityGroupIngressRule, { cidr_ipv4: '0.0.0.0/0', from_port: 443 });
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
    expect(computed).toContain(
      '"GF_AUTH_JWT_EXPECT_CLAIMS" = jsonencode({"iss" = data.terraform_remote_state.remote-state-auth.outputs.issuer_url, "client_id" = element(data.terraform_remote_state.remote-state-auth.outputs.client_ids, 0), "token_use" = "access"})',
    );
    expect(computed).not.toContain('"aud"');
    expect(tf.cluster.data.terraform_remote_state['remote-state-auth']).toEqual({
      backend: 'local',
      config: { path: '../../../.state/dev/auth.tfstate' },
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
      "(contains(not_null(\"cognito:groups\", `[]`), 'devs') || contains(not_null(\"cognito:groups\", `[]`), 'ops')) && 'Admin' || 'Viewer'",
    );
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

  test('outputs tell the edge stack how to find the NLB and which security group the ALB uses', () => {
    expect(tf.cluster.output[CLUSTER_OUTPUTS.ingressNlbTags].value).toEqual({
      [INGRESS_NLB_TAG_KEY]: 'dev',
      'elbv2.k8s.aws/cluster': 'dev-eks',
    });
    expect(tf.cluster.output[CLUSTER_OUTPUTS.albSecurityGroupId].value).toBe('${aws_security_group.alb-sg.id}');
  });
});
