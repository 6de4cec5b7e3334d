import { DataAwsRoute53Zone } from '@cdktf/provider-aws/lib/data-aws-route53-zone';
import type { Construct } from 'constructs';
import { DnsValidatedCertificate } from '../constructs/dns-validated-certificate';
import { CentralAuthStack, type CentralAuthStackProps } from './base';
import type { PlannedCertificate } from '../plan/certificates';
import type { CertsPlan } from '../plan/types';
import { CERTS_OUTPUTS, type StackName } from './outputs';

/** ACM certificates for every host, validated through Route 53. */
export class CertsStack extends CentralAuthStack {
  readonly certificates = new Map<string, DnsValidatedCertificate>();
  private readonly zone: DataAwsRoute53Zone;

  constructor(scope: Construct, id: StackName, props: CentralAuthStackProps<CertsPlan>) {
    super(scope, id, props.shared);
    this.zone = new DataAwsRoute53Zone(this, 'zone', { name: props.plan.zoneName, privateZone: false });
    props.plan.certificates.forEach((c) => this.addCertificate(c));
    this.publish(CERTS_OUTPUTS.certificateArns, {
      value: Object.fromEntries([...this.certificates].map(([key, cert]) => [key, cert.validatedArn])),
      description: 'Validated certificate ARN per certificate key',
    });
  }

  addCertificate(certificate: PlannedCertificate): DnsValidatedCertificate {
    if (this.certificates.has(certificate.key)) throw new Error(`CertsStack: certificate "${certificate.key}" already exists`);
    const cert = new DnsValidatedCertificate(this, `cert-${certificate.key}`, { certificate, zoneId: this.zone.zoneId });
    this.certificates.set(certificate.key, cert);
    return cert;
  }
}
