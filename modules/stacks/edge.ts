import { DataAwsLb } from '@cdktf/provider-aws/lib/data-aws-lb';
import { DataAwsNetworkInterface } from '@cdktf/provider-aws/lib/data-aws-network-interface';
import { DataAwsNetworkInterfaces } from '@cdktf/provider-aws/lib/data-aws-network-interfaces';
import { DataAwsRoute53Zone } from '@cdktf/provider-aws/lib/data-aws-route53-zone';
import { Lb } from '@cdktf/provider-aws/lib/lb';
import { LbListener } from '@cdktf/provider-aws/lib/lb-listener';
import { LbListenerCertificate } from '@cdktf/provider-aws/lib/lb-listener-certificate';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import { LbTargetGroupAttachment } from '@cdktf/provider-aws/lib/lb-target-group-attachment';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import { Wafv2WebAclAssociation } from '@cdktf/provider-aws/lib/wafv2-web-acl-association';
import { Fn, TerraformIterator, Token, type TerraformRemoteState } from 'cdktf';
import type { Construct } from 'constructs';
import { CentralAuthStack, type CentralAuthStackProps } from './base';
import { OAUTH_SCOPES } from '../constructs/hosted-user-pool';
import { authenticateAction, ListenerRoutes, type OidcSettings } from '../constructs/listener-routes';
import { AUTH_OUTPUTS, CERTS_OUTPUTS, CLUSTER_OUTPUTS, EDGE_OUTPUTS, STACKS, type StackName } from './outputs';
import type { EdgePlan } from '../plan/types';
import { SignoutEndpoint } from '../constructs/signout-endpoint';
import { constructKey } from '../plan/naming';

/** TLS 1.3 with TLS 1.2 fallback and forward-secret ciphers only. */
export const TLS_POLICY = 'ELBSecurityPolicy-TLS13-1-2-2021-06';

/**
 * The internet-facing ALB: every request signs in with Cognito first, except the public
 * hosts and paths the config names; then it goes to the internal ingress-nginx NLB.
 */
export class EdgeStack extends CentralAuthStack {
  readonly alb: Lb;
  readonly httpsListener: LbListener;
  readonly ingressTargetGroup: LbTargetGroup;
  readonly routes: ListenerRoutes;
  readonly oidc: OidcSettings;
  readonly signout: SignoutEndpoint;

  private readonly vpcId: string;

