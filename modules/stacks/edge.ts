import { DataAwsNetworkInterfaces } from '@cdktf/provider-aws/lib/data-aws-network-interfaces';
import { DataAwsRoute53Zone } from '@cdktf/provider-aws/lib/data-aws-route53-zone';
import { DataAwsSubnet } from '@cdktf/provider-aws/lib/data-aws-subnet';
import { Lb, type LbConfig } from '@cdktf/provider-aws/lib/lb';
import { LbListener } from '@cdktf/provider-aws/lib/lb-listener';
import { LbListenerCertificate } from '@cdktf/provider-aws/lib/lb-listener-certificate';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import { LbTargetGroupAttachment } from '@cdktf/provider-aws/lib/lb-target-group-attachment';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import { Wafv2WebAclAssociation } from '@cdktf/provider-aws/lib/wafv2-web-acl-association';
import { Fn, type ITerraformDependable, Op } from 'cdktf';
import type { Construct } from 'constructs';
import { AlbLogBucket } from '../constructs/alb-log-bucket';
import { AlbSecurityGroup } from '../constructs/alb-security-group';
import { DnsValidatedCertificate } from '../constructs/dns-validated-certificate';
import { OAUTH_SCOPES } from '../constructs/hosted-user-pool';
import { terraformLiteral } from '../config/strings';
import { authenticateAction, type CognitoSignIn, ListenerRoutes } from '../constructs/listener-routes';
import { SignoutEndpoint } from '../constructs/signout-endpoint';
import { ManagedWebAcl } from '../constructs/web-acl';
import { OperationsAlarms } from '../constructs/operations-alarms';
import { constructKey } from '../plan/naming';
import type { EdgePlan } from '../plan/types';
import { CentralAuthStack, type CentralAuthStackProps } from './base';
import {
  AUTH_OUTPUTS,
  authContract,
  authPlaceholders,
  CLUSTER_OUTPUTS,
  clusterContract,
  clusterPlaceholders,
  EDGE_OUTPUTS,
  STACKS,
  type StackName,
} from './outputs';
import type { Upstream } from './upstream';

/** One year, subdomains included: every host here is HTTPS-only (the HTTP listener only redirects). */
/** Where the ALB writes its logs in the bucket when the config names no prefix. */
export const DEFAULT_LOG_PREFIX = 'alb';
/** Days a created log bucket keeps logs. */
export const DEFAULT_LOG_EXPIRE_DAYS = 90;

/** WAF logs: 90 days to look back on an incident, bounded cost. */
export const WAF_LOG_RETENTION_DAYS = 90;

export const HSTS_VALUE = 'max-age=31536000; includeSubDomains';

/** TLS 1.3 with TLS 1.2 fallback and forward-secret ciphers only. */
export const TLS_POLICY = 'ELBSecurityPolicy-TLS13-1-2-2021-06';

/**
 * The internet-facing ALB: every request signs in with Cognito first, except the public hosts
 * and paths the config names; then it goes to the internal NLB's pinned addresses. Owns what must
 * be replaced in step with the ALB and its listener: their certificates and security group.
 */
export class EdgeStack extends CentralAuthStack {
  readonly alb: Lb;
  readonly securityGroup: AlbSecurityGroup;
  readonly httpsListener: LbListener;
  readonly ingressTargetGroup: LbTargetGroup;
  readonly certificates = new Map<string, DnsValidatedCertificate>();
  readonly routes: ListenerRoutes;
  readonly signout: SignoutEndpoint;
  readonly operations: OperationsAlarms;

