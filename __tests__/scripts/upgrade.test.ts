// The upgrade test: applying today's stacks over every recorded release (same environment, the
// upgrade notes followed) destroys or replaces nothing that holds users, data or others' references.
// The ForceNew lists come from the providers' source (scripts/upgrade/provider-force-new.json).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { checkUpgrade, formatFinding, valueAt } from '../../scripts/upgrade/check';
import { ORDERED, STATEFUL, STATELESS } from '../../scripts/upgrade/classes';
import { FORCE_NEW, FORCE_NEW_SOURCES } from '../../scripts/upgrade/force-new';
import { main as recordMain, USAGE as RECORD_USAGE } from '../../scripts/upgrade/cli';
import { allowancesSince, configsOf, readIndex, readRecord, recordFile, upgradedConfigFile } from '../../scripts/upgrade/releases';
import { recordOf, synthesizeStacks } from '../../scripts/upgrade/synth';
import type { JsonObject, ReleaseRecord } from '../../scripts/upgrade/types';
import { ROOT_KEYS } from '../../modules/config/validate';
import { parse } from 'yaml';

const ROOT = path.join(__dirname, '..', '..');
const index = readIndex();
const versions = index.releases.map((r) => r.version);
const latest = versions[versions.length - 1]!;

/** Today's stacks for a config file, synthesized once per file for every test here. */
const synthesized = new Map<string, Record<string, JsonObject>>();
function stacksOf(file: string): Record<string, JsonObject> {
  if (!synthesized.has(file)) synthesized.set(file, synthesizeStacks(file));
  return synthesized.get(file)!;
}
/** Today's record of a release's config, upgraded. */
const today = new Map<string, ReleaseRecord>();
function todayOf(version: string, config: string): ReleaseRecord {
  const file = upgradedConfigFile(version, config);
  if (!today.has(file)) today.set(file, recordOf('today', config, stacksOf(file)));
  return today.get(file)!;
}

describe.each(versions)('upgrading from %s', (version) => {
  test.each(configsOf(version))('the %s config: nothing stateful or referenced is destroyed or replaced', (config) => {
    // GIVEN the release's recorded stacks and today's stacks for the same environment
    const before = readRecord(version, config);
    // WHEN today's stacks are planned over them THEN there is nothing to refuse
    expect(checkUpgrade(before, todayOf(version, config), allowancesSince(version, index)).map(formatFinding)).toEqual([]);
  });
});

