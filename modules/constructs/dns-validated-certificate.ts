import { AcmCertificate } from '@cdktf/provider-aws/lib/acm-certificate';
import { AcmCertificateValidation } from '@cdktf/provider-aws/lib/acm-certificate-validation';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import { TerraformIterator, Token } from 'cdktf';
import { Construct } from 'constructs';
import type { PlannedCertificate } from '../plan/certificates';

export interface DnsValidatedCertificateProps {
  readonly certificate: PlannedCertificate;
  readonly zoneId: string;
  /**
   * The certificate's region (a Cognito custom domain's must be in us-east-1): hashicorp/aws 6
   * manages a resource in any region through the stack's own provider, so no provider alias.
   * @default - the provider's region
   */
  readonly region?: string;
}

/** An ACM certificate, its DNS validation records, and the wait for it to be issued. */
export class DnsValidatedCertificate extends Construct {
  readonly certificate: AcmCertificate;
  /** ARN that only resolves once ACM has issued the certificate. */
  readonly validatedArn: string;

  constructor(scope: Construct, id: string, props: DnsValidatedCertificateProps) {
    super(scope, id);
    const { certificate, zoneId } = props;
    this.certificate = new AcmCertificate(this, 'certificate', {
      region: props.region,
      domainName: certificate.domainName,
      subjectAlternativeNames: certificate.subjectAlternativeNames.length ? [...certificate.subjectAlternativeNames] : undefined,
      validationMethod: 'DNS',
      keyAlgorithm: 'RSA_2048',
      options: { certificateTransparencyLoggingPreference: 'ENABLED' },
      // A replacement must be issued before the listener lets go of the old one.
      lifecycle: { createBeforeDestroy: true },
      tags: { Name: certificate.key },
    });

    // Keyed by domain name, which is known at plan time, so for_each can be planned.
    const options = TerraformIterator.fromComplexList(this.certificate.domainValidationOptions, 'domain_name');
    const records = new Route53Record(this, 'validation', {
      forEach: options,
      zoneId,
      name: options.getString('resource_record_name'),
      type: options.getString('resource_record_type'),
      records: [options.getString('resource_record_value')],
      ttl: 300,
      // `example.com` and `*.example.com` share one validation record.
      allowOverwrite: true,
    });

    const validation = new AcmCertificateValidation(this, 'issued', {
      region: props.region,
      certificateArn: this.certificate.arn,
      validationRecordFqdns: Token.asList(TerraformIterator.fromResources(records).pluckProperty('fqdn')),
    });
    this.validatedArn = validation.certificateArn;
  }
}