  constructor(scope: Construct, id: StackName, props: CentralAuthStackProps<EdgePlan>) {
    super(scope, id, props.shared);
    const { plan } = props;
    const { alb: albConfig, session } = plan;
    const auth = this.upstream(STACKS.auth, authPlaceholders(props.shared.region, plan.clientKeys), authContract(plan.clientKeys));
    const cluster = this.upstream(STACKS.cluster, clusterPlaceholders(), clusterContract());

    this.securityGroup = new AlbSecurityGroup(this, 'alb-sg', {
      namePrefix: plan.namePrefix,
      vpcId: plan.vpcId,
      targetSecurityGroupId: cluster.getString(CLUSTER_OUTPUTS.ingressSecurityGroupId),
      targetAddresses: plan.nlbTargets.map((t) => t.privateIp),
    });
    const albZones = plan.publicSubnetIds.map((id) => new DataAwsSubnet(this, `public-subnet-${id}`, { id }).availabilityZone);
    this.alb = new Lb(this, 'alb', {
      name: plan.albName,
      loadBalancerType: 'application',
      internal: false,
      subnets: [...plan.publicSubnetIds],
      securityGroups: [this.securityGroup.group.id],
      dropInvalidHeaderFields: true,
      desyncMitigationMode: 'defensive',
      enableDeletionProtection: albConfig.deletionProtection,
      enableHttp2: true,
      idleTimeout: albConfig.idleTimeoutSeconds,
      // Clients cannot smuggle their own X-Forwarded-For past the ALB.
      xffHeaderProcessingMode: 'append',
      ...this.logSettings(plan, props.shared.region),
      lifecycle: {
        precondition: [
          {
            // ELB: one subnet per Availability Zone, in at least two zones.
            condition: Op.eq(Fn.lengthOf(Fn.distinct(albZones)), plan.publicSubnetIds.length),
            errorMessage:
              'publicSubnetIds: two of the subnets are in the same Availability Zone; an ALB takes one subnet per zone, in at least two zones.',
          },
        ],
      },
    });
    this.addWebAcl(plan, auth.getString(AUTH_OUTPUTS.userPoolArn));

    this.ingressTargetGroup = this.addIngressTargets(plan, cluster, albZones);

    const zone = new DataAwsRoute53Zone(this, 'zone', { name: plan.zoneName, privateZone: false });
    for (const certificate of plan.certificates) {
      if (this.certificates.has(certificate.key)) throw new Error(`EdgeStack: certificate "${certificate.key}" already exists`);
      this.certificates.set(
        certificate.key,
        new DnsValidatedCertificate(this, `cert-${certificate.key}`, { certificate, zoneId: zone.zoneId }),
      );
    }
    const [[, defaultCertificate] = [], ...others] = [...this.certificates];
    if (!defaultCertificate) throw new Error('EdgeStack: the plan has no certificate (the config has no apps)');

    const signInFor = (client: string): CognitoSignIn => ({
      userPoolArn: auth.getString(AUTH_OUTPUTS.userPoolArn),
      userPoolClientId: auth.mapValue(AUTH_OUTPUTS.clientIds, client),
      userPoolDomain: auth.getString(AUTH_OUTPUTS.domain),
      scope: OAUTH_SCOPES.join(' '),
      sessionCookieName: session.cookieName,
      sessionTimeout: session.timeoutSeconds,
      // The only way to sign in: skip Cognito's chooser page.
      ...(plan.signInProvider ? { authenticationRequestExtraParams: { identity_provider: terraformLiteral(plan.signInProvider) } } : {}),
    });
    this.httpsListener = new LbListener(this, 'https', {
      loadBalancerArn: this.alb.arn,
      port: 443,
      protocol: 'HTTPS',
      sslPolicy: TLS_POLICY,
      certificateArn: defaultCertificate.validatedArn,
      ...(albConfig.securityHeaders
        ? {
            routingHttpResponseStrictTransportSecurityHeaderValue: HSTS_VALUE,
            routingHttpResponseXContentTypeOptionsHeaderValue: 'nosniff',
            routingHttpResponseServerEnabled: false,
          }
        : { routingHttpResponseServerEnabled: true }),
      defaultAction: [
        authenticateAction(signInFor(plan.defaultClient), 'authenticate'),
        { type: 'forward', order: 2, targetGroupArn: this.ingressTargetGroup.arn },
      ],
    });
    for (const [key, cert] of others) {
      new LbListenerCertificate(this, `listener-cert-${constructKey(key)}`, {
        listenerArn: this.httpsListener.arn,
        certificateArn: cert.validatedArn,
      });
    }
    new LbListener(this, 'http', {
      loadBalancerArn: this.alb.arn,
      port: 80,
      protocol: 'HTTP',
      // Its redirects carry no Server header either.
      ...(albConfig.securityHeaders ? { routingHttpResponseServerEnabled: false } : {}),
      defaultAction: [{ type: 'redirect', redirect: { protocol: 'HTTPS', port: '443', statusCode: 'HTTP_301' } }],
    });

    this.routes = new ListenerRoutes(this, 'routes', {
      listenerArn: this.httpsListener.arn,
      targetGroupArn: this.ingressTargetGroup.arn,
      signInFor,
      bearer: {
        issuer: auth.getString(AUTH_OUTPUTS.issuerUrl),
        jwksUrl: auth.getString(AUTH_OUTPUTS.jwksUrl),
        resourceServer: plan.resourceServer,
      },
    });
    plan.rules.forEach((rule) => this.routes.addRule(rule));

    this.signout = new SignoutEndpoint(this, 'signout', {
      namePrefix: plan.signout.namePrefix,
      targetGroupName: plan.signout.targetGroupName,
      listenerArn: this.httpsListener.arn,
      signoutPath: plan.signout.path,
      cookieName: plan.signout.cookieName,
      logoutEndpoint: auth.getString(AUTH_OUTPUTS.logoutEndpoint),
      signIn: signInFor(plan.defaultClient),
      issuerUrl: auth.getString(AUTH_OUTPUTS.issuerUrl),
      jwksUrl: auth.getString(AUTH_OUTPUTS.jwksUrl),
      userPoolArn: auth.getString(AUTH_OUTPUTS.userPoolArn),
      clientIds: plan.signout.clientKeys.map((key) => auth.mapValue(AUTH_OUTPUTS.clientIds, key)),
      hosts: plan.signout.hosts,
      reservedConcurrency: plan.signout.reservedConcurrency,
    });

    this.operations = new OperationsAlarms(this, 'operations', {
      namePrefix: plan.namePrefix,
      region: props.shared.region,
      albArnSuffix: this.alb.arnSuffix,
      targetGroupArnSuffix: this.ingressTargetGroup.arnSuffix,
      signoutFunctionName: this.signout.function.functionName,
      webAclName: plan.waf.mode === 'managed' ? plan.namePrefix : undefined,
      verifier: plan.verifierWorkload,
      notify: plan.alarms,
    });

    for (const host of plan.hosts) {
      new Route53Record(this, `alias-${constructKey(host)}`, {
        zoneId: zone.zoneId,
        name: host,
        type: 'A',
        alias: { name: this.alb.dnsName, zoneId: this.alb.zoneId, evaluateTargetHealth: true },
      });
    }

    this.publish(EDGE_OUTPUTS.albArn, { value: this.alb.arn });
    this.publish(EDGE_OUTPUTS.albDnsName, { value: this.alb.dnsName });
    this.publish(EDGE_OUTPUTS.hosts, { value: [...plan.hosts] });
    this.publishPlaceholders([auth, cluster]);
  }

