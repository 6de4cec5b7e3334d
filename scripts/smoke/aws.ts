/**
 * The values only known after apply, read through the AWS CLI, read-only: the pool by its name
 * (as `npm run revoke` finds it), its app clients by name (ids, never secrets), the ALB by name,
 * the web ACL of each resource. Each lookup is also a check: what should exist, does.
 * With --with-machine-token, and only then, one machine client's secret is read to get a token.
 */
import { type AwsRunner, userPoolsNamed } from '../aws-cli';
import { fail, ok } from './judge';
import type { CheckResult, Expectations, LiveValues, WafPlan } from './types';

/** The CLI's JSON answer; anything else (a proxy's page, a truncated write) reads as empty. */
function json(stdout: string): Record<string, any> {
  try {
    const value = JSON.parse(stdout || '{}');
    return value && typeof value === 'object' ? value : {};
  } catch {
    return {};
  }
}

/** The CLI's complaint in one line, for a FAIL's "saw". */
function complaint(r: ReturnType<AwsRunner>): string {
  const line = r.stderr.trim().split('\n').filter(Boolean).pop() ?? '';
  return `aws exit ${r.status}${line ? `: ${line}` : ''}`;
}

/** Pool, app clients and ALB: the live values and one result per lookup. */
export function lookUpLive(exp: Expectations, aws: AwsRunner): { live: LiveValues; results: CheckResult[] } {
  const region = ['--region', exp.region, '--output', 'json'];
  const results: CheckResult[] = [];
  const clientIds = new Map<string, string>();
  let poolId: string | undefined;

  const pools = userPoolsNamed(aws, exp.region, exp.pool.name);
  const expectedPool = `one user pool named ${exp.pool.name} in ${exp.region}`;
  if ('failed' in pools)
    results.push(
      fail('user-pool', exp.pool.name, expectedPool, complaint(pools.failed), "the job's AWS credentials (cognito-idp:ListUserPools)"),
    );
  else if (pools.ids.length !== 1) {
    const saw = pools.ids.length === 0 ? 'none' : `${pools.ids.length} (${pools.ids.join(', ')})`;
    results.push(fail('user-pool', exp.pool.name, expectedPool, saw, "the auth stack's apply (a pool of that name must exist once)"));
  } else {
    poolId = pools.ids[0]!;
    results.push(ok('user-pool', exp.pool.name));
  }

  if (poolId !== undefined) {
    const listed = aws(['cognito-idp', 'list-user-pool-clients', '--user-pool-id', poolId, '--max-results', '60', ...region]);
    if (listed.status === 0) {
      for (const c of json(listed.stdout).UserPoolClients ?? []) clientIds.set(c.ClientName, c.ClientId);
    }
    const names = [...[...exp.clients.values()].map((c) => c.name), ...exp.machineClients.map((c) => c.name)];
    for (const name of names) {
      if (listed.status !== 0)
        results.push(
          fail(
            'app-client',
            name,
            `the app clients of ${poolId}`,
            complaint(listed),
            "the job's AWS credentials (cognito-idp:ListUserPoolClients)",
          ),
        );
      else if (clientIds.has(name)) results.push(ok('app-client', name));
      else results.push(fail('app-client', name, `an app client named ${name} in ${poolId}`, 'none', "the auth stack's apply"));
    }
  }

  let alb: LiveValues['alb'];
  const lbs = aws(['elbv2', 'describe-load-balancers', '--names', exp.albName, ...region]);
  const lb = lbs.status === 0 ? json(lbs.stdout).LoadBalancers?.[0] : undefined;
  if (lb?.LoadBalancerArn && lb.DNSName) {
    alb = { arn: lb.LoadBalancerArn, dnsName: lb.DNSName };
    results.push(ok('alb', exp.albName));
  } else {
    const saw = /LoadBalancerNotFound/.test(lbs.stderr) || lbs.status === 0 ? 'none' : complaint(lbs);
    results.push(fail('alb', exp.albName, `a load balancer named ${exp.albName} in ${exp.region}`, saw, "the edge stack's apply"));
  }
  return { live: { ...(poolId ? { poolId } : {}), clientIds, ...(alb ? { alb } : {}) }, results };
}

/** The web ACL of the ALB and of the user pool, as the edge stack associates them. */
export function checkWebAcls(exp: Expectations, live: LiveValues, aws: AwsRunner): CheckResult[] {
  if (!live.alb) return [];
  // arn:<partition>:elasticloadbalancing:<region>:<account>:… names the partition and account the pool's ARN has too.
  const [, partition, , , account] = live.alb.arn.split(':');
  return exp.waf.flatMap((plan) => {
    const target = plan.on === 'alb' ? exp.albName : exp.pool.name;
    const arn =
      plan.on === 'alb' ? live.alb!.arn : live.poolId && `arn:${partition}:cognito-idp:${exp.region}:${account}:userpool/${live.poolId}`;
    if (!arn) return [];
    const r = aws(['wafv2', 'get-web-acl-for-resource', '--resource-arn', arn, '--region', exp.region, '--output', 'json']);
    const acl = r.status === 0 ? (json(r.stdout).WebACL as { Name?: string; ARN?: string } | undefined) : undefined;
    const expected = `web ACL ${'name' in plan.acl ? plan.acl.name : plan.acl.arn} associated with the ${plan.on === 'alb' ? 'ALB' : 'user pool'}`;
    const lookAt = `the edge stack's aws_wafv2_web_acl_association on the ${plan.on === 'alb' ? 'ALB' : 'user pool'} (apply edge)`;
    if (r.status !== 0) return [fail('waf', target, expected, complaint(r), "the job's AWS credentials (wafv2:GetWebACLForResource)")];
    if (!acl) return [fail('waf', target, expected, 'none', lookAt)];
    if (matches(plan, acl)) return [ok('waf', target)];
    return [fail('waf', target, expected, `web ACL ${'name' in plan.acl ? acl.Name : acl.ARN}`, lookAt)];
  });
}

function matches(plan: WafPlan, acl: { Name?: string; ARN?: string }): boolean {
  return 'name' in plan.acl ? acl.Name === plan.acl.name : acl.ARN === plan.acl.arn;
}

/**
 * A machine client's secret, for the client-credentials grant of --with-machine-token only: the one
 * call that returns a secret, narrowed by --query so nothing else is read. Never printed.
 */
export function machineClientSecret(
  aws: AwsRunner,
  region: string,
  poolId: string,
  clientId: string,
): { secret: string } | { error: string } {
  const r = aws([
    'cognito-idp',
    'describe-user-pool-client',
    '--user-pool-id',
    poolId,
    '--client-id',
    clientId,
    '--query',
    'UserPoolClient.ClientSecret',
    '--output',
    'text',
    '--region',
    region,
  ]);
  const secret = r.stdout.trim();
  if (r.status !== 0) return { error: complaint(r) };
  return secret === '' || secret === 'None' ? { error: 'no client secret' } : { secret };
}
