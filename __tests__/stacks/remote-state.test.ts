import { EXAMPLE_CONFIG } from '../../modules/config/example';
import { AUTH_OUTPUTS, APPLY_ORDER, CONTRACT_OUTPUT, PLACEHOLDER_CLIENT_ID, PLACEHOLDERS_OUTPUT } from '../../modules/stacks/outputs';
import { configWith, synthAll, type Synthesized, type TerraformJson } from '../helpers';

/** The example, and a larger config with per-host certificates, an S3 backend and several app clients. */
const CASES: [string, () => Synthesized][] = [
  ['the example', () => synthAll()],
  [
    'per-host certificates, S3 state and four app clients',
    () =>
      synthAll(
        configWith({
          certificates: 'per-host',
          state: { backend: 's3', bucket: 'acme-tf-state', keyPrefix: 'central-auth' },
          quotas: { callbackUrlsPerAppClient: 3, certificatesPerAlb: 50 },
          apps: [
            ...EXAMPLE_CONFIG.apps,
            ...Array.from({ length: 9 }, (_, i) => ({ name: `app${i}`, host: `app${i}.dev.example.com`, access: 'protected' as const })),
          ],
        }),
      ),
  ],
];

/** Every `data.terraform_remote_state.<id>.outputs.<name>` a stack's JSON reads, as `<id>.<name>`. */
function remoteReads(tf: TerraformJson): string[] {
  const text = JSON.stringify({ ...tf, data: { ...tf.data, terraform_remote_state: undefined } });
  return [...new Set([...text.matchAll(/data\.terraform_remote_state\.([\w-]+)\.outputs\.(\w+)/g)].map((m) => `${m[1]}.${m[2]}`))].sort();
}

describe.each(CASES)('remote state with %s', (_name, synth) => {
  // GIVEN the stacks synthesized once
  const { tf } = synth();

  test.each(APPLY_ORDER.map((s) => [s]))('%s: every output it reads has a placeholder default, and the producer publishes it', (stack) => {
    const remote = tf[stack].data?.terraform_remote_state ?? {};
    for (const read of remoteReads(tf[stack])) {
      const [id, output] = read.split('.') as [string, string];
      // THEN the default covers it (so the stack plans before its upstream has that output) …
      expect([read, remote[id]?.defaults?.[output] !== undefined]).toEqual([read, true]);
      // … and the upstream really publishes it: no read of an output nobody writes.
      const producer = id.replace(/^remote-state-/, '') as keyof Synthesized['tf'];
      expect([read, tf[producer].output[output] !== undefined]).toEqual([read, true]);
    }
  });

  test('a consumer expects exactly the contract its producer publishes', () => {
    for (const stack of APPLY_ORDER) {
      for (const [id, state] of Object.entries<any>(tf[stack].data?.terraform_remote_state ?? {})) {
        const producer = id.replace(/^remote-state-/, '') as keyof Synthesized['tf'];
        const published = tf[producer].output[CONTRACT_OUTPUT].value;
        expect(JSON.stringify(tf[stack].output[PLACEHOLDERS_OUTPUT].value)).toContain(`outputs_contract == \\"${published}\\"`);
        expect(state.defaults[CONTRACT_OUTPUT]).toBe('none');
      }
    }
  });

  test('placeholders have the formats the provider validates', () => {
    const defaults = tf.edge.data.terraform_remote_state['remote-state-auth'].defaults;
    expect(defaults[AUTH_OUTPUTS.userPoolArn]).toMatch(/^arn:aws:cognito-idp:eu-west-1:\d{12}:userpool\/eu-west-1_\w+$/);
    expect(defaults[AUTH_OUTPUTS.issuerUrl]).toMatch(/^https:\/\/cognito-idp\.eu-west-1\.amazonaws\.com\/eu-west-1_\w+$/);
    expect(Object.values(defaults[AUTH_OUTPUTS.clientIds])).toEqual(
      Object.keys(tf.auth.output[AUTH_OUTPUTS.clientIds].value).map(() => PLACEHOLDER_CLIENT_ID),
    );
    expect(PLACEHOLDER_CLIENT_ID).toMatch(/^[a-z0-9]{26}$/);
    expect(tf.edge.data.terraform_remote_state['remote-state-cluster'].defaults.ingress_security_group_id).toMatch(/^sg-[0-9a-f]{17}$/);
  });

  test('app clients are read by key, never by list position', () => {
    const edge = JSON.stringify(tf.edge);
    expect(edge).not.toMatch(/element\(|client_ids\[\d/);
    for (const key of Object.keys(tf.auth.output[AUTH_OUTPUTS.clientIds].value)) {
      // THEN a current upstream without the key fails the plan (plain index, no default) …
      expect(edge).toContain(key === 'alb' ? 'outputs.client_ids.alb : ' : `outputs.client_ids[\\"${key}\\"] : `);
    }
  });

  test('no output carries a secret, and no stack but auth reads one', () => {
    for (const stack of APPLY_ORDER) {
      for (const [name, output] of Object.entries(tf[stack].output)) {
        expect([stack, name, JSON.stringify(output.value)]).not.toEqual([stack, name, expect.stringMatching(/secret/i)]);
        expect(output.sensitive).toBeUndefined();
      }
    }
    expect(JSON.stringify(tf.edge)).not.toMatch(/client_secret/);
    expect(JSON.stringify(tf.cluster)).not.toMatch(/client_secret/);
  });
});

describe('applying against placeholders', () => {
  test('the deploy job makes every consumer refuse to apply while an upstream is not current; a plan does not', () => {
    // GIVEN the example planned for a deploy, and for a PR plan
    const applying = synthAll(configWith(), { applying: true });
    const planning = synthAll();
    for (const stack of ['cluster', 'edge'] as const) {
      const guard = applying.tf[stack].output[PLACEHOLDERS_OUTPUT] as { precondition?: { condition: string; error_message: string }[] };
      // THEN the output's precondition fails the apply unless no upstream is a placeholder
      expect(guard.precondition![0]!.condition).toMatch(/^\$\{\(length\(compact\(\[.*\]\)\) < 1\)\}$/);
      expect(guard.precondition![0]!.error_message).toMatch(
        /^Refusing to apply against placeholders: an upstream stack \(.+\) is not applied, or is older than this code\. Deploy the stacks in order: auth, cluster, edge\.$/,
      );
      expect((planning.tf[stack].output[PLACEHOLDERS_OUTPUT] as { precondition?: unknown }).precondition).toBeUndefined();
    }
  });
});