  /**
   * Access logs and, beside them, connection logs (TLS handshakes, client certificates, failures):
   * into the configured bucket, or a bucket made here, which the ALB then waits for.
   */
  private logSettings(plan: EdgePlan, region: string): Partial<LbConfig> {
    const logs = plan.alb.accessLogs;
    if (!logs) return {};
    // An existing bucket keeps the prefix it had (none, unless configured), so no log moves.
    const prefix = logs.prefix ?? (logs.create ? DEFAULT_LOG_PREFIX : undefined);
    let bucket = logs.bucket ?? '';
    const dependsOn: ITerraformDependable[] = [];
    if (logs.create) {
      const made = new AlbLogBucket(this, 'alb-logs', {
        bucketPrefix: `${plan.namePrefix}-logs-`,
        region,
        logPrefix: prefix ?? DEFAULT_LOG_PREFIX,
        expireDays: logs.expireDays ?? DEFAULT_LOG_EXPIRE_DAYS,
      });
      bucket = made.bucket.bucket;
      dependsOn.push(made.policy);
    }
    return {
      accessLogs: { bucket, prefix, enabled: true },
      connectionLogs: { bucket, prefix: prefix === undefined ? 'connection' : `${prefix}/connection`, enabled: true },
      ...(dependsOn.length ? { dependsOn } : {}),
    };
  }

