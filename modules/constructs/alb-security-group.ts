import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Construct } from 'constructs';
import { declareSecurityGroupReference, declareSecurityGroupRole } from '../policy/facts';

export interface AlbSecurityGroupProps {
  /** Prefix of the group's generated name. */
  readonly namePrefix: string;
  readonly vpcId: string;
  /** The internal NLB's security group, created with the NLB in the cluster stack. */
  readonly targetSecurityGroupId: string;
  /**
   * The NLB's pinned addresses: the ALB's egress names them, not the NLB's group, which lives in
   * another stack (AWS refuses to delete a group another group's rule still references).
   */
  readonly targetAddresses: readonly string[];
  /** @default 80 */
  readonly targetPort?: number;
}

/**
 * The ALB's security group and every rule that names it, all in the ALB's stack: replacing the
 * group (create before destroy) then also replaces the rules that admit it, in the same apply,
 * before the old group goes. That includes the rule on the NLB's group that admits the ALB,
 * created here as a rule resource of its own rather than by moving the ALB's group upstream.
 */
export class AlbSecurityGroup extends Construct {
  readonly group: SecurityGroup;

  constructor(scope: Construct, id: string, props: AlbSecurityGroupProps) {
    super(scope, id);
    const { targetSecurityGroupId: target, targetPort = 80 } = props;
    this.group = new SecurityGroup(this, 'group', {
      // create_before_destroy needs a generated name: two groups in a VPC cannot share one.
      namePrefix: `${props.namePrefix}-alb-`,
      description: 'Central auth ALB: HTTPS and HTTP from clients',
      vpcId: props.vpcId,
      lifecycle: { createBeforeDestroy: true },
    });
    declareSecurityGroupRole(this.group, 'alb');
    declareSecurityGroupReference(this, target, 'ingress');
    const alb = this.group.id;
    const rule = { ipProtocol: 'tcp' } as const;
    for (const [port, what] of [
      [443, 'HTTPS from clients'],
      [80, 'HTTP from clients, redirected to HTTPS'],
    ] as const) {
      new VpcSecurityGroupIngressRule(this, `in-${port}`, {
        ...rule,
        securityGroupId: alb,
        fromPort: port,
        toPort: port,
        cidrIpv4: '0.0.0.0/0',
        description: what,
      });
    }
    for (const address of props.targetAddresses) {
      new VpcSecurityGroupEgressRule(this, `out-nlb-${address}`, {
        ...rule,
        securityGroupId: alb,
        fromPort: targetPort,
        toPort: targetPort,
        cidrIpv4: `${address}/32`,
        description: 'To the internal NLB only (its pinned address)',
      });
    }
    // authenticate-cognito calls Cognito's token and userinfo endpoints from the ALB itself.
    new VpcSecurityGroupEgressRule(this, 'out-idp', {
      ...rule,
      securityGroupId: alb,
      fromPort: 443,
      toPort: 443,
      cidrIpv4: '0.0.0.0/0',
      description: 'To the Cognito token and userinfo endpoints',
    });
    new VpcSecurityGroupIngressRule(this, 'nlb-in-alb', {
      ...rule,
      securityGroupId: target,
      fromPort: targetPort,
      toPort: targetPort,
      referencedSecurityGroupId: alb,
      description: 'HTTP from the central auth ALB only',
    });
  }
}
