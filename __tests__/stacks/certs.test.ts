import '../setup';
import { AcmCertificate } from '@cdktf/provider-aws/lib/acm-certificate';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import { DataAwsRoute53Zone } from '@cdktf/provider-aws/lib/data-aws-route53-zone';
import { EXAMPLE_CONFIG } from '../../modules/config/example';
import { CERTS_OUTPUTS } from '../../modules/stacks/outputs';
import { configWith, resourcesOf, synthAll } from '../helpers';

describe('certs stack (wildcard strategy)', () => {
  // GIVEN the example plus one host two labels below the zone
  const { json, tf } = synthAll(
    configWith({ apps: [...EXAMPLE_CONFIG.apps, { name: 'deep', host: 'api.team.dev.example.com', access: 'protected' }] }),
  );

  test('one wildcard certificate covers the zone, each deeper parent domain gets its own wildcard', () => {
    const certs = resourcesOf(tf.certs, 'aws_acm_certificate');
    expect(certs.map((c) => [c.domain_name, c.subject_alternative_names]).sort()).toEqual([
      ['*.dev.example.com', ['dev.example.com']],
      ['*.team.dev.example.com', undefined],
    ]);
  });

  test('certificates are DNS validated, logged to CT and replaced before destroyed', () => {
    expect(json.certs).toHaveResourceWithProperties(AcmCertificate, {
      validation_method: 'DNS',
      options: { certificate_transparency_logging_preference: 'ENABLED' },
      lifecycle: { create_before_destroy: true },
    });
    expect(json.certs).toHaveDataSourceWithProperties(DataAwsRoute53Zone, { name: 'dev.example.com', private_zone: false });
  });

  test('validation records are created per domain and awaited', () => {
    expect(json.certs).toHaveResourceWithProperties(Route53Record, {
      for_each: expect.stringMatching(
        /^\$\{\{ for key, val in tolist\(aws_acm_certificate\.[\w-]+\.domain_validation_options\): val\.domain_name => val \}\}$/,
      ),
      name: '${each.value.resource_record_name}',
      records: ['${each.value.resource_record_value}'],
      allow_overwrite: true,
    });
    const validations = resourcesOf(tf.certs, 'aws_acm_certificate_validation');
    expect(validations).toHaveLength(2);
    expect(validations[0].validation_record_fqdns).toMatch(/^\$\{\[ for key, val in aws_route53_record\.[\w-]+: val\.fqdn\]\}$/);
  });

  test('the output maps certificate keys to validated ARNs', () => {
    const value = tf.certs.output[CERTS_OUTPUTS.certificateArns].value;
    expect(Object.keys(value).sort()).toEqual(['*.team.dev.example.com', 'wildcard']);
    expect(value.wildcard).toMatch(/^\$\{aws_acm_certificate_validation\.[\w-]+\.certificate_arn\}$/);
  });
});
