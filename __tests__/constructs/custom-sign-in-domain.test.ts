// Cognito creates a custom sign-in domain only if its parent resolves (an A record): the plan reads
// the parent's records in the zone and fails, with what to create, before anything is created.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EXAMPLE_CONFIG } from '../../modules/config/example';
import {
  exactRecordNameRegex,
  parentDomainOf,
  parentRecordMessage,
  parentRecordsRegex,
} from '../../modules/constructs/custom-sign-in-domain';
import { configWith, resourcesOf, synthAll } from '../helpers';
import { available } from '../prerequisites';

const hasTerraform = available('terraform');

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

/** The synthesized check of one custom domain, and Terraform's verdict on it for given records and pool. */
function checkOf(customDomain: string, zoneName = 'dev.example.com') {
  const hosts = (h: string) => h.replace(/dev\.example\.com$/, zoneName);
  const { tf } = synthAll(
    configWith({
      zoneName,
      cognito: { ...EXAMPLE_CONFIG.cognito, customDomain },
      apps: EXAMPLE_CONFIG.apps.map((a) => ({ ...a, host: hosts(a.host) })),
    }),
  );
  const [readId, read] = Object.entries(tf.auth.data.aws_route53_records ?? {})[0]!;
  const [poolId] = Object.keys(tf.auth.data.aws_cognito_user_pool ?? {});
  const domain = resourcesOf(tf.auth, 'aws_cognito_user_pool_domain').find((d) => d.domain === customDomain)!;
  const [check] = domain.lifecycle.precondition;
  /** The condition with the two data sources replaced by locals. */
  const condition = (records: string, pool: string) =>
    check.condition
      .replace(`data.aws_route53_records.${readId}.resource_record_sets`, `local.${records}`)
      .replace(`data.aws_cognito_user_pool.${poolId}.custom_domain`, `local.${pool}`)
      .slice(2, -1);
  return { tf, readId, read, poolId, check, condition };
}

const record = (name: string, type: string, alias = false) => ({ name, type, alias_target: alias ? { dns_name: 'x' } : null });

describe('the parent record of customDomain: login.dev.example.com (the parent is the zone apex)', () => {
  // GIVEN a custom sign-in domain one level below the zone apex
  const { read, readId, poolId, check, condition } = checkOf('login.dev.example.com');

  test('the plan reads the parent name in the zone and the pool, and checks them before the domain is created', () => {
    expect(parentDomainOf('login.dev.example.com')).toBe('dev.example.com');
    expect(read).toMatchObject({
      name_regex: '^dev\\.example\\.com\\.$',
      zone_id: '${data.aws_route53_zone.sign-in-domain_zone_D66733B9.zone_id}',
    });
    expect(check.condition).toBe(
      `\${try(length([for r in data.aws_route53_records.${readId}.resource_record_sets : r if contains(["A", "CNAME"], r.type) || (r.type == "NS" && r.name != "dev.example.com.")]), 0) > 0 || try(data.aws_cognito_user_pool.${poolId}.custom_domain, "") == "login.dev.example.com"}`,
    );
    expect(check.error_message).toBe(parentRecordMessage('login.dev.example.com', 'dev.example.com'));
    expect(check.error_message).toBe(
      'cognito.customDomain: Cognito creates the sign-in domain login.dev.example.com only if its parent dev.example.com resolves to an IPv4 address (an A record; Cognito developer guide, "Using your own domain for managed login"), and the Route 53 zone dev.example.com has no A or CNAME record named dev.example.com. Create one (an alias to a load balancer or CloudFront distribution that serves dev.example.com, or any address you control), then plan again.',
    );
  });

  (hasTerraform ? test : test.skip)(
    'Terraform passes an A (alias or not) or CNAME record, or a pool that has the domain already; fails none, AAAA, TXT or the apex NS',
    () => {
      const apex = 'dev.example.com.';
      const locals = {
        none: null,
        empty: [],
        aaaa: [record(apex, 'AAAA')],
        txt: [record(apex, 'TXT')],
        apexNs: [record(apex, 'NS'), record(apex, 'SOA')],
        a: [record(apex, 'TXT'), record(apex, 'A')],
        alias: [record(apex, 'A', true)],
        cname: [record(apex, 'CNAME')],
        noDomain: '',
        otherDomain: 'auth.dev.example.com',
        ourDomain: 'login.dev.example.com',
      };
      const cases: [string, string][] = [
        ['none', 'noDomain'],
        ['empty', 'noDomain'],
        ['aaaa', 'noDomain'],
        ['txt', 'otherDomain'],
        ['apexNs', 'noDomain'],
        ['a', 'noDomain'],
        ['alias', 'noDomain'],
        ['cname', 'noDomain'],
        ['none', 'ourDomain'],
      ];
      expect(
        console(
          locals,
          cases.map(([r, p]) => condition(r, p)),
        ),
      ).toEqual(['false', 'false', 'false', 'false', 'false', 'true', 'true', 'true', 'true']);
    },
  );

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

describe('customDomain: login.team.dev.example.com (the parent is inside the zone)', () => {
  const { read, condition } = checkOf('login.team.dev.example.com');

  (hasTerraform ? test : test.skip)(
    'a delegation of the parent, or a wildcard one level up, answers for it; the regex reads exactly those names',
    () => {
      expect(read.name_regex).toBe(parentRecordsRegex('login.team.dev.example.com', 'dev.example.com'));
      const re = JSON.stringify(read.name_regex);
      const names = [
        'team.dev.example.com.',
        '\\052.dev.example.com.',
        'x.team.dev.example.com.',
        'dev.example.com.',
        '\\052.team.dev.example.com.',
      ];
      expect(
        console(
          {},
          names.map((n) => `can(regex(${re}, ${JSON.stringify(n)}))`),
        ),
      ).toEqual(['true', 'true', 'false', 'false', 'false']);
      const locals = {
        ns: [record('team.dev.example.com.', 'NS')],
        wildcard: [record('\\052.dev.example.com.', 'A')],
        none: null,
        noDomain: '',
      };
      expect(console(locals, [condition('ns', 'noDomain'), condition('wildcard', 'noDomain'), condition('none', 'noDomain')])).toEqual([
        'true',
        'true',
        'false',
      ]);
    },
  );
});