  /**
   * The web ACL of both front doors, and its associations with the ALB and the user pool. All live
   * here, with the ALB: a replaced web ACL is associated anew in the same apply that removes the old
   * one (WAF refuses to delete a web ACL still associated). The pool exists already (auth first).
   */
  private addWebAcl(plan: EdgePlan, userPoolArn: string): void {
    const { waf } = plan;
    if (waf.mode === 'off') return;
    const webAclArn =
      waf.mode === 'existing'
        ? waf.webAclArn
        : new ManagedWebAcl(this, 'web-acl', {
            name: plan.namePrefix,
            rateLimitPer5Min: waf.rateLimitPer5Min,
            allowCountries: waf.allowCountries,
            bearerHostsFromAnyCountry: waf.bearerHostsFromAnyCountry,
            count: waf.count,
            logRetentionDays: WAF_LOG_RETENTION_DAYS,
          }).acl.arn;
    // `waf` is the id the ALB's association has always had.
    new Wafv2WebAclAssociation(this, 'waf', { resourceArn: this.alb.arn, webAclArn });
    new Wafv2WebAclAssociation(this, 'waf-user-pool', { resourceArn: userPoolArn, webAclArn });
  }

  /**
   * The NLB's pinned addresses as IP targets: known from the plan, so never empty or stale, and
   * registered before the NLB exists (unhealthy until it does). Each is checked to lie in an
   * Availability Zone the ALB serves: the ALB does not route to targets in AZs it is not in.
   */
  private addIngressTargets(plan: EdgePlan, cluster: Upstream, albZones: string[]): LbTargetGroup {
    const group = new LbTargetGroup(this, 'ingress-nlb-targets', {
      // A replacement is created before the old one goes (the listener points at it), so the
      // name must be generated: two target groups cannot share one.
      namePrefix: 'ing-',
      tags: { Name: plan.targetGroupTagName },
      targetType: 'ip',
      protocol: 'HTTP',
      port: 80,
      vpcId: plan.vpcId,
      deregistrationDelay: '30',
      // ingress-nginx answers /healthz on its default server whatever the Host header; Traefik on a
      // route for its NLB's addresses (the ALB sends the target's address as Host). During a switch
      // both routers are targets and both pass.
      healthCheck: {
        enabled: true,
        protocol: 'HTTP',
        path: '/healthz',
        matcher: '200',
        interval: 15,
        healthyThreshold: 2,
        unhealthyThreshold: 3,
      },
      lifecycle: { createBeforeDestroy: true },
    });
    const subnets = new Map<string, DataAwsSubnet>();
    for (const target of plan.nlbTargets) {
      const subnet = subnets.get(target.subnetId) ?? new DataAwsSubnet(this, `nlb-subnet-${target.subnetId}`, { id: target.subnetId });
      subnets.set(target.subnetId, subnet);
      // ingress-nginx's ids are those from before routers could be chosen: its targets never move.
      const key = target.router === 'ingress-nginx' ? target.subnetId : `${target.router}-${target.subnetId}`;
      // Which NLB interface holds the address (EC2 DescribeNetworkInterfaces filters).
      const holder = new DataAwsNetworkInterfaces(this, `nlb-interface-${key}`, {
        filter: [
          { name: 'addresses.private-ip-address', values: [target.privateIp] },
          { name: 'interface-type', values: ['network_load_balancer'] },
          { name: 'vpc-id', values: [plan.vpcId] },
        ],
      });
      new LbTargetGroupAttachment(this, `ingress-nlb-${key}`, {
        targetGroupArn: group.arn,
        targetId: target.privateIp,
        port: 80,
        lifecycle: {
          precondition: [
            {
              condition: Fn.contains(albZones, subnet.availabilityZone),
              errorMessage: `NLB subnet ${target.subnetId} is in an Availability Zone none of publicSubnetIds is in; the ALB routes only to targets in its own zones. Add a public subnet in that zone, or move the NLB subnet.`,
            },
            {
              // Checked once the cluster stack is current: before that no NLB is expected.
              condition: Op.or(Op.not(cluster.current), Op.eq(Fn.lengthOf(holder.ids), 1)),
              errorMessage: `No load balancer interface holds ${target.privateIp} in ${target.subnetId}: the cluster stack's NLB is not up yet (plan again in a few minutes), or it was created before its addresses were pinned and kept its old ones (the controller never moves an existing NLB: delete the router Service's NLB, or the release, so it is recreated).`,
            },
          ],
        },
      });
    }
    return group;
  }
}