  constructor(scope: Construct, id: StackName, props: CentralAuthStackProps<EdgePlan>) {
    super(scope, id, props.shared);
    const { plan } = props;
    const { alb: albConfig, session } = plan;
    this.vpcId = plan.vpcId;
    const auth = this.remoteState(STACKS.auth);
    const certs = this.remoteState(STACKS.certs);
    const cluster = this.remoteState(STACKS.cluster);

    this.alb = new Lb(this, 'alb', {
      name: plan.albName,
      loadBalancerType: 'application',
      internal: false,
      subnets: [...plan.publicSubnetIds],
      securityGroups: [cluster.getString(CLUSTER_OUTPUTS.albSecurityGroupId)],
      dropInvalidHeaderFields: true,
      desyncMitigationMode: 'defensive',
      enableDeletionProtection: albConfig.deletionProtection,
      enableHttp2: true,
      idleTimeout: albConfig.idleTimeoutSeconds,
      // Clients cannot smuggle their own X-Forwarded-For past the ALB.
      xffHeaderProcessingMode: 'append',
      accessLogs: albConfig.accessLogs
        ? { bucket: albConfig.accessLogs.bucket, prefix: albConfig.accessLogs.prefix, enabled: true }
        : undefined,
    });
    if (albConfig.webAclArn) {
      new Wafv2WebAclAssociation(this, 'waf', { resourceArn: this.alb.arn, webAclArn: albConfig.webAclArn });
    }

    this.ingressTargetGroup = new LbTargetGroup(this, 'ingress-nlb-targets', {
      // A replacement is created before the old one goes (the listener points at it), so the
      // name must be generated: two target groups cannot share one.
      namePrefix: 'ing-',
      tags: { Name: plan.targetGroupTagName },
      targetType: 'ip',
      protocol: 'HTTP',
      port: 80,
      vpcId: plan.vpcId,
      deregistrationDelay: '30',
      // ingress-nginx answers /healthz on its default server whatever the Host header.
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
    this.attachIngressNlb(cluster);

    const certificateArn = (key: string): string => Token.asString(Fn.lookupNested(certs.get(CERTS_OUTPUTS.certificateArns), [key]));
    const { defaultKey, additionalKeys } = plan.certificates;

    const clientIds = auth.get(AUTH_OUTPUTS.clientIds);
    const clientSecrets = auth.get(AUTH_OUTPUTS.clientSecrets);
    const oidcForClient = (client: number): OidcSettings => ({
      authorizationEndpoint: auth.getString(AUTH_OUTPUTS.authorizationEndpoint),
      tokenEndpoint: auth.getString(AUTH_OUTPUTS.tokenEndpoint),
      userInfoEndpoint: auth.getString(AUTH_OUTPUTS.userInfoEndpoint),
      issuer: auth.getString(AUTH_OUTPUTS.issuerUrl),
      clientId: Token.asString(Fn.element(clientIds, client)),
      clientSecret: Token.asString(Fn.element(clientSecrets, client)),
      scope: OAUTH_SCOPES.join(' '),
      sessionCookieName: session.cookieName,
      sessionTimeout: session.timeoutSeconds,
    });
    this.oidc = oidcForClient(0);

    this.httpsListener = new LbListener(this, 'https', {
      loadBalancerArn: this.alb.arn,
      port: 443,
      protocol: 'HTTPS',
      sslPolicy: TLS_POLICY,
      certificateArn: certificateArn(defaultKey),
      defaultAction: [
        authenticateAction(this.oidc, 'authenticate'),
        { type: 'forward', order: 2, targetGroupArn: this.ingressTargetGroup.arn },
      ],
    });
    for (const key of additionalKeys) {
      new LbListenerCertificate(this, `listener-cert-${constructKey(key)}`, {
        listenerArn: this.httpsListener.arn,
        certificateArn: certificateArn(key),
      });
    }

    new LbListener(this, 'http', {
      loadBalancerArn: this.alb.arn,
      port: 80,
      protocol: 'HTTP',
      defaultAction: [{ type: 'redirect', redirect: { protocol: 'HTTPS', port: '443', statusCode: 'HTTP_301' } }],
    });

    this.routes = new ListenerRoutes(this, 'routes', {
      listenerArn: this.httpsListener.arn,
      targetGroupArn: this.ingressTargetGroup.arn,
      oidcForClient,
    });
    plan.rules.forEach((rule) => this.routes.addRule(rule));

    this.signout = new SignoutEndpoint(this, 'signout', {
      namePrefix: plan.signout.namePrefix,
      targetGroupName: plan.signout.targetGroupName,
      listenerArn: this.httpsListener.arn,
      signoutPath: plan.signout.path,
      cookieName: plan.signout.cookieName,
      logoutEndpoint: auth.getString(AUTH_OUTPUTS.logoutEndpoint),
      clientIds: Token.asList(clientIds),
      hosts: plan.signout.hosts,
    });

    const zone = new DataAwsRoute53Zone(this, 'zone', { name: plan.zoneName, privateZone: false });
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
  }

  /**
   * Targets are the NLB's private IPs, read from the AWS API: the NLB by its tags, then its
   * network interfaces (one per subnet, fixed for the NLB's life). No public DNS lookup.
   */
  private attachIngressNlb(cluster: TerraformRemoteState): void {
    const nlb = new DataAwsLb(this, 'ingress-nlb', { tags: Token.asStringMap(cluster.get(CLUSTER_OUTPUTS.ingressNlbTags)) });
    const enis = new DataAwsNetworkInterfaces(this, 'ingress-nlb-enis', {
      filter: [
        { name: 'description', values: [`ELB ${nlb.arnSuffix}`] },
        { name: 'vpc-id', values: [this.vpcId] },
      ],
    });
    const eniIds = TerraformIterator.fromList(enis.ids);
    const eni = new DataAwsNetworkInterface(this, 'ingress-nlb-eni', { forEach: eniIds, id: eniIds.value });
    const target = TerraformIterator.fromDataSources(eni);
    new LbTargetGroupAttachment(this, 'ingress-nlb-ip', {
      forEach: target,
      targetGroupArn: this.ingressTargetGroup.arn,
      targetId: target.getString('private_ip'),
      port: 80,
    });
  }
}
