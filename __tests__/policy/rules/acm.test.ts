import { AcmCertificate, type AcmCertificateConfig } from '@cdktf/provider-aws/lib/acm-certificate';
import { findingsOf, labStack, ruleTests, type FailCase, type PassCase } from '../helpers';

const REQUESTED: AcmCertificateConfig = {
  domainName: '*.dev.example.com',
  validationMethod: 'DNS',
  options: { certificateTransparencyLoggingPreference: 'ENABLED' },
  lifecycle: { createBeforeDestroy: true },
};

describe('ACM rules', () => {
  // GIVEN one plain stack with a compliant requested certificate, an imported and a private-CA one, and one per way to fail
  const stack = labStack();
  new AcmCertificate(stack, 'requested', REQUESTED);
  new AcmCertificate(stack, 'destroyed-first', { ...REQUESTED, lifecycle: { createBeforeDestroy: false } });
  new AcmCertificate(stack, 'no-lifecycle', { ...REQUESTED, lifecycle: undefined });
  new AcmCertificate(stack, 'ct-disabled', { ...REQUESTED, options: { certificateTransparencyLoggingPreference: 'DISABLED' } });
  new AcmCertificate(stack, 'ct-default', { ...REQUESTED, options: undefined });
  new AcmCertificate(stack, 'imported', { privateKey: 'key', certificateBody: 'body', lifecycle: { createBeforeDestroy: true } });
  new AcmCertificate(stack, 'private-ca', { ...REQUESTED, options: undefined, certificateAuthorityArn: 'arn:aws:acm-pca:ca' });
  // WHEN the policy runs once on the stack alone
  const found = findingsOf(stack);

  const fails: FailCase[] = [
    [
      'ACM_CREATE_BEFORE_DESTROY',
      'a certificate is destroyed before its replacement exists',
      'lab/destroyed-first',
      'lifecycle.create_before_destroy is false, must be true',
    ],
    [
      'ACM_CREATE_BEFORE_DESTROY',
      'a certificate has no lifecycle',
      'lab/no-lifecycle',
      'lifecycle.create_before_destroy is (not set), must be true',
    ],
    [
      'ACM_CT_LOGGING',
      'a certificate opts out of Certificate Transparency',
      'lab/ct-disabled',
      'options.certificate_transparency_logging_preference is "DISABLED", must be "ENABLED"',
    ],
    [
      'ACM_CT_LOGGING',
      'a certificate leaves Certificate Transparency to the default',
      'lab/ct-default',
      'options.certificate_transparency_logging_preference is (not set), must be "ENABLED"',
    ],
  ];
  const passes: PassCase[] = [
    ['ACM_CREATE_BEFORE_DESTROY', 'the certificate is replaced create-before-destroy', 'lab/requested'],
    ['ACM_CT_LOGGING', 'logging is explicitly enabled', 'lab/requested'],
    ['ACM_CT_LOGGING', 'the certificate is imported (ACM does not log it)', 'lab/imported'],
    ['ACM_CT_LOGGING', 'a private CA issues the certificate', 'lab/private-ca'],
  ];
  ruleTests(stack, found, fails, passes);
});
