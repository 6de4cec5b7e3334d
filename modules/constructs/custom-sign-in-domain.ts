import { CognitoUserPoolDomain } from '@cdktf/provider-aws/lib/cognito-user-pool-domain';
import { DataAwsRoute53Zone } from '@cdktf/provider-aws/lib/data-aws-route53-zone';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { DnsValidatedCertificate } from './dns-validated-certificate';

export interface CustomSignInDomainProps {
  readonly userPoolId: string;
  /** The sign-in host, inside the zone. */
  readonly domainName: string;
  readonly zoneName: string;
  /** Managed login (2) or the classic hosted UI (1). */
  readonly managedLoginVersion: 1 | 2;
  /** What the domain must wait for (the app clients' managed login styles). */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * The company's own sign-in domain: its certificate (in us-east-1, where Cognito's CloudFront
 * distribution needs it), the Cognito custom domain, and the alias records to that distribution.
 * The certificate lives with its only user, the domain, in this stack: a replacement is issued
 * before the domain lets go of the old one (create_before_destroy), and Cognito updates a
 * domain's certificate in place.
 */
export class CustomSignInDomain extends Construct {
  readonly domain: CognitoUserPoolDomain;

  constructor(scope: Construct, id: string, props: CustomSignInDomainProps) {
    super(scope, id);
    const zone = new DataAwsRoute53Zone(this, 'zone', { name: props.zoneName, privateZone: false });
    const certificate = new DnsValidatedCertificate(this, 'certificate', {
      certificate: { key: 'sign-in', domainName: props.domainName, subjectAlternativeNames: [], hosts: [props.domainName] },
      zoneId: zone.zoneId,
      region: 'us-east-1',
    });
    this.domain = new CognitoUserPoolDomain(this, 'domain', {
      domain: props.domainName,
      userPoolId: props.userPoolId,
      certificateArn: certificate.validatedArn,
      managedLoginVersion: props.managedLoginVersion,
      dependsOn: props.dependsOn,
    });
    // IPv4 and IPv6 aliases to the domain's CloudFront distribution (its zone id is CloudFront's).
    for (const type of ['A', 'AAAA']) {
      new Route53Record(this, `alias-${type.toLowerCase()}`, {
        zoneId: zone.zoneId,
        name: props.domainName,
        type,
        alias: {
          name: this.domain.cloudfrontDistribution,
          zoneId: this.domain.cloudfrontDistributionZoneId,
          evaluateTargetHealth: false,
        },
      });
    }
  }
}
