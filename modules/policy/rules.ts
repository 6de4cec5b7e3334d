import { AcmCertificate } from '@cdktf/provider-aws/lib/acm-certificate';
import { AlbListenerRule } from '@cdktf/provider-aws/lib/alb-listener-rule';
import { AlbTargetGroup } from '@cdktf/provider-aws/lib/alb-target-group';
import { CognitoUserPool } from '@cdktf/provider-aws/lib/cognito-user-pool';
import { CognitoUserPoolClient } from '@cdktf/provider-aws/lib/cognito-user-pool-client';
import { LbListenerRule } from '@cdktf/provider-aws/lib/lb-listener-rule';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { SecurityGroupRule } from '@cdktf/provider-aws/lib/security-group-rule';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Wafv2WebAclAssociation } from '@cdktf/provider-aws/lib/wafv2-web-acl-association';
import { Release } from '@cdktf/provider-helm/lib/release';
import { TerraformStack, type TerraformResource } from 'cdktf';
import type { IConstruct } from 'constructs';
import { parseAllDocuments } from 'yaml';
import { planCertificates } from '../plan/certificates';
import { protectedApps } from '../config/defaults';
import { isAny, isApplicationLb, LISTENERS, LOAD_BALANCERS, type PolicyContext } from './context';
import { block, isUnknown, list, mustBe, referenceTo, show, type Attributes } from './inspect';

export type Severity = 'error' | 'warning';

/** A problem found by a whole-app rule, on the construct it is about. */
export interface Problem {
  readonly construct: IConstruct;
  readonly message: string;
}

export interface PolicyRule {
  /** Stable id, used in messages and in `suppressions[].rule`. */
  readonly id: string;
  /** The checkov (CKV_*), trivy/tfsec (AWS-*) and cdk-nag (AwsSolutions-*) checks this mirrors. */
  readonly mirrors: readonly string[];
  readonly description: string;
  /** How to make the finding go away, for the error message. */
  readonly fix: string;
  readonly severity: Severity;
  /** Whether `suppressions: [{ rule, reason }]` may switch the rule off. */
  readonly suppressible: boolean;
  /** Checks one construct: what is wrong with it, or nothing when it is fine or not concerned. */
  readonly check?: (construct: IConstruct, ctx: PolicyContext) => readonly string[];
  /** Checks across resources, stacks and the config. */
  readonly checkAll?: (ctx: PolicyContext) => readonly Problem[];
}

/** Every TLS 1.3 policy with a TLS 1.2 floor and forward-secret ciphers. */
export const TLS_POLICY_PATTERN = /^ELBSecurityPolicy-TLS13-1-2-[A-Za-z0-9-]+$/;
/** Floor for `password_policy.minimum_length`; a lower config value needs a suppression. */
export const MIN_PASSWORD_LENGTH = 12;
const OPEN_CIDRS = ['0.0.0.0/0', '::/0'];
const INTERNET_PORTS = [80, 443];
const AUTH_ACTIONS = ['authenticate-oidc', 'authenticate-cognito'];
const TARGET_GROUPS = [LbTargetGroup, AlbTargetGroup];
const LISTENER_RULES = [LbListenerRule, AlbListenerRule];

// ---------------------------------------------------------------------------------------------
// Helpers shared by several rules
// ---------------------------------------------------------------------------------------------

/** The attributes of an application load balancer, else undefined. */
function alb(c: IConstruct, ctx: PolicyContext): Attributes | undefined {
  if (!isAny(c, LOAD_BALANCERS)) return undefined;
  const attrs = ctx.attributes(c);
  return isApplicationLb(attrs) ? attrs : undefined;
}

/** `attr` must be exactly `expected` (a literal: an expression cannot be proven). */
function literal(attrs: Attributes, path: string, expected: unknown): string[] {
  const value = path.split('.').reduce<unknown>((v, key) => block(v)?.[key], attrs);
  return value === expected ? [] : [mustBe(path, value, show(expected))];
}

