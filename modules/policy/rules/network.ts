import type { IConstruct } from 'constructs';
import { isType, type PolicyContext } from '../context';
import { block, list, mustBe, referenceTo, show, type Attributes } from '../inspect';
import type { PolicyRule } from './types';

const OPEN_CIDRS = ['0.0.0.0/0', '::/0'];
const INTERNET_PORTS = [80, 443];
const TARGET_GROUPS = ['aws_lb_target_group', 'aws_alb_target_group'];

/** One ingress permission, from any of the three ways to write one. */
interface Ingress {
  /** Attribute prefix for messages: `` or `ingress[2].`. */
  readonly prefix: string;
  readonly group: unknown;
  readonly protocol: unknown;
  readonly fromPort: unknown;
  readonly toPort: unknown;
  /** Sources as [attribute, value]: CIDRs, prefix lists, security groups, self. */
  readonly cidrs: readonly (readonly [string, unknown])[];
  readonly others: readonly (readonly [string, unknown])[];
  readonly groups: readonly (readonly [string, unknown])[];
}

function ingressOf(c: IConstruct, ctx: PolicyContext): Ingress[] {
  if (isType(c, 'aws_vpc_security_group_ingress_rule')) {
    const a = ctx.attributes(c);
    return [
      {
        prefix: '',
        group: a.security_group_id,
        protocol: a.ip_protocol,
        fromPort: a.from_port,
        toPort: a.to_port,
        cidrs: [
          ['cidr_ipv4', a.cidr_ipv4],
          ['cidr_ipv6', a.cidr_ipv6],
        ].filter(([, v]) => v !== undefined) as [string, unknown][],
        others: a.prefix_list_id !== undefined ? [['prefix_list_id', a.prefix_list_id]] : [],
        groups: a.referenced_security_group_id !== undefined ? [['referenced_security_group_id', a.referenced_security_group_id]] : [],
      },
    ];
  }
  if (isType(c, 'aws_security_group_rule')) {
    const a = ctx.attributes(c);
    if (a.type !== 'ingress') return [];
    return [inline(a, '', a.security_group_id, 'source_security_group_id')];
  }
  if (isType(c, 'aws_security_group')) {
    const a = ctx.attributes(c);
    return list(a.ingress).map((rule: Attributes, i) => inline(rule, `ingress[${i}].`, referenceTo(c, 'id'), 'security_groups'));
  }
  return [];
}

/** `aws_security_group_rule` and inline `ingress` blocks share their attribute names. */
function inline(a: Attributes, prefix: string, group: unknown, groupsKey: 'source_security_group_id' | 'security_groups'): Ingress {
  return {
    prefix,
    group,
    protocol: a.protocol,
    fromPort: a.from_port,
    toPort: a.to_port,
    cidrs: [
      ...list(a.cidr_blocks).map((v) => [`${prefix}cidr_blocks`, v] as const),
      ...list(a.ipv6_cidr_blocks).map((v) => [`${prefix}ipv6_cidr_blocks`, v] as const),
    ],
    others: [
      ...list(a.prefix_list_ids).map((v) => [`${prefix}prefix_list_ids`, v] as const),
      ...(a.self === true ? [[`${prefix}self`, true] as const] : []),
    ],
    groups: list(a[groupsKey]).map((v) => [`${prefix}${groupsKey}`, v] as const),
  };
}

function portRange(i: Ingress): string {
  const protocol = i.protocol === '-1' || i.protocol === -1 || i.protocol === 'all' ? 'all protocols' : String(i.protocol);
  if (protocol === 'all protocols') return protocol;
  return i.fromPort === i.toPort ? `${protocol} ${show(i.fromPort)}` : `${protocol} ${show(i.fromPort)}-${show(i.toPort)}`;
}

