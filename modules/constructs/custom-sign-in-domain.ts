import { CognitoUserPoolDomain } from '@cdktf/provider-aws/lib/cognito-user-pool-domain';
import { DataAwsCognitoUserPool } from '@cdktf/provider-aws/lib/data-aws-cognito-user-pool';
import { DataAwsRoute53Records } from '@cdktf/provider-aws/lib/data-aws-route53-records';
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

/** The domain one level up (`login.dev.example.com` → `dev.example.com`): Cognito resolves it before it creates the domain. */
export const parentDomainOf = (domainName: string): string => domainName.slice(domainName.indexOf('.') + 1);

const escapeRegex = (name: string): string => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `name_regex` of exactly one record name, as Route 53 lists it (fully qualified, with the final dot). */
export const exactRecordNameRegex = (name: string): string => `^${escapeRegex(name)}\\.$`;

/**
 * `name_regex` of the records that can answer for the parent: the parent itself and, when the
 * parent is not the zone's apex, the wildcard one level up (Route 53 lists `*` as `\\052`).
 */
export function parentRecordsRegex(domainName: string, zoneName: string): string {
  const parent = parentDomainOf(domainName);
  if (parent === zoneName) return exactRecordNameRegex(parent);
  return `^(${escapeRegex(parent)}|\\\\052\\.${escapeRegex(parentDomainOf(parent))})\\.$`;
}

/** The plan-time check's message: what Cognito needs, what is missing, and what to create. */
export function parentRecordMessage(domainName: string, zoneName: string): string {
  const parent = parentDomainOf(domainName);
  return (
    `cognito.customDomain: Cognito creates the sign-in domain ${domainName} only if its parent ${parent} resolves to an IPv4 address ` +
    `(an A record; Cognito developer guide, "Using your own domain for managed login"), and the Route 53 zone ${zoneName} has no A or CNAME record named ${parent}` +
    `${parent === zoneName ? '' : ', no delegation of it and no wildcard above it'}. ` +
    `Create one (an alias to a load balancer or CloudFront distribution that serves ${parent}, or any address you control), then plan again.`
  );
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
    // Cognito refuses the domain after the us-east-1 certificate is issued (minutes in) when the
    // parent does not resolve: "Custom domain is not a valid subdomain: Was not able to resolve a DNS
    // A record for the parent domain". The parent is always in this zone (config: customDomain is
    // below zoneName), so the plan reads what can answer for it there (an A record, an alias one
    // included, a CNAME, a delegation below the apex, a wildcard above it) and fails before
    // anything is created. Once the pool has the domain (Cognito resolves the parent only to create
    // it), the check passes whatever the parent answers, so a later DNS change never blocks a plan.
    // The record is not created here: a count driven by this read would delete the record it made
    // on the next plan, and what the company's `dev.example.com` answers is the team's decision.
    const parent = new DataAwsRoute53Records(this, 'parent-records', {
      zoneId: zone.zoneId,
      nameRegex: parentRecordsRegex(props.domainName, props.zoneName),
    });
    const pool = new DataAwsCognitoUserPool(this, 'pool', { userPoolId: props.userPoolId });
    // Only literal host names reach the expression: both are checked host names ([a-z0-9.-]).
    const answers = `[for r in ${parent.fqn}.resource_record_sets : r if contains(["A", "CNAME"], r.type) || (r.type == "NS" && r.name != "${props.zoneName}.")]`;
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
      lifecycle: {
        precondition: [
          {
            // resource_record_sets is null, not empty, when no name matches: try() makes that 0.
            condition: `\${try(length(${answers}), 0) > 0 || try(${pool.fqn}.custom_domain, "") == "${props.domainName}"}`,
            errorMessage: parentRecordMessage(props.domainName, props.zoneName),
          },
        ],
      },
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