describe('the releases', () => {
  const changelog = readFileSync(path.join(ROOT, 'CHANGELOG.md'), 'utf8');

  test('package.json has the latest version; every release has a CHANGELOG section, an example and a rich record', () => {
    expect(JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version).toBe(latest);
    for (const v of versions) {
      expect(changelog).toContain(`\n## [${v}]`);
      expect(configsOf(v)).toEqual(['example', 'rich']);
      for (const c of configsOf(v)) expect(readRecord(v, c)).toMatchObject({ version: v, config: c });
    }
  });

  test('every retired stack and forgotten resource names an upgrade note that exists', () => {
    for (const r of [...index.retiredStacks, ...index.forgotten]) {
      expect(versions).toContain(r.since);
      const [, version, , heading] = r.procedure.match(/^CHANGELOG\.md, (\d+\.\d+\.\d+), (Upgrade notes): (.+)$/)!;
      const section = changelog.slice(changelog.indexOf(`## [${version}]`)).split(/\n## \[/)[0]!;
      expect(section).toContain('### Upgrade notes');
      expect(section).toContain(heading);
    }
  });

  test(`the rich config of ${latest} sets every top-level setting`, () => {
    const rich = parse(readFileSync(path.join(ROOT, '__tests__/fixtures/releases', latest, 'rich.config.yaml'), 'utf8'));
    expect(Object.keys(rich).sort()).toEqual([...ROOT_KEYS].sort());
  });

  test('every resource type the stacks create is classified once and has its ForceNew list', () => {
    const types = new Set(
      Object.values(todayOf(latest, 'rich').stacks).flatMap((s) => Object.keys(s.resources).map((a) => a.split('.')[0]!)),
    );
    for (const v of versions)
      for (const s of Object.values(readRecord(v, 'rich').stacks)) for (const a of Object.keys(s.resources)) types.add(a.split('.')[0]!);
    for (const type of types) {
      expect([type, [type in STATEFUL, type in ORDERED, type in STATELESS].filter(Boolean).length]).toEqual([type, 1]);
      expect([type, (FORCE_NEW[type] ?? []).length > 0]).toEqual([type, true]);
    }
  });
});

describe('the ForceNew table and the record command', () => {
  test('the table was read from the provider versions the stacks pin', () => {
    // GIVEN the providers today's stacks require WHEN compared with the table's sources THEN they are the same versions
    const required = stacksOf(upgradedConfigFile(latest, 'rich')).cluster!.terraform as JsonObject;
    const pinned = Object.entries(required.required_providers as Record<string, { version: string }>).map(
      ([name, p]) => `${name} ${p.version}`,
    );
    expect(pinned.sort()).toEqual(['aws 6.25.0', 'helm 3.1.1', 'kubernetes 2.38.0']);
    expect(FORCE_NEW_SOURCES.aws).toContain('v6.25.0');
    expect(FORCE_NEW_SOURCES.helm).toBe('hashicorp/terraform-provider-helm@v3.1.1');
    expect(FORCE_NEW_SOURCES.kubernetes).toBe('hashicorp/terraform-provider-kubernetes@v2.38.0');
  });

  test('release:record explains itself, refuses bad arguments, and never rewrites a release without --force', () => {
    const out: string[] = [];
    const err: string[] = [];
    const run = (...args: string[]) =>
      recordMain(
        args,
        (s) => out.push(s),
        (s) => err.push(s),
      );
    expect([run('--help'), out.join('')]).toEqual([0, `${RECORD_USAGE}\n`]);
    expect(run('latest')).toBe(2);
    expect(run(latest, '--from')).toBe(2);
    const before = readFileSync(recordFile(latest, 'rich'), 'utf8');
    expect(run(latest)).toBe(1);
    expect(err.pop()).toBe(
      `release:record: ${latest} already has example.record.json, rich.record.json: a release's record is its baseline; --force rewrites it\n`,
    );
    expect(readFileSync(recordFile(latest, 'rich'), 'utf8')).toBe(before);
  });
});

describe('the check refuses what would break an environment (scratch changes to today’s stacks)', () => {
  // GIVEN the latest release's rich record, and today's stacks with one change made on purpose
  const before = () => readRecord(latest, 'rich');
  const mutate = (change: (r: ReleaseRecord) => void): string[] => {
    const after: ReleaseRecord = structuredClone(todayOf(latest, 'rich'));
    change(after);
    return checkUpgrade(before(), after).map(formatFinding);
  };
  const resource = (r: ReleaseRecord, stack: string, prefix: string): [string, JsonObject] => {
    const entry = Object.entries(r.stacks[stack]!.resources).find(([a]) => a.startsWith(prefix));
    if (!entry) throw new Error(`no ${prefix} in ${stack}`);
    return entry;
  };

  test('a new description on the NLB security group (the 0.1.0 fault) names the address and the attribute', () => {
    expect(mutate((r) => (resource(r, 'cluster', 'aws_security_group.ingress-sg')[1].description = 'Internal NLB of the router'))).toEqual([
      'cluster aws_security_group.ingress-sg: would be replaced: description changes from "ingress-nginx internal NLB: reachable only from the central auth ALB" to "Internal NLB of the router" (hashicorp/aws 6.25.0 internal/service/ec2/vpc_security_group.go): a security group: other groups and network interfaces refer to it',
    ]);
  });

  test('case-sensitive user names would replace the user pool, and with it everything that names it', () => {
    const [address] = resource(todayOf(latest, 'rich'), 'auth', 'aws_cognito_user_pool.');
    const findings = mutate((r) => {
      (r.stacks.auth!.resources[address]!.username_configuration as JsonObject).case_sensitive = true;
    });
    expect(findings[0]).toBe(
      `auth ${address}: would be replaced: username_configuration.case_sensitive changes from false to true (hashicorp/aws 6.25.0 internal/service/cognitoidp/user_pool.go): the user pool: every user, their passwords and their MFA`,
    );
    // The replacement passes along references: each client, group, provider and domain names the pool.
    expect(findings.slice(1).every((f) => f.includes(`: would be replaced with ${address}, which its user_pool_id names: `))).toBe(true);
    expect(findings.some((f) => f.startsWith('auth aws_cognito_user_pool_client.user-pool_alb-client_'))).toBe(true);
    expect(findings.some((f) => f.startsWith('auth aws_cognito_user_pool_domain.'))).toBe(true);
  });

  test('a renamed construct id destroys the pool, unless a moved block carries it', () => {
    const [address, body] = resource(todayOf(latest, 'rich'), 'auth', 'aws_cognito_user_pool.');
    // A new construct id renames the address and every reference to it.
    const rename = (r: ReleaseRecord) => {
      const resources = r.stacks.auth!.resources;
      delete resources[address];
      resources['aws_cognito_user_pool.renamed'] = body;
      for (const [a, b] of Object.entries(resources))
        resources[a] = JSON.parse(JSON.stringify(b).split(`\${${address}.`).join('${aws_cognito_user_pool.renamed.'));
    };
    // Without a moved block: the pool is destroyed, and everything that names it is replaced with it.
    const findings = mutate(rename);
    expect(findings).toContain(
      `auth ${address}: would be destroyed (no resource, moved or removed block at this address): the user pool: every user, their passwords and their MFA`,
    );
    expect(findings.filter((f) => f.includes('user_pool_id changes from')).length).toBe(findings.length - 1);
    expect(
      mutate((r) => {
        rename(r);
        r.stacks.auth!.moved[address] = 'aws_cognito_user_pool.renamed';
      }),
    ).toEqual([]);
  });

  test('a removed block forgets a stateful resource only with a procedure; one that destroys is refused', () => {
    const [address] = resource(todayOf(latest, 'rich'), 'cluster', 'aws_security_group.ingress-sg');
    const drop = (destroy: boolean) => (r: ReleaseRecord) => {
      delete r.stacks.cluster!.resources[address];
      r.stacks.cluster!.removed[address] = destroy;
    };
    expect(mutate(drop(false))).toEqual([
      `cluster ${address}: is forgotten (removed, destroy = false) without a procedure: list it in releases.json "forgotten" with the upgrade note that says what to do (a security group: other groups and network interfaces refer to it)`,
    ]);
    const after: ReleaseRecord = structuredClone(todayOf(latest, 'rich'));
    drop(false)(after);
    const procedure = { stack: 'cluster', address, since: latest, procedure: 'CHANGELOG.md' };
    expect(checkUpgrade(before(), after, { retiredStacks: [], forgotten: [procedure] })).toEqual([]);
    expect(mutate(drop(true))).toEqual([
      `cluster ${address}: would be destroyed (no resource, moved or removed block at this address): a security group: other groups and network interfaces refer to it`,
    ]);
  });

  test('a listener rule may be replaced; a target group only when the new one is created first', () => {
    const [rule] = resource(todayOf(latest, 'rich'), 'edge', 'aws_lb_listener_rule.');
    expect(mutate((r) => (r.stacks.edge!.resources[rule]!.listener_arn = '${aws_lb_listener.other.arn}'))).toEqual([]);
    const [group] = resource(todayOf(latest, 'rich'), 'edge', 'aws_lb_target_group.signout');
    expect(mutate((r) => (r.stacks.edge!.resources[group]!.name_prefix = 'so-'))).toEqual([]);
    expect(
      mutate((r) => {
        r.stacks.edge!.resources[group]!.name_prefix = 'so-';
        delete r.stacks.edge!.resources[group]!.lifecycle;
      }),
    ).toEqual([
      `edge ${group}: would be replaced: name_prefix changes from "sgo-" to "so-" (hashicorp/aws 6.25.0 internal/service/elbv2/target_group.go): the listener forwards to it, and AWS refuses to delete a target group in use (no create_before_destroy)`,
    ]);
  });

  test('a stateless resource that an output publishes may not be replaced; ignore_changes and the effective region count', () => {
    const after = todayOf(latest, 'rich');
    const [output, [address]] = Object.entries(after.stacks.auth!.outputs).find(([, a]) =>
      a.some((x) => x.startsWith('aws_route53_record.') || x.startsWith('aws_lambda_function.')),
    ) ?? [undefined, []];
    if (output !== undefined) expect(mutate((r) => (r.stacks.auth!.resources[address!]!.name = 'other'))).toHaveLength(1);
    const [pool] = resource(after, 'auth', 'aws_cognito_user_pool.');
    // The provider's region written out is the same region: no replacement; another region is one.
    expect(mutate((r) => (r.stacks.auth!.resources[pool]!.region = 'eu-west-1'))).toEqual([]);
    expect(mutate((r) => (r.stacks.auth!.resources[pool]!.region = 'us-east-1'))[0]).toBe(
      `auth ${pool}: would be replaced: region changes from (unset) to "us-east-1" (hashicorp/aws 6.25.0 internal/service/cognitoidp/user_pool.go (region)): the user pool: every user, their passwords and their MFA`,
    );
    expect(
      mutate((r) => {
        const body = r.stacks.auth!.resources[pool]!;
        body.alias_attributes = ['email', 'phone_number'];
        body.lifecycle = { ignore_changes: ['alias_attributes'] };
      }),
    ).toEqual([]);
  });

  test('a listener rule that takes a priority another rule holds before the upgrade is refused', () => {
    const rules = Object.entries(todayOf(latest, 'rich').stacks.edge!.resources).filter(([a]) =>
      a.startsWith('aws_lb_listener_rule.routes_'),
    );
    const [[first, a], [second]] = rules as [string, JsonObject][];
    // GIVEN the second rule given the first one's priority, and the first one moved elsewhere
    expect(
      mutate((r) => {
        const edge = r.stacks.edge!.resources;
        edge[second]!.priority = a.priority!;
        edge[first]!.priority = 49999;
      }),
    ).toEqual([
      `edge ${second}: takes priority ${a.priority}, which ${first} holds before the upgrade: the ALB answers PriorityInUse if this rule is applied first`,
    ]);
  });

  test('a moved block to another resource type is refused (the providers cannot move state across types)', () => {
    const [address, body] = resource(todayOf(latest, 'rich'), 'edge', 'aws_lb.');
    expect(
      mutate((r) => {
        delete r.stacks.edge!.resources[address];
        r.stacks.edge!.resources['aws_alb.alb'] = body;
        r.stacks.edge!.moved[address] = 'aws_alb.alb';
      }),
    ).toContain(
      `edge ${address}: moves to aws_alb.alb, another resource type: the providers refuse such a move, so it would be destroyed and created`,
    );
  });

  test('valueAt reads through blocks written as lists', () => {
    expect(valueAt({ a: [{ b: 1 }, { b: 2 }] }, 'a.b')).toEqual([1, 2]);
    expect(valueAt({ a: { b: { c: 'x' } } }, 'a.b.c')).toBe('x');
    expect(valueAt({ a: {} }, 'a.b')).toBeUndefined();
  });
});
