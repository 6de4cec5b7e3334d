import { Lb } from '@cdktf/provider-aws/lib/lb';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { SecurityGroupRule, type SecurityGroupRuleConfig } from '@cdktf/provider-aws/lib/security-group-rule';
import {
  VpcSecurityGroupIngressRule,
  type VpcSecurityGroupIngressRuleConfig,
} from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { DataTerraformRemoteStateLocal } from 'cdktf';
import { declareSecurityGroupReference, declareSecurityGroupRole } from '../../../modules/policy/facts';
import { findingsOf, labStack, ruleTests, type FailCase, type PassCase } from '../helpers';

const ALB_SG_ONLY = "only the ALB's security group may admit the internet, on tcp 80 and 443";
const NLB_ALB_ONLY = "the ingress NLB's security group may admit only the ALB's security group";

describe('target group and security group rules', () => {
  // GIVEN one plain stack with an ALB and an NLB, their security groups found through aws_lb.security_groups,
  // and one target group or ingress rule per case
  const stack = labStack();
  const albSg = new SecurityGroup(stack, 'alb-sg', { description: 'ALB' });
  const nlbSg = new SecurityGroup(stack, 'nlb-sg', { description: 'NLB' });
  const otherSg = new SecurityGroup(stack, 'other-sg', { description: 'Managed by Terraform' });
  new Lb(stack, 'alb', { securityGroups: [albSg.id], internal: true });
  new Lb(stack, 'nlb', { loadBalancerType: 'network', securityGroups: [nlbSg.id] });
  const vpcRule = (id: string, config: Omit<VpcSecurityGroupIngressRuleConfig, 'ipProtocol'>): void => {
    new VpcSecurityGroupIngressRule(stack, id, { ipProtocol: 'tcp', ...config });
  };
  vpcRule('alb-https', { securityGroupId: albSg.id, fromPort: 443, toPort: 443, cidrIpv4: '0.0.0.0/0', description: 'HTTPS' });
  vpcRule('alb-range', { securityGroupId: albSg.id, fromPort: 80, toPort: 443, cidrIpv4: '0.0.0.0/0', description: 'a range' });
  vpcRule('nlb-from-vpc', { securityGroupId: nlbSg.id, fromPort: 80, toPort: 80, cidrIpv4: '10.0.0.0/8' });
  vpcRule('nlb-from-other', {
    securityGroupId: nlbSg.id,
    fromPort: 80,
    toPort: 80,
    referencedSecurityGroupId: otherSg.id,
    description: 'x',
  });
  vpcRule('nlb-from-list', { securityGroupId: nlbSg.id, fromPort: 80, toPort: 80, prefixListId: 'pl-123', description: 'a prefix list' });
  const sgRule = (id: string, config: Omit<SecurityGroupRuleConfig, 'type'>, type = 'ingress'): void => {
    new SecurityGroupRule(stack, id, { type, ...config });
  };
  sgRule('nlb-from-alb', {
    securityGroupId: nlbSg.id,
    protocol: 'tcp',
    fromPort: 80,
    toPort: 80,
    sourceSecurityGroupId: albSg.id,
    description: 'from the ALB',
  });
  sgRule('nlb-self', { securityGroupId: nlbSg.id, protocol: 'tcp', fromPort: 80, toPort: 80, selfAttribute: true, description: 'itself' });
  sgRule('anything-v6', {
    securityGroupId: albSg.id,
    protocol: '-1',
    fromPort: 0,
    toPort: 0,
    ipv6CidrBlocks: ['::/0'],
    description: 'everything',
  });
  const anywhere = { protocol: '-1', fromPort: 0, toPort: 0, cidrBlocks: ['0.0.0.0/0'] };
  sgRule('egress-anywhere', { securityGroupId: albSg.id, ...anywhere, description: 'egress is not ingress' }, 'egress');
  new SecurityGroup(stack, 'inline', {
    ingress: [{ protocol: 'tcp', fromPort: 22, toPort: 22, cidrBlocks: ['0.0.0.0/0'] }],
    egress: [{ ...anywhere, description: 'anywhere' }],
  });
  new LbTargetGroup(stack, 'ip-targets', { targetType: 'ip', protocol: 'HTTP', port: 80 });
  new LbTargetGroup(stack, 'default-path', { targetType: 'ip', protocol: 'HTTP', port: 80, healthCheck: { enabled: true } });
  new LbTargetGroup(stack, 'check-off', {
    targetType: 'ip',
    protocol: 'HTTP',
    port: 80,
    healthCheck: { enabled: false, path: '/healthz' },
  });
  new LbTargetGroup(stack, 'healthz', { targetType: 'ip', protocol: 'HTTP', port: 80, healthCheck: { enabled: true, path: '/healthz' } });
  new LbTargetGroup(stack, 'signout-lambda', { targetType: 'lambda' });
  new LbTargetGroup(stack, 'tcp-targets', { targetType: 'ip', protocol: 'TCP', port: 80, healthCheck: { enabled: true, protocol: 'TCP' } });
  // WHEN the policy runs once on the stack alone
  const found = findingsOf(stack);

  const fails: FailCase[] = [
    [
      'TARGET_GROUP_HEALTH_CHECK',
      'an IP target group declares no health check',
      'lab/ip-targets',
      'health_check is (not set), must be a block with enabled = true',
    ],
    [
      'TARGET_GROUP_HEALTH_CHECK',
      'an HTTP health check has no path',
      'lab/default-path',
      'health_check.path is (not set), must be an explicit path for an HTTP health check',
    ],
    ['TARGET_GROUP_HEALTH_CHECK', 'the health check is disabled', 'lab/check-off', 'health_check.enabled is false, must be true'],
    [
      'SG_DESCRIPTION',
      'a security group has no description',
      'lab/inline',
      'description is (not set), must be a description (the provider default is "Managed by Terraform")',
    ],
    [
      'SG_DESCRIPTION',
      'a security group keeps the provider default description',
      'lab/other-sg',
      'description is "Managed by Terraform", must be a description (the provider default is "Managed by Terraform")',
    ],
    [
      'SG_DESCRIPTION',
      'an inline ingress block has no description',
      'lab/inline',
      'ingress[0].description is (not set), must be a description',
    ],
    ['SG_DESCRIPTION', 'a security group rule has no description', 'lab/nlb-from-vpc', 'description is (not set), must be a description'],
    [
      'SG_PUBLIC_INGRESS',
      'the ALB group admits a port range from anywhere',
      'lab/alb-range',
      `cidr_ipv4 admits "0.0.0.0/0" on tcp 80-443; ${ALB_SG_ONLY}`,
    ],
    [
      'SG_PUBLIC_INGRESS',
      'an aws_security_group_rule admits ::/0 on all protocols',
      'lab/anything-v6',
      `ipv6_cidr_blocks admits "::/0" on all protocols; ${ALB_SG_ONLY}`,
    ],
    [
      'SG_PUBLIC_INGRESS',
      'an inline ingress block admits SSH from anywhere',
      'lab/inline',
      `ingress[0].cidr_blocks admits "0.0.0.0/0" on tcp 22; ${ALB_SG_ONLY}`,
    ],
    ['NLB_INGRESS_FROM_ALB_ONLY', 'the NLB group admits itself', 'lab/nlb-self', `self is true; ${NLB_ALB_ONLY}`],
    ['NLB_INGRESS_FROM_ALB_ONLY', 'the NLB group admits a CIDR', 'lab/nlb-from-vpc', `cidr_ipv4 admits "10.0.0.0/8"; ${NLB_ALB_ONLY}`],
    [
      'NLB_INGRESS_FROM_ALB_ONLY',
      'the NLB group admits a prefix list',
      'lab/nlb-from-list',
      `prefix_list_id admits "pl-123"; ${NLB_ALB_ONLY}`,
    ],
    [
      'NLB_INGRESS_FROM_ALB_ONLY',
      'the NLB group admits another security group',
      'lab/nlb-from-other',
      `referenced_security_group_id is "\${aws_security_group.other-sg.id}", must be the ALB's security group`,
    ],
  ];
  const passes: PassCase[] = [
    ['TARGET_GROUP_HEALTH_CHECK', 'an HTTP health check is enabled with a path', 'lab/healthz'],
    ['TARGET_GROUP_HEALTH_CHECK', 'a Lambda target group has no health check', 'lab/signout-lambda'],
    ['TARGET_GROUP_HEALTH_CHECK', 'a TCP health check has no path', 'lab/tcp-targets'],
    ['SG_DESCRIPTION', 'the group is described', 'lab/alb-sg'],
    ['SG_DESCRIPTION', 'the rule is described', 'lab/nlb-from-alb'],
    ['SG_PUBLIC_INGRESS', "the ALB's group admits tcp 443 from anywhere", 'lab/alb-https'],
    ['SG_PUBLIC_INGRESS', 'an egress rule allows anywhere', 'lab/egress-anywhere'],
    ['NLB_INGRESS_FROM_ALB_ONLY', "the NLB group admits the ALB's group", 'lab/nlb-from-alb'],
  ];
  ruleTests(stack, found, fails, passes);

  test('passes what it cannot prove insecure or what is allowed', () => {
    const paths = new Set(found.map(([, path]) => path));
    // THEN: tcp 443 from anywhere on the ALB's group; the NLB group admitting the ALB's group;
    // egress; a Lambda target group without health check; a TCP health check without path; the NLB
    for (const ok of ['lab/alb-https', 'lab/nlb-from-alb', 'lab/egress-anywhere', 'lab/signout-lambda', 'lab/tcp-targets', 'lab/nlb']) {
      expect([ok, paths.has(ok)]).toEqual([ok, false]);
    }
  });
});

