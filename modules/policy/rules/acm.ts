import { isType } from '../context';
import { literal } from './helpers';
import type { PolicyRule } from './types';

export const ACM_RULES: readonly PolicyRule[] = [
  {
    id: 'ACM_CREATE_BEFORE_DESTROY',
    mirrors: ['CKV_AWS_233'],
    description: 'ACM certificates are replaced create-before-destroy, so a listener never loses its certificate.',
    fix: 'Set lifecycle: { createBeforeDestroy: true } on the certificate.',
    severity: 'error',
    suppressible: false,
    check: (c, ctx) => (isType(c, 'aws_acm_certificate') ? literal(ctx.attributes(c), 'lifecycle.create_before_destroy', true) : []),
  },
  {
    id: 'ACM_CT_LOGGING',
    mirrors: ['CKV_AWS_234'],
    description: 'Requested ACM certificates are logged to Certificate Transparency, explicitly.',
    fix: 'Set options: { certificateTransparencyLoggingPreference: "ENABLED" } on the certificate.',
    severity: 'error',
    suppressible: false,
    check: (c, ctx) => {
      if (!isType(c, 'aws_acm_certificate')) return [];
      const attrs = ctx.attributes(c);
      // Imported and private-CA certificates are not logged by ACM.
      if (attrs.private_key !== undefined || attrs.certificate_authority_arn !== undefined) return [];
      return literal(attrs, 'options.certificate_transparency_logging_preference', 'ENABLED');
    },
  },
];