interface Action {
  readonly where: string;
  readonly type: unknown;
  readonly attrs: Attributes;
}

function actions(attrs: Attributes, key: 'default_action' | 'action'): Action[] {
  return list(attrs[key]).map((a: Attributes, i) => ({ where: `${key}[${i}]`, type: a?.type, attrs: a ?? {} }));
}

/** The listener a listener rule is attached to, and that listener's protocol, when known. */
function listenerOf(
  rule: TerraformResource,
  ctx: PolicyContext,
): { listener: TerraformResource; protocol: string | undefined } | undefined {
  const listener = ctx.resolveReference(rule, ctx.attributes(rule).listener_arn);
  return listener && isAny(listener, LISTENERS) ? { listener, protocol: ctx.listenerProtocol(listener) } : undefined;
}

/** HTTP-side actions may only redirect to HTTPS. */
function redirectOnly(list: readonly Action[]): string[] {
  return list.flatMap(({ where, type, attrs }) => {
    if (type !== 'redirect') return [`${mustBe(`${where}.type`, type, '"redirect"')} on a plain-HTTP listener`];
    const protocol = block(attrs.redirect)?.protocol;
    return protocol === 'HTTPS' ? [] : [mustBe(`${where}.redirect.protocol`, protocol, '"HTTPS"')];
  });
}

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
  if (c instanceof VpcSecurityGroupIngressRule) {
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
  if (c instanceof SecurityGroupRule) {
    const a = ctx.attributes(c);
    if (a.type !== 'ingress') return [];
    return [inline(a, '', a.security_group_id, 'source_security_group_id')];
  }
  if (c instanceof SecurityGroup) {
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

/** `*.example.com` covers one label below it; anything else covers itself. */
function covers(name: unknown, host: string): boolean {
  if (typeof name !== 'string') return false;
  if (name.startsWith('*.')) {
    const parent = name.slice(2);
    return host.endsWith(`.${parent}`) && !host.slice(0, -parent.length - 1).includes('.');
  }
  return name === host;
}

/** An ALB host or path pattern (`*`, `?`) as a RegExp. */
function wildcard(pattern: string): RegExp {
  return new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    'i',
  );
}

const CALLBACK = /^https:\/\/([a-z0-9.-]+)\/oauth2\/idpresponse$/;

export function callbackUrlFor(host: string): string {
  return `https://${host}/oauth2/idpresponse`;
}

/** The last value a chart's values documents give `env.<name>` (later documents win, as in Helm). */
function chartEnv(values: readonly unknown[], name: string): { value: unknown; hcl: boolean } | undefined {
  let found: { value: unknown; hcl: boolean } | undefined;
  for (const doc of values) {
    if (typeof doc !== 'string') continue;
    if (doc.trimStart().startsWith('${')) {
      const expr = hclValue(doc, name);
      if (expr !== undefined) found = { value: expr, hcl: true };
      continue;
    }
    for (const parsed of parseAllDocuments(doc)) {
      const env = (parsed.toJS() as { env?: Record<string, unknown> } | null)?.env;
      if (env && name in env) found = { value: env[name], hcl: isUnknown(env[name]) };
    }
  }
  return found;
}

/** The text of `"name" = <expression>` inside a `${yamlencode({...})}` document, brackets balanced. */
function hclValue(doc: string, name: string): string | undefined {
  const start = doc.indexOf(`"${name}" = `);
  if (start < 0) return undefined;
  let i = start + name.length + 5;
  let depth = 0;
  let inString = false;
  const from = i;
  for (; i < doc.length; i++) {
    const ch = doc[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if ('({['.includes(ch!)) depth++;
    else if (')}]'.includes(ch!)) {
      if (depth === 0) break;
      depth--;
    } else if (ch === ',' && depth === 0) break;
  }
  return doc.slice(from, i).trim();
}

/** Which of iss, client_id and token_use = "access" an expect-claims value fails to pin. */
function unpinnedClaims(value: unknown, hcl: boolean): string[] {
  const missing: string[] = [];
  if (hcl && typeof value === 'string') {
    for (const claim of ['iss', 'client_id']) if (!new RegExp(`"${claim}"\\s*=\\s*(?!""|null)\\S`).test(value)) missing.push(claim);
    if (!/"token_use"\s*=\s*"access"/.test(value)) missing.push('token_use = "access"');
    return missing;
  }
  let claims: Record<string, unknown> = {};
  try {
    claims = typeof value === 'string' ? JSON.parse(value) : {};
  } catch {
    // Not JSON: every claim counts as missing.
  }
  for (const claim of ['iss', 'client_id']) if (typeof claims[claim] !== 'string' || claims[claim] === '') missing.push(claim);
  if (claims.token_use !== 'access') missing.push('token_use = "access"');
  return missing;
}

// ---------------------------------------------------------------------------------------------
// The rules
// ---------------------------------------------------------------------------------------------

export const RULES: readonly PolicyRule[] = [
  {
    id: 'ALB_DROP_INVALID_HEADERS',
    mirrors: ['CKV_AWS_131', 'AWS-0052'],
    description: 'Application load balancers drop HTTP headers with invalid names (request smuggling).',
    fix: 'Set dropInvalidHeaderFields: true on the load balancer.',
    severity: 'error',
    suppressible: false,
    check: (c, ctx) => {
      const attrs = alb(c, ctx);
      return attrs ? literal(attrs, 'drop_invalid_header_fields', true) : [];
    },
  },
  {
    id: 'ALB_DESYNC_MITIGATION',
    mirrors: ['CKV_AWS_328'],
    description: 'Application load balancers do not run HTTP desync mitigation in "monitor" mode.',
    fix: 'Set desyncMitigationMode to "defensive" (the default) or "strictest".',
    severity: 'error',
    suppressible: false,
    check: (c, ctx) => {
      const mode = alb(c, ctx)?.desync_mitigation_mode;
      return mode === 'monitor' ? [mustBe('desync_mitigation_mode', mode, '"defensive" or "strictest"')] : [];
    },
  },
  {
    id: 'ALB_DELETION_PROTECTION',
    mirrors: ['CKV_AWS_150'],
    description: 'Application load balancers have deletion protection enabled.',
    fix: 'Set alb.deletionProtection: true in the config (the default), or suppress ALB_DELETION_PROTECTION with a reason.',
    severity: 'error',
    suppressible: true,
    check: (c, ctx) => {
      const attrs = alb(c, ctx);
      return attrs ? literal(attrs, 'enable_deletion_protection', true) : [];
    },
  },
  {
    id: 'ALB_ACCESS_LOGS',
    mirrors: ['CKV_AWS_91', 'AwsSolutions-ELB2'],
    description: 'Application load balancers write access logs to S3.',
    fix: 'Set alb.accessLogs: { bucket: <bucket that allows ELB log delivery> } in the config, or suppress ALB_ACCESS_LOGS with a reason.',
    severity: 'error',
    suppressible: true,
    check: (c, ctx) => {
      const attrs = alb(c, ctx);
      if (!attrs) return [];
      const logs = block(attrs.access_logs);
      if (!logs) return [mustBe('access_logs', undefined, 'a block with enabled = true and a bucket')];
      return [
        ...literal(logs, 'enabled', true).map((m) => `access_logs.${m}`),
        ...(typeof logs.bucket === 'string' && logs.bucket !== '' ? [] : [mustBe('access_logs.bucket', logs.bucket, 'an S3 bucket name')]),
      ];
    },
  },
  {
    id: 'ALB_TLS_POLICY',
    mirrors: ['CKV_AWS_103', 'CKV2_AWS_74', 'AWS-0047'],
    description: 'HTTPS listeners name a TLS 1.3 policy with a TLS 1.2 floor (ELBSecurityPolicy-TLS13-1-2-*), never the provider default.',
    fix: 'Set sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06" (TLS_POLICY in modules/edge-stack.ts) on the listener.',
    severity: 'error',
    suppressible: false,
    check: (c, ctx) => {
      if (!isAny(c, LISTENERS)) return [];
      const protocol = ctx.listenerProtocol(c);
      if (protocol !== 'HTTPS' && protocol !== 'TLS') return [];
      const policy = ctx.attributes(c).ssl_policy;
      if (typeof policy === 'string' && !isUnknown(policy) && TLS_POLICY_PATTERN.test(policy)) return [];
      const why =
        policy === undefined
          ? ' (the provider default, ELBSecurityPolicy-2016-08, allows TLS 1.0)'
          : isUnknown(policy)
            ? ' (an expression)'
            : '';
      return [`ssl_policy is ${show(policy)}${why}, must be a literal ELBSecurityPolicy-TLS13-1-2-* policy`];
    },
  },
  {
    id: 'ALB_HTTP_REDIRECT',
    mirrors: ['CKV_AWS_2', 'CKV2_AWS_20', 'AWS-0054'],
    description: 'Plain-HTTP listeners, and the rules on them, do nothing but redirect to HTTPS.',
    fix: 'Give HTTP listeners one default action { type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } } and put every other rule on the HTTPS listener.',
    severity: 'error',
    suppressible: false,
    check: (c, ctx) => {
      if (isAny(c, LISTENERS)) {
        return ctx.listenerProtocol(c) === 'HTTP' ? redirectOnly(actions(ctx.attributes(c), 'default_action')) : [];
      }
      if (isAny(c, LISTENER_RULES) && listenerOf(c, ctx)?.protocol === 'HTTP') return redirectOnly(actions(ctx.attributes(c), 'action'));
      return [];
    },
  },
  {
    id: 'ALB_WAF',
    mirrors: ['CKV2_AWS_28'],
    description: 'Internet-facing application load balancers are associated with a WAFv2 web ACL.',
    fix: 'Set alb.webAclArn to a REGIONAL WAFv2 web ACL in the config, or suppress ALB_WAF with a reason.',
    severity: 'error',
    suppressible: true,
    check: (c, ctx) => {
      const attrs = alb(c, ctx);
      if (!attrs || attrs.internal === true) return [];
      const arn = referenceTo(c as TerraformResource, 'arn');
      const stack = TerraformStack.of(c);
      const associated = ctx.resources.some(
        (r) => r instanceof Wafv2WebAclAssociation && TerraformStack.of(r) === stack && ctx.attributes(r).resource_arn === arn,
      );
      return associated ? [] : [`no aws_wafv2_web_acl_association has resource_arn = "${arn}"`];
    },
  },
  {
    id: 'TARGET_GROUP_HEALTH_CHECK',
    mirrors: ['CKV_AWS_261'],
    description: 'Target groups declare an enabled health check, with a path for HTTP(S); Lambda target groups may leave it off.',
    fix: 'Set healthCheck: { enabled: true, path: "/healthz", matcher: "200", ... } on the target group.',
    severity: 'error',
    suppressible: false,
    check: (c, ctx) => {
      if (!isAny(c, TARGET_GROUPS)) return [];
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
      if (c instanceof SecurityGroup) {
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
      if (c instanceof SecurityGroupRule || c instanceof VpcSecurityGroupIngressRule || c instanceof VpcSecurityGroupEgressRule) {
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
  {
    id: 'ACM_CREATE_BEFORE_DESTROY',
    mirrors: ['CKV_AWS_233'],
    description: 'ACM certificates are replaced create-before-destroy, so a listener never loses its certificate.',
    fix: 'Set lifecycle: { createBeforeDestroy: true } on the certificate.',
    severity: 'error',
    suppressible: false,
    check: (c, ctx) => (c instanceof AcmCertificate ? literal(ctx.attributes(c), 'lifecycle.create_before_destroy', true) : []),
  },
  {
    id: 'ACM_CT_LOGGING',
    mirrors: ['CKV_AWS_234'],
    description: 'Requested ACM certificates are logged to Certificate Transparency, explicitly.',
    fix: 'Set options: { certificateTransparencyLoggingPreference: "ENABLED" } on the certificate.',
    severity: 'error',
    suppressible: false,
    check: (c, ctx) => {
      if (!(c instanceof AcmCertificate)) return [];
      const attrs = ctx.attributes(c);
      // Imported and private-CA certificates are not logged by ACM.
      if (attrs.private_key !== undefined || attrs.certificate_authority_arn !== undefined) return [];
      return literal(attrs, 'options.certificate_transparency_logging_preference', 'ENABLED');
    },
  },
  {
    id: 'COGNITO_ADMIN_CREATE_ONLY',
    mirrors: [],
    description: 'Only administrators create users: nobody signs themselves up.',
    fix: 'Set adminCreateUserConfig: { allowAdminCreateUserOnly: true } on the user pool.',
    severity: 'error',
    suppressible: false,
    check: (c, ctx) =>
      c instanceof CognitoUserPool ? literal(ctx.attributes(c), 'admin_create_user_config.allow_admin_create_user_only', true) : [],
  },
  {
    id: 'COGNITO_CASE_INSENSITIVE_USERNAMES',
    mirrors: [],
    description: 'Usernames are case-insensitive, so "Alice" and "alice" are one user.',
    fix: 'Set usernameConfiguration: { caseSensitive: false } on the user pool (it cannot change after creation).',
    severity: 'error',
    suppressible: false,
    check: (c, ctx) => (c instanceof CognitoUserPool ? literal(ctx.attributes(c), 'username_configuration.case_sensitive', false) : []),
  },
  {
    id: 'COGNITO_DELETION_PROTECTION',
    mirrors: [],
    description: 'The user pool has deletion protection.',
    fix: 'Set cognito.deletionProtection: true in the config (the default), or suppress COGNITO_DELETION_PROTECTION with a reason.',
    severity: 'error',
    suppressible: true,
    check: (c, ctx) => (c instanceof CognitoUserPool ? literal(ctx.attributes(c), 'deletion_protection', 'ACTIVE') : []),
  },
  {
    id: 'COGNITO_PASSWORD_LENGTH',
    mirrors: ['AwsSolutions-COG1'],
    description: `Passwords have at least ${MIN_PASSWORD_LENGTH} characters, and at least cognito.passwordMinimumLength when that is higher.`,
    fix: `Leave cognito.passwordMinimumLength at ${MIN_PASSWORD_LENGTH} or more; a lower value needs a suppression of COGNITO_PASSWORD_LENGTH with a reason.`,
    severity: 'error',
    suppressible: true,
    check: (c, ctx) => {
      if (!(c instanceof CognitoUserPool)) return [];
      const length = block(ctx.attributes(c).password_policy)?.minimum_length;
      const configured = ctx.config?.cognito.passwordMinimumLength;
      const required = Math.max(MIN_PASSWORD_LENGTH, configured ?? 0);
      if (typeof length === 'number' && length >= required) return [];
      const source = configured !== undefined && configured > MIN_PASSWORD_LENGTH ? ' (cognito.passwordMinimumLength)' : '';
      return [
        mustBe('password_policy.minimum_length', length, `at least ${required}${source}`) +
          (length === undefined ? ' (the AWS default is 8)' : ''),
      ];
    },
  },
  {
    id: 'COGNITO_PASSWORD_CLASSES',
    mirrors: ['AwsSolutions-COG1'],
    description: 'Passwords need lowercase, uppercase, digits and symbols.',
    fix: 'Set requireLowercase, requireUppercase, requireNumbers and requireSymbols to true in passwordPolicy.',
    severity: 'error',
    suppressible: false,
    check: (c, ctx) => {
      if (!(c instanceof CognitoUserPool)) return [];
      const attrs = ctx.attributes(c);
      return ['require_lowercase', 'require_uppercase', 'require_numbers', 'require_symbols'].flatMap((k) =>
        literal(attrs, `password_policy.${k}`, true),
      );
    },
  },
  {
    id: 'COGNITO_MFA',
    mirrors: [],
    description: "The user pool's MFA setting is the config's cognito.mfa, with TOTP enabled whenever MFA is on or optional.",
    fix: 'Build the pool from config.cognito.mfa (HostedUserPool does) and enable softwareTokenMfaConfiguration unless MFA is OFF.',
    severity: 'error',
    suppressible: false,
    check: (c, ctx) => {
      if (!(c instanceof CognitoUserPool)) return [];
      const attrs = ctx.attributes(c);
      const mfa = attrs.mfa_configuration ?? 'OFF';
      const wanted = ctx.config?.cognito.mfa;
      return [
        ...(wanted !== undefined && mfa !== wanted ? [mustBe('mfa_configuration', mfa, `${show(wanted)} (cognito.mfa)`)] : []),
        ...((mfa === 'ON' || mfa === 'OPTIONAL') &&
        block(attrs.software_token_mfa_configuration)?.enabled !== true &&
        attrs.sms_configuration === undefined
          ? [
              mustBe(
                'software_token_mfa_configuration.enabled',
                block(attrs.software_token_mfa_configuration)?.enabled,
                `true when mfa_configuration is ${show(mfa)}`,
              ),
            ]
          : []),
      ];
    },
  },
  {
    id: 'COGNITO_MFA_OFF',
    mirrors: ['AwsSolutions-COG2'],
    description: 'Warns when users can sign in with a password alone (cognito.mfa: OFF).',
    fix: 'Set cognito.mfa to "OPTIONAL" (the default) or "ON"; or suppress COGNITO_MFA_OFF with a reason to silence the warning.',
    severity: 'warning',
    suppressible: true,
    check: (c, ctx) => {
      if (!(c instanceof CognitoUserPool)) return [];
      const mfa = ctx.attributes(c).mfa_configuration;
      return mfa === undefined || mfa === 'OFF' ? [`mfa_configuration is ${show(mfa ?? 'OFF')}: users sign in with a password alone`] : [];
    },
  },
  {
    id: 'COGNITO_USER_EXISTENCE_ERRORS',
    mirrors: [],
    description: 'App clients do not reveal whether a username exists.',
    fix: 'Set preventUserExistenceErrors: "ENABLED" on the app client.',
    severity: 'error',
    suppressible: false,
    check: (c, ctx) => (c instanceof CognitoUserPoolClient ? literal(ctx.attributes(c), 'prevent_user_existence_errors', 'ENABLED') : []),
  },
  {
    id: 'COGNITO_CLIENT_CODE_FLOW',
    mirrors: [],
    description: 'App clients allow the authorization-code flow only: no implicit flow, no client credentials.',
    fix: 'Set allowedOauthFlows: ["code"] on the app client.',
    severity: 'error',
    suppressible: false,
    check: (c, ctx) => {
      if (!(c instanceof CognitoUserPoolClient)) return [];
      const flows = ctx.attributes(c).allowed_oauth_flows;
      return Array.isArray(flows) && flows.length === 1 && flows[0] === 'code'
        ? []
        : [mustBe('allowed_oauth_flows', flows, 'exactly ["code"]')];
    },
  },
  {
    id: 'COGNITO_CLIENT_SECRET',
    mirrors: [],
    description: 'App clients are confidential: they have a secret, which the ALB presents.',
    fix: 'Set generateSecret: true on the app client.',
    severity: 'error',
    suppressible: false,
    check: (c, ctx) => (c instanceof CognitoUserPoolClient ? literal(ctx.attributes(c), 'generate_secret', true) : []),
  },
  {
    id: 'COGNITO_CALLBACK_URLS',
    mirrors: [],
    description:
      'Every callback URL is https://<protected host>/oauth2/idpresponse for a protected host of the config: no other host, path, scheme or wildcard.',
    fix: 'Register only protected hosts on the user pool (HostedUserPool.addProtectedHost); public hosts need no callback.',
    severity: 'error',
    suppressible: false,
    check: (c, ctx) => {
      if (!(c instanceof CognitoUserPoolClient)) return [];
      const urls = ctx.attributes(c).callback_urls;
      if (urls === undefined) return [];
      if (!Array.isArray(urls)) return [`callback_urls is ${show(urls)} (an expression), must be a literal list`];
      const hosts = ctx.config ? new Set(protectedApps(ctx.config).map((a) => a.host)) : undefined;
      return urls.flatMap((url) => {
        const host = typeof url === 'string' ? CALLBACK.exec(url)?.[1] : undefined;
        if (!host) return [`callback_urls has ${show(url)}, must be https://<protected host>/oauth2/idpresponse`];
        if (hosts && !hosts.has(host)) return [`callback_urls has ${show(url)}, but ${host} is not a protected host in the config`];
        return [];
      });
    },
  },
  {
    id: 'PROTECTED_HOST_COVERAGE',
    mirrors: [],
    description:
      'Every protected host of the config is covered by a planned and a synthesized ACM certificate, and has its callback URL on an app client.',
    fix: 'Build certificates from planCertificates(config) and register every protected host on the user pool; do not filter hosts out.',
    severity: 'error',
    suppressible: false,
    checkAll: (ctx) => {
      if (!ctx.config || ctx.stacks.length === 0) return [];
      const hosts = protectedApps(ctx.config).map((a) => a.host);
      const planned = planCertificates(ctx.config).map((p) => [p.domainName, ...p.subjectAlternativeNames]);
      const certificates = ctx.resources.filter((r) => r instanceof AcmCertificate);
      const clients = ctx.resources.filter((r) => r instanceof CognitoUserPoolClient);
      const callbacks = new Set(clients.flatMap((r) => list(ctx.attributes(r).callback_urls)));
      const problems: Problem[] = [];
      for (const host of hosts) {
        if (!planned.some((names) => names.some((n) => covers(n, host)))) {
          problems.push({
            construct: ctx.stacks[0]!,
            message: `protected host "${host}" is covered by no planned certificate (planCertificates)`,
          });
        }
        const named = (r: TerraformResource): unknown[] => [
          ctx.attributes(r).domain_name,
          ...list(ctx.attributes(r).subject_alternative_names),
        ];
        if (certificates.length > 0 && !certificates.some((r) => named(r).some((n) => covers(n, host)))) {
          problems.push({
            construct: TerraformStack.of(certificates[0]!),
            message: `protected host "${host}" is covered by no aws_acm_certificate (domain_name or subject_alternative_names)`,
          });
        }
        if (clients.length > 0 && !callbacks.has(callbackUrlFor(host))) {
          problems.push({
            construct: clients[0]!,
            message: `protected host "${host}" has no callback URL "${callbackUrlFor(host)}" on any app client`,
          });
        }
      }
      return problems;
    },
  },
  {
    id: 'AUTH_ACTION_HTTPS_ONLY',
    mirrors: [],
    description:
      'authenticate-oidc and authenticate-cognito actions sit only on HTTPS listeners and their rules (the session cookie and client secret never cross plain HTTP).',
    fix: 'Move the authenticate action to the HTTPS listener or one of its rules.',
    severity: 'error',
    suppressible: false,
    check: (c, ctx) => {
      let protocol: string | undefined;
      let found: Action[] = [];
      if (isAny(c, LISTENERS)) {
        protocol = ctx.listenerProtocol(c);
        found = actions(ctx.attributes(c), 'default_action');
      } else if (isAny(c, LISTENER_RULES)) {
        protocol = listenerOf(c, ctx)?.protocol;
        found = actions(ctx.attributes(c), 'action');
      }
      if (protocol === undefined || protocol === 'HTTPS') return [];
      return found
        .filter((a) => AUTH_ACTIONS.includes(a.type as string))
        .map((a) => `${a.where}.type is ${show(a.type)} on a ${show(protocol)} listener, must be on an HTTPS listener`);
    },
  },
  {
    id: 'PROTECTED_HOST_AUTH',
    mirrors: [],
    description:
      "On HTTPS listeners, the default action signs in first, and a rule may forward without signing in only for public hosts, a protected host's publicPaths, and the sign-out path.",
    fix: 'Route exceptions through the config (access: public, publicPaths); every other forward must follow an authenticate action.',
    severity: 'error',
    suppressible: false,
    check: (c, ctx) => {
      const config = ctx.config;
      if (!config || !protectedApps(config).length) return [];
      if (isAny(c, LISTENERS) && ctx.listenerProtocol(c) === 'HTTPS') {
        const [first] = actions(ctx.attributes(c), 'default_action');
        return first && (AUTH_ACTIONS.includes(first.type as string) || first.type !== 'forward')
          ? []
          : [`${mustBe('default_action[0].type', first?.type, 'an authenticate action')}: requests no rule matches reach protected hosts`];
      }
      if (!isAny(c, LISTENER_RULES) || listenerOf(c, ctx)?.protocol !== 'HTTPS') return [];
      const attrs = ctx.attributes(c);
      const ordered = [...actions(attrs, 'action')].sort((a, b) => (a.attrs.order ?? 0) - (b.attrs.order ?? 0));
      if (!ordered.length || AUTH_ACTIONS.includes(ordered[0]!.type as string) || !ordered.some((a) => a.type === 'forward')) return [];
      const conditions = list(attrs.condition);
      const hostValues = conditions.flatMap((cond: Attributes) => list(block(cond?.host_header)?.values));
      const paths = conditions.flatMap((cond: Attributes) => list(block(cond?.path_pattern)?.values));
      const matches = (pattern: unknown, host: string): boolean => typeof pattern === 'string' && wildcard(pattern).test(host);
      const hosts = protectedApps(config).filter((app) => hostValues.length === 0 || hostValues.some((v) => matches(v, app.host)));
      return hosts.flatMap((app) => {
        if (!paths.length) return [`forwards every path of protected host ${app.host} without signing in`];
        const open = new Set([...app.publicPaths, config.session.signoutPath]);
        return paths
          .filter((p) => !open.has(p as string))
          .map(
            (p) =>
              `forwards ${show(p)} on protected host ${app.host} without signing in, but it is neither in its publicPaths nor the sign-out path`,
          );
      });
    },
  },
  {
    id: 'GRAFANA_JWT_CLAIMS',
    mirrors: [],
    description:
      'Grafana, when it signs users in from the ALB\'s token, pins the token\'s iss, client_id and token_use = "access" (GF_AUTH_JWT_EXPECT_CLAIMS).',
    fix: 'Pass GF_AUTH_JWT_EXPECT_CLAIMS = jsonencode({ iss, client_id, token_use = "access" }) in the chart values (grafanaJwtEnv does).',
    severity: 'error',
    suppressible: false,
    check: (c, ctx) => {
      if (!(c instanceof Release)) return [];
      const attrs = ctx.attributes(c);
      if (attrs.chart !== 'grafana') return [];
      const values = list(attrs.values);
      const enabled = chartEnv(values, 'GF_AUTH_JWT_ENABLED');
      if (!enabled || !(enabled.value === true || enabled.value === 'true')) return [];
      const claims = chartEnv(values, 'GF_AUTH_JWT_EXPECT_CLAIMS');
      if (!claims)
        return ['values set GF_AUTH_JWT_ENABLED but no env.GF_AUTH_JWT_EXPECT_CLAIMS, must pin iss, client_id and token_use = "access"'];
      const missing = unpinnedClaims(claims.value, claims.hcl);
      return missing.length ? [`env.GF_AUTH_JWT_EXPECT_CLAIMS is ${show(claims.value)}, must pin ${missing.join(', ')}`] : [];
    },
  },
];

export const RULE_IDS: readonly string[] = RULES.map((r) => r.id);

export function ruleById(id: string): PolicyRule | undefined {
  return RULES.find((r) => r.id === id);
}