describe("rules on a security group another stack owns (the NLB's group, read from the cluster stack's state)", () => {
  // GIVEN a stack like the edge stack: the ALB's group of its own, the NLB's group id from remote
  // state declared as the ingress group, another group id from remote state declared as nothing
  const stack = labStack('edge-lab');
  const cluster = new DataTerraformRemoteStateLocal(stack, 'cluster-state', { path: 'cluster.tfstate' });
  const albSg = new SecurityGroup(stack, 'alb-sg', { description: 'ALB' });
  declareSecurityGroupRole(albSg, 'alb');
  const remoteNlb = cluster.getString('ingress_security_group_id');
  declareSecurityGroupReference(stack, remoteNlb, 'ingress');
  const rule = (id: string, config: Omit<VpcSecurityGroupIngressRuleConfig, 'ipProtocol' | 'fromPort' | 'toPort'>): void => {
    new VpcSecurityGroupIngressRule(stack, id, { ipProtocol: 'tcp', fromPort: 80, toPort: 80, ...config });
  };
  rule('nlb-from-alb', { securityGroupId: remoteNlb, referencedSecurityGroupId: albSg.id, description: 'from the ALB' });
  rule('nlb-from-vpc', { securityGroupId: remoteNlb, cidrIpv4: '10.0.0.0/8', description: 'from the VPC' });
  rule('other-from-vpc', { securityGroupId: cluster.getString('other_group_id'), cidrIpv4: '10.0.0.0/8', description: 'not the NLB' });
  // WHEN the policy runs on the stack alone
  const found = findingsOf(stack);

  const fails: FailCase[] = [
    [
      'NLB_INGRESS_FROM_ALB_ONLY',
      "a rule in this stack admits a CIDR to the NLB's group of another stack",
      'edge-lab/nlb-from-vpc',
      `cidr_ipv4 admits "10.0.0.0/8"; ${NLB_ALB_ONLY}`,
    ],
  ];
  const passes: PassCase[] = [
    [
      'NLB_INGRESS_FROM_ALB_ONLY',
      "a rule in this stack admits the ALB's group to the NLB's group of another stack",
      'edge-lab/nlb-from-alb',
    ],
    ['NLB_INGRESS_FROM_ALB_ONLY', 'the remote group is not declared as the NLB group', 'edge-lab/other-from-vpc'],
  ];
  ruleTests(stack, found, fails, passes);
});
