// The names the docs use for what the code defines: how many stacks and in which order, the stacks'
// outputs, and the Terraform resource and data source types, each of which must exist as named.
import * as fs from 'fs';
import * as path from 'path';
import * as outputs from '../../modules/stacks/outputs';
import { APPLY_ORDER } from '../../modules/stacks/outputs';
import { ALL_DOCS, codeSpans, DOCS, prose, ROOT, readDoc } from './markdown';

const NUMBERS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six'];

describe('stacks', () => {
  test.each(DOCS)('%s counts them as there are, and gives their order as APPLY_ORDER', (doc) => {
    const text = prose(readDoc(doc)).replace(/\s+/g, ' ');
    // "N stacks" speaks of all of them; "the two stacks' clients" of some
    const counted = [...text.matchAll(/\b(one|two|three|four|five|six|\d+) stacks\b(?!')/gi)].map((m) => m[1]!.toLowerCase());
    expect(counted.filter((n) => n !== NUMBERS[APPLY_ORDER.length])).toEqual([]);
    const orders = [...text.matchAll(/`?(auth|cluster|edge)`? → `?(auth|cluster|edge)`? → `?(auth|cluster|edge)`?/g)].map((m) =>
      m.slice(1),
    );
    for (const order of orders) expect(order).toEqual([...APPLY_ORDER]);
  });

  test('the docs say it somewhere (the checks above see something)', () => {
    expect(DOCS.some((d) => prose(readDoc(d)).includes(`${NUMBERS[APPLY_ORDER.length]} stacks`))).toBe(true);
  });
});

describe('outputs', () => {
  // GIVEN every output name a stack can publish (modules/stacks/outputs.ts)
  const known = new Set(
    Object.values(outputs).flatMap((v) =>
      typeof v === 'string' ? [v] : typeof v === 'object' && v !== null && !Array.isArray(v) ? Object.values(v) : [],
    ),
  );

  test.each(ALL_DOCS)('%s names only outputs that exist', (doc) => {
    const text = prose(readDoc(doc));
    const named = [...text.matchAll(/`([a-z][a-z0-9_]*)` outputs?\b|\boutputs? `([a-z][a-z0-9_]*)`/g)]
      .map((m) => (m[1] ?? m[2])!)
      .filter((n) => !(APPLY_ORDER as readonly string[]).includes(n));
    expect(named.filter((n) => !known.has(n))).toEqual([]);
  });

  test('the docs name outputs (the check above sees something)', () => {
    expect(known.has('client_ids')).toBe(true);
    expect(prose(readDoc('docs/smoke.md'))).toContain('`user_pool_id` output');
  });
});

describe('Terraform types', () => {
  const PROVIDERS: Record<string, string> = { aws: 'provider-aws', kubernetes: 'provider-kubernetes', helm: 'provider-helm' };

  /**
   * Whether the pinned provider has the type (its lib/<name> module; cdktf itself has terraform_remote_state):
   * `data.x` must be a data source, a bare `x` a resource or a data source ("read from `aws_partition`").
   */
  function exists(type: string, data: boolean): boolean {
    const [prefix, ...rest] = type.split('_');
    const module = (name: string[]) =>
      PROVIDERS[prefix!] !== undefined &&
      fs.existsSync(path.join(ROOT, 'node_modules', '@cdktf', PROVIDERS[prefix!]!, 'lib', name.join('-')));
    const isData = type === 'terraform_remote_state' || module(['data', prefix!, ...rest]);
    return data ? isData : isData || module(rest);
  }

  test.each(ALL_DOCS)('%s names only types the pinned providers have', (doc) => {
    const named = codeSpans(readDoc(doc))
      .flatMap((s) => s.split(/\s+/))
      .flatMap((t) => {
        const m = /^(data\.)?((?:aws|kubernetes|helm|terraform)_[a-z0-9_]+)/.exec(t);
        return m ? [{ type: m[2]!, data: m[1] !== undefined }] : [];
      });
    expect(named.filter(({ type, data }) => !exists(type, data))).toEqual([]);
  });

  test('the check knows a real type from a made-up one', () => {
    expect([exists('aws_lb_listener', false), exists('aws_region', true), exists('kubernetes_config_map_v1', false)]).toEqual([
      true,
      true,
      true,
    ]);
    expect([exists('aws_lb_listenr', false), exists('aws_wafv2_web_acl_logging_configuration', true)]).toEqual([false, false]);
  });
});
