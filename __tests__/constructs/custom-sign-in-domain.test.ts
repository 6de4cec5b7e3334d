// Cognito creates a custom sign-in domain only if its parent resolves (an A record): the plan reads
// the parent's records in the zone and fails, with what to create, before anything is created.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EXAMPLE_CONFIG } from '../../modules/config/example';
import { exactRecordNameRegex, parentDomainOf, parentRecordMessage } from '../../modules/constructs/custom-sign-in-domain';
import { configWith, resourcesOf, synthAll } from '../helpers';

const hasTerraform = spawnSync('terraform', ['version'], { encoding: 'utf8' }).status === 0;

/** Evaluates expressions with `terraform console` over the given locals. */
function console(locals: Record<string, unknown>, expressions: string[]): string[] {
  const dir = mkdtempSync(path.join(tmpdir(), 'tf-parent-record-'));
  writeFileSync(path.join(dir, 'main.tf.json'), JSON.stringify({ locals }));
  return expressions.map((e) => {
    const r = spawnSync('terraform', ['console'], { cwd: dir, input: `${e}\n`, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
    return r.stdout.trim();
  });
}

describe('the parent record of customDomain: login.dev.example.com', () => {
  // GIVEN a custom sign-in domain one level below the zone apex
  const { tf } = synthAll(configWith({ cognito: { ...EXAMPLE_CONFIG.cognito, customDomain: 'login.dev.example.com' } }));
  const [readId, read] = Object.entries(tf.auth.data.aws_route53_records ?? {})[0] ?? [];
  const domain = resourcesOf(tf.auth, 'aws_cognito_user_pool_domain').find((d) => d.domain === 'login.dev.example.com')!;
  const [check] = domain.lifecycle.precondition;

  test('the plan reads the parent name in the zone and checks it before the domain is created', () => {
    expect(parentDomainOf('login.dev.example.com')).toBe('dev.example.com');
    expect(read).toMatchObject({
      name_regex: '^dev\\.example\\.com\\.$',
      zone_id: '${data.aws_route53_zone.sign-in-domain_zone_D66733B9.zone_id}',
    });
    expect(check.condition).toBe(
      `\${try(length([for r in data.aws_route53_records.${readId}.resource_record_sets : r if r.type == "A"]), 0) > 0}`,
    );
    expect(check.error_message).toBe(parentRecordMessage('login.dev.example.com', 'dev.example.com'));
    expect(check.error_message).toBe(
      'cognito.customDomain: Cognito creates the sign-in domain login.dev.example.com only if its parent dev.example.com resolves to an IPv4 address (an A record; Cognito developer guide, "Using your own domain for managed login"), and the Route 53 zone dev.example.com has no A record named dev.example.com. Create one (an alias to a load balancer or CloudFront distribution that serves dev.example.com, or any address you control), then plan again.',
    );
  });

  (hasTerraform ? test : test.skip)('Terraform passes an A record (alias or not) and fails none, only AAAA, or only TXT', () => {
    // GIVEN the condition as synthesized, with the data source's attribute replaced by each case
    const condition = (name: string) =>
      check.condition.replace(`data.aws_route53_records.${readId}.resource_record_sets`, `local.${name}`).slice(2, -1);
    const record = (type: string, alias = false) => ({ name: 'dev.example.com.', type, alias_target: alias ? { dns_name: 'x' } : null });
    // WHEN Terraform evaluates it THEN only an A record satisfies it (the data source gives null when nothing matches)
    expect(
      console(
        {
          none: null,
          empty: [],
          aaaa: [record('AAAA')],
          txt: [record('TXT')],
          a: [record('TXT'), record('A')],
          alias: [record('A', true)],
        },
        [condition('none'), condition('empty'), condition('aaaa'), condition('txt'), condition('a'), condition('alias')],
      ),
    ).toEqual(['false', 'false', 'false', 'false', 'true', 'true']);
  });

  (hasTerraform ? test : test.skip)('the name regex matches the parent as Route 53 lists it, and nothing else', () => {
    const re = JSON.stringify(read.name_regex);
    const names = ['dev.example.com.', 'login.dev.example.com.', 'xdev.example.com.', 'devxexample.com.', 'dev.example.com'];
    expect(
      console(
        {},
        names.map((n) => `can(regex(${re}, ${JSON.stringify(n)}))`),
      ),
    ).toEqual(['true', 'false', 'false', 'false', 'false']);
    expect(exactRecordNameRegex('a-b.example.com')).toBe('^a-b\\.example\\.com\\.$');
  });
});
