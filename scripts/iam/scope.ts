// Resolves a scope key of the action map to this environment's ARNs, from the names the synthesized
// stacks give their resources. Where an ARN holds an id known only after apply (a user pool, a
// certificate, a security group, a KMS key, a hosted zone), the ARN gets `*` there and the scope a
// condition AWS supports for that resource type (its default tags, a record name), else a comment says
// why none exists. Resource types and condition keys: AWS Service Authorization Reference.
import { isLiteral } from './read';
import type { Block, Condition, ScopeKey } from './types';

/** The default tags every resource of every stack carries, so they scope what its ARN cannot. */
export const SCOPE_TAGS = ['Environment', 'Project'] as const;

export interface ScopeContext {
  readonly partition: string;
  /** The account id, or `*` when neither --account nor an ARN in the stacks names it. */
  readonly account: string;
  readonly tags: Readonly<Record<(typeof SCOPE_TAGS)[number], string>>;
  readonly blocks: readonly Block[];
}

export interface ResolvedScope {
  readonly resources: readonly string[];
  readonly condition?: Condition;
}

export class ScopeError extends Error {}

/** `name` as an ARN pattern: a literal as it is, an interpolation from its first `${` on as `*`. */
export function pattern(value: unknown): string {
  if (typeof value !== 'string') return '*';
  const i = value.search(/[$%]\{/);
  return i < 0 ? value : `${value.slice(0, i)}*`;
}

const uniq = (values: Iterable<string>): string[] => [...new Set(values)].sort();

export function resolveScope(key: Exclude<ScopeKey, 'any'>, ctx: ScopeContext): ResolvedScope {
  const { partition: p, account: a } = ctx;
  const of = (...types: string[]) => ctx.blocks.filter((b) => types.includes(b.type) && b.kind === 'resource');
  const data = (type: string) => ctx.blocks.filter((b) => b.type === type && b.kind === 'data');
  const arns = (blocks: readonly Block[], arn: (b: Block) => string | string[]) => uniq(blocks.flatMap(arn));
  const regional = (service: string, types: string[], resource: string) =>
    uniq(ctx.blocks.filter((b) => types.includes(b.type)).map((b) => `arn:${p}:${service}:${b.region}:${a}:${resource}`));
  const tagged = (prefix: 'aws:ResourceTag' | 'aws:RequestTag'): Record<string, string> =>
    Object.fromEntries(SCOPE_TAGS.map((t) => [`${prefix}/${t}`, ctx.tags[t]]));
  const resourceTag: Condition = { StringEquals: tagged('aws:ResourceTag') };
  const requestTag: Condition = { StringEquals: tagged('aws:RequestTag') };
  const name = (b: Block, attr = 'name', prefixAttr = 'name_prefix') =>
    b.body[attr] !== undefined ? pattern(b.body[attr]) : `${pattern(b.body[prefixAttr])}*`;

  const lbs = of('aws_lb');
  const lb = (kind: string, tail: string) =>
    arns(
      lbs,
      (b) =>
        `arn:${p}:elasticloadbalancing:${b.region}:${a}:${kind}/${b.body.load_balancer_type === 'network' ? 'net' : 'app'}/${name(b)}/${tail}`,
    );
  const targetGroups = () =>
    arns(of('aws_lb_target_group'), (b) => `arn:${p}:elasticloadbalancing:${b.region}:${a}:targetgroup/${name(b)}/*`);
  const userPools = (types: string[]) => regional('cognito-idp', types, 'userpool/*');
  const webAcls = () =>
    uniq([
      ...of('aws_wafv2_web_acl').map(
        (b) => `arn:${p}:wafv2:${b.region}:${a}:${b.body.scope === 'CLOUDFRONT' ? 'global' : 'regional'}/webacl/${name(b)}/*`,
      ),
      // `waf: { mode: existing }`: the configured web ACL's ARN, as it is.
      ...of('aws_wafv2_web_acl_association')
        .map((b) => b.body.web_acl_arn)
        .filter(isLiteral),
    ]);
  const clusters = () =>
    uniq([...data('aws_eks_cluster').map((b) => b.body.name), ...of('aws_eks_access_entry').map((b) => b.body.cluster_name)].map(pattern));
  const clusterArns = () => {
    const region = ctx.blocks.find((b) => b.type === 'aws_eks_cluster')?.region ?? ctx.blocks[0]!.region;
    return clusters().map((c) => `arn:${p}:eks:${region}:${a}:cluster/${c}`);
  };
  const accessEntries = () => clusterArns().map((c) => `${c.replace(':cluster/', ':access-entry/')}/*`);
  const secretArn = (b: Block, id: unknown) =>
    typeof id === 'string' && id.startsWith('arn:') ? id : `arn:${p}:secretsmanager:${b.region}:${a}:secret:${pattern(id)}-??????`;
  const idpSecrets = () => arns(data('aws_secretsmanager_secret_version'), (b) => secretArn(b, b.body.secret_id));
  const idpParameters = () =>
    arns(data('aws_ssm_parameter'), (b) => `arn:${p}:ssm:${b.region}:${a}:parameter/${pattern(b.body.name).replace(/^\//, '')}`);
  const literalsOf = (blocks: readonly Block[], attr: string) => uniq(blocks.map((b) => b.body[attr]).filter(isLiteral));

  const resolved = ((): ResolvedScope => {
    switch (key) {
      case 'acm-certificate':
        return {
          resources: regional('acm', ['aws_acm_certificate', 'aws_acm_certificate_validation'], 'certificate/*'),
          condition: resourceTag,
        };
      // RequestCertificate has no resource type: the request's tags are the scope.
      case 'acm-new-certificate':
        return { resources: ['*'], condition: requestTag };
      case 'cloudwatch-alarm':
        return {
          resources: arns(of('aws_cloudwatch_metric_alarm'), (b) => `arn:${p}:cloudwatch:${b.region}:${a}:alarm:${name(b, 'alarm_name')}`),
        };
      case 'cloudwatch-dashboard':
        return {
          resources: arns(of('aws_cloudwatch_dashboard'), (b) => `arn:${p}:cloudwatch::${a}:dashboard/${name(b, 'dashboard_name')}`),
        };
      // CreateUserPool has no resource type; the pool's id is known after apply: its tags are the scope.
      case 'cognito-new-user-pool':
        return { resources: ['*'], condition: requestTag };
      case 'cognito-user-pool':
        return {
          resources: userPools(ctx.blocks.filter((b) => b.type.startsWith('aws_cognito_')).map((b) => b.type)),
          condition: resourceTag,
        };
      // Also authorized on the web ACL, which has no tag condition key in cognito-idp: no condition.
      case 'cognito-web-acl':
        return { resources: uniq([...userPools(['aws_wafv2_web_acl_association']), ...webAcls()]) };
      case 'ec2-vpc':
        return {
          resources: uniq([
            ...of('aws_security_group').flatMap((b) =>
              isLiteral(b.body.vpc_id) ? [`arn:${p}:ec2:${b.region}:${a}:vpc/${b.body.vpc_id}`] : [],
            ),
            ...data('aws_vpc').map((b) => `arn:${p}:ec2:${b.region}:${a}:vpc/${pattern(b.body.id)}`),
          ]),
        };
      case 'ec2-subnet':
        return {
          resources: arns(
            of('aws_ec2_subnet_cidr_reservation'),
            (b) => `arn:${p}:ec2:${b.region}:${a}:subnet/${pattern(b.body.subnet_id)}`,
          ),
        };
      case 'ec2-new-security-group':
        return { resources: regional('ec2', ['aws_security_group'], 'security-group/*'), condition: requestTag };
      case 'ec2-security-group':
        return { resources: regional('ec2', EC2_RULE_TYPES, 'security-group/*'), condition: resourceTag };
      case 'ec2-new-security-group-rule':
        return { resources: regional('ec2', EC2_RULE_TYPES, 'security-group-rule/*'), condition: requestTag };
      case 'ec2-security-group-rule':
        return { resources: regional('ec2', EC2_RULE_TYPES, 'security-group-rule/*'), condition: resourceTag };
      // EC2 authorizes TagSpecifications as CreateTags, naming the action that creates the resource.
      case 'ec2-tag-on-create': {
        const creators = uniq(ctx.blocks.flatMap((b) => EC2_CREATE_ACTIONS[b.type] ?? []));
        return {
          resources: uniq([
            ...regional('ec2', EC2_RULE_TYPES, 'security-group/*'),
            ...regional('ec2', EC2_RULE_TYPES, 'security-group-rule/*'),
          ]),
          condition: { StringEquals: { 'ec2:CreateAction': creators, ...tagged('aws:RequestTag') } },
        };
      }
      case 'eks-cluster':
        return { resources: clusterArns() };
      // Only the CI roles the config names get an entry.
      case 'eks-new-access-entry':
        return {
          resources: clusterArns(),
          condition: { StringEquals: { 'eks:principalArn': literalsOf(of('aws_eks_access_entry'), 'principal_arn') } },
        };
      case 'eks-access-entry':
        return { resources: accessEntries() };
      case 'eks-access-policy':
        return {
          resources: accessEntries(),
          condition: anyOf('eks:policyArn', literalsOf(of('aws_eks_access_policy_association'), 'policy_arn')),
        };
      case 'elb-loadbalancer':
        return { resources: lb('loadbalancer', '*') };
      case 'elb-listener':
        return { resources: lb('listener', '*/*') };
      case 'elb-listener-rule':
        return { resources: lb('listener-rule', '*/*/*') };
      // Target groups are named by prefix (a replacement is created first), which other groups of the
      // account may share: their tags narrow it.
      case 'elb-new-targetgroup':
        return { resources: targetGroups(), condition: requestTag };
      case 'elb-targetgroup':
        return { resources: targetGroups(), condition: resourceTag };
      case 'iam-role':
        return { resources: arns(of('aws_iam_role'), (b) => `arn:${p}:iam::${a}:role/${name(b)}`) };
      // Only the roles the stacks create, only to the services their trust policies name.
      case 'iam-pass-role': {
        const services = uniq(of('aws_iam_role').flatMap((b) => trustedServices(b)));
        if (services.length === 0) throw new ScopeError('iam:PassRole: no role of the stacks trusts a service');
        return {
          resources: arns(of('aws_iam_role'), (b) => `arn:${p}:iam::${a}:role/${name(b)}`),
          condition: { StringEquals: { 'iam:PassedToService': services } },
        };
      }
      // CreateKey has no resource type, and a key's id is known after apply: its tags are the scope.
      case 'kms-new-key':
        return { resources: ['*'], condition: requestTag };
      case 'kms-key':
        return { resources: regional('kms', ['aws_kms_key'], 'key/*'), condition: resourceTag };
      // The key of an IdP secret is the secret's, unknown here; only its use by Secrets Manager or SSM
      // for exactly these secrets (their encryption context) is allowed.
      case 'kms-decrypt-secret':
        return {
          resources: regional('kms', ['aws_secretsmanager_secret_version'], 'key/*'),
          condition: {
            StringEquals: { 'kms:ViaService': viaService('secretsmanager', data('aws_secretsmanager_secret_version')) },
            StringLike: { 'kms:EncryptionContext:SecretARN': idpSecrets() },
          },
        };
      case 'kms-decrypt-parameter':
        return {
          resources: regional('kms', ['aws_ssm_parameter'], 'key/*'),
          condition: {
            StringEquals: {
              'kms:ViaService': viaService('ssm', data('aws_ssm_parameter')),
              'kms:EncryptionContext:PARAMETER_ARN': idpParameters(),
            },
          },
        };
      case 'lambda-function':
        return {
          resources: arns(of('aws_lambda_function'), (b) => `arn:${p}:lambda:${b.region}:${a}:function:${name(b, 'function_name')}`),
        };
      // Some calls are authorized on the log group, some on its streams (`:*`).
      case 'logs-log-group':
        return {
          resources: arns(of('aws_cloudwatch_log_group'), (b) => {
            const group = `arn:${p}:logs:${b.region}:${a}:log-group:${name(b)}`;
            return [group, `${group}:*`];
          }),
        };
      case 'route53-change':
        return { resources: [`arn:${p}:route53:::change/*`] };
      // The zone is looked up by name when the plan runs: its id is not in the stacks.
      case 'route53-zone':
        return { resources: [`arn:${p}:route53:::hostedzone/*`] };
      case 'route53-records':
        return { resources: [`arn:${p}:route53:::hostedzone/*`], condition: recordCondition(ctx.blocks) };
      case 's3-bucket':
        return { resources: arns(of('aws_s3_bucket'), (b) => `arn:${p}:s3:::${name(b, 'bucket', 'bucket_prefix')}`) };
      case 'secretsmanager-idp-secret':
        return { resources: idpSecrets() };
      // Secrets Manager appends six random characters to a secret's name in its ARN.
      case 'secretsmanager-secret':
        return { resources: arns(of('aws_secretsmanager_secret'), (b) => secretArn(b, b.body.name)) };
      case 'sns-subscription':
        return { resources: arns(of('aws_sns_topic'), (b) => `arn:${p}:sns:${b.region}:${a}:${name(b)}:*`) };
      case 'sns-topic':
        return { resources: arns(of('aws_sns_topic'), (b) => `arn:${p}:sns:${b.region}:${a}:${name(b)}`) };
      case 'ssm-idp-parameter':
        return { resources: idpParameters() };
      case 'wafv2-protected':
        return { resources: uniq([...webAcls(), ...lb('loadbalancer', '*'), ...userPools(['aws_wafv2_web_acl_association'])]) };
      case 'wafv2-web-acl':
        return { resources: webAcls() };
    }
  })();
  if (resolved.resources.length === 0) throw new ScopeError(`scope ${key}: the stacks name no resource for it`);
  return resolved;
}

/** `key` equals one of `values`; no condition when no value is literal (then the ARN alone scopes). */
function anyOf(key: string, values: readonly string[]): Condition | undefined {
  return values.length ? { StringEquals: { [key]: values } } : undefined;
}

const EC2_RULE_TYPES = [
  'aws_security_group',
  'aws_security_group_rule',
  'aws_vpc_security_group_ingress_rule',
  'aws_vpc_security_group_egress_rule',
];

const EC2_CREATE_ACTIONS: Readonly<Record<string, readonly string[]>> = {
  aws_security_group: ['CreateSecurityGroup'],
  aws_vpc_security_group_ingress_rule: ['AuthorizeSecurityGroupIngress'],
  aws_vpc_security_group_egress_rule: ['AuthorizeSecurityGroupEgress'],
};

function viaService(service: string, blocks: readonly Block[]): string[] {
  return uniq(blocks.map((b) => `${service}.${b.region}.amazonaws.com`));
}

/** The services an IAM role's trust policy lets assume it. */
function trustedServices(role: Block): string[] {
  if (!isLiteral(role.body.assume_role_policy)) throw new ScopeError(`${role.type}.${role.name}: its trust policy is not literal JSON`);
  const statements = [JSON.parse(role.body.assume_role_policy).Statement].flat() as { Principal?: { Service?: string | string[] } }[];
  return statements.flatMap((s) => [s.Principal?.Service ?? []].flat());
}

/**
 * Which records ChangeResourceRecordSets may touch: the hosts' aliases by name, and each certificate's
 * DNS validation records, `_<token>.<domain>` (ACM user guide, "DNS validation"; always CNAME) — the
 * token is ACM's, so a wildcard. Route 53 compares names lowercase, without the final dot.
 */
function recordCondition(blocks: readonly Block[]): Condition | undefined {
  const records = blocks.filter((b) => b.type === 'aws_route53_record' && b.kind === 'resource');
  const isValidation = (b: Block) => typeof b.body.for_each === 'string' && b.body.for_each.includes('domain_validation_options');
  const names = new Set<string>();
  const types = new Set<string>();
  for (const record of records) {
    if (isValidation(record)) types.add('CNAME');
    else if (isLiteral(record.body.type) && isLiteral(record.body.name)) {
      types.add(record.body.type);
      names.add(record.body.name.toLowerCase().replace(/\.$/, ''));
    } else return undefined; // a record this map cannot name: no narrower condition is true
  }
  for (const cert of blocks.filter((b) => b.type === 'aws_acm_certificate')) {
    for (const domain of [cert.body.domain_name, ...((cert.body.subject_alternative_names as unknown[]) ?? [])].filter(isLiteral)) {
      names.add(`_*.${domain.toLowerCase().replace(/^\*\./, '')}`);
    }
  }
  return {
    'ForAllValues:StringLike': { 'route53:ChangeResourceRecordSetsNormalizedRecordNames': uniq(names) },
    'ForAllValues:StringEquals': { 'route53:ChangeResourceRecordSetsRecordTypes': uniq(types) },
  };
}