export const NETWORK_RULES: readonly PolicyRule[] = [
  {
    id: 'TARGET_GROUP_HEALTH_CHECK',
    mirrors: ['CKV_AWS_261'],
    description: 'Target groups declare an enabled health check, with a path for HTTP(S); Lambda target groups may leave it off.',
    fix: 'Set healthCheck: { enabled: true, path: "/healthz", matcher: "200", ... } on the target group.',
    severity: 'error',
    suppressible: false,
    check: (c, ctx) => {
      if (!isType(c, ...TARGET_GROUPS)) return [];
      const attrs = ctx.attributes(c);
      // A Lambda is invoked per request; its health check is optional and off by default.
      if (attrs.target_type === 'lambda') return [];
      const hc = block(attrs.health_check);
      if (!hc) return [mustBe('health_check', undefined, 'a block with enabled = true')];
      if (hc.enabled === false) return [mustBe('health_check.enabled', false, 'true')];
      const protocol = hc.protocol ?? attrs.protocol;
      if ((protocol === 'HTTP' || protocol === 'HTTPS') && (hc.path === undefined || hc.path === ''))
        return [mustBe('health_check.path', hc.path, 'an explicit path for an HTTP health check')];
      return [];
    },
  },
  {
    id: 'SG_DESCRIPTION',
    mirrors: ['CKV_AWS_23', 'AWS-0099', 'AWS-0124'],
    description: 'Security groups and every security group rule say what they are for.',
    fix: 'Set description on the security group or rule (not "Managed by Terraform").',
    severity: 'error',
    suppressible: false,
    check: (c, ctx) => {
      const described = (v: unknown): boolean => typeof v === 'string' && v.trim() !== '' && v !== 'Managed by Terraform';
      if (isType(c, 'aws_security_group')) {
        const attrs = ctx.attributes(c);
        return [
          ...(described(attrs.description)
            ? []
            : [mustBe('description', attrs.description, 'a description (the provider default is "Managed by Terraform")')]),
          ...(['ingress', 'egress'] as const).flatMap((kind) =>
            list(attrs[kind]).flatMap((r: Attributes, i) =>
              described(r?.description) ? [] : [mustBe(`${kind}[${i}].description`, r?.description, 'a description')],
            ),
          ),
        ];
      }
      if (
        isType(c, 'aws_security_group_rule') ||
        isType(c, 'aws_vpc_security_group_ingress_rule') ||
        isType(c, 'aws_vpc_security_group_egress_rule')
      ) {
        const { description } = ctx.attributes(c);
        return described(description) ? [] : [mustBe('description', description, 'a description')];
      }
      return [];
    },
  },
  {
    id: 'SG_PUBLIC_INGRESS',
    mirrors: ['CKV_AWS_24', 'CKV_AWS_25', 'CKV_AWS_260', 'AWS-0107', 'AwsSolutions-EC23'],
    description: "Nothing admits 0.0.0.0/0 or ::/0 except the ALB's security group, on tcp 80 and tcp 443 each.",
    fix: "Admit the internet only on the ALB's security group, one rule per port (tcp 443, and tcp 80 for the redirect); reach everything else through the ALB.",
    severity: 'error',
    suppressible: false,
    check: (c, ctx) =>
      ingressOf(c, ctx).flatMap((i) => {
        const allowed =
          ctx.isAlbSecurityGroup(c, i.group) &&
          (i.protocol === 'tcp' || i.protocol === '6') &&
          i.fromPort === i.toPort &&
          INTERNET_PORTS.includes(i.fromPort as number);
        return i.cidrs
          .filter(([, cidr]) => OPEN_CIDRS.includes(cidr as string) && !allowed)
          .map(
            ([attr, cidr]) =>
              `${attr} admits ${show(cidr)} on ${portRange(i)}; only the ALB's security group may admit the internet, on tcp 80 and 443`,
          );
      }),
  },
  {
    id: 'NLB_INGRESS_FROM_ALB_ONLY',
    mirrors: [],
    description:
      "The ingress NLB's security group admits only the ALB's security group (by reference), never a CIDR, prefix list or itself.",
    fix: "Replace the rule with one whose referenced_security_group_id is the ALB's security group.",
    severity: 'error',
    suppressible: false,
    check: (c, ctx) =>
      ingressOf(c, ctx)
        .filter((i) => ctx.isIngressSecurityGroup(c, i.group))
        .flatMap((i) => [
          ...[...i.cidrs, ...i.others].map(
            ([attr, v]) =>
              `${attr} ${attr.endsWith('self') ? 'is' : 'admits'} ${show(v)}; the ingress NLB's security group may admit only the ALB's security group`,
          ),
          ...i.groups
            .filter(([, g]) => !ctx.isAlbSecurityGroup(c, g))
            .map(([attr, g]) => `${attr} is ${show(g)}, must be the ALB's security group`),
        ]),
  },
];
