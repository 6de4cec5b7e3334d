/**
 * Which attribute changes make the providers replace a resource, per resource type, as read from
 * their source at the pinned versions (provider-force-new.json names them): SDKv2 `ForceNew: true`,
 * plugin-framework `RequiresReplace*`, and the CustomizeDiff / ModifyPlan code that forces new.
 * Not modelled, because no stack sets what they depend on: kubernetes_config_map_v1 `immutable`,
 * aws_lb `subnet_mapping` and the network-LB-only rules, Lambda-target exceptions of target groups
 * (treated as always forcing, the stricter reading).
 */
import * as table from './provider-force-new.json';

/**
 * - `always`: any change, including set ↔ unset.
 * - `unless-unset`: Optional+Computed: leaving it out keeps what AWS has; setting a new value replaces.
 * - `presence`: only adding or removing it replaces (a CustomizeDiff `ForceNewIfChange` on emptiness).
 * - `region`: hashicorp/aws 6's per-resource region: replaced when the effective region changes
 *   (unset means the provider's region).
 * - `source-switch`: VPC security group rules: replaced when which source attribute is set changes;
 *   a new value of the same one is an update (their ModifyPlan).
 */
export type ForceNewKind = 'always' | 'unless-unset' | 'presence' | 'region' | 'source-switch';

export interface ForceNewRule {
  readonly path: string;
  readonly kind: ForceNewKind;
  /** The provider source that says so, for the message. */
  readonly source: string;
}

interface TypeEntry {
  readonly file: string;
  readonly always: readonly string[];
  readonly unlessUnset?: readonly string[];
  readonly presence?: readonly string[];
  readonly sourceSwitch?: readonly string[];
  readonly regional?: boolean;
}

const PROVIDER_OF = (type: string): keyof typeof table.sources =>
  type.startsWith('helm_') ? 'helm' : type.startsWith('kubernetes_') ? 'kubernetes' : 'aws';

function rulesOf(type: string, e: TypeEntry): ForceNewRule[] {
  const provider = PROVIDER_OF(type);
  const source =
    provider === 'aws'
      ? `hashicorp/aws 6.25.0 ${e.file}`
      : `${table.sources[provider].replace(/^hashicorp\/terraform-provider-/, 'hashicorp/')} ${e.file}`;
  return [
    ...e.always.map((path) => ({ path, kind: 'always' as const, source })),
    ...(e.unlessUnset ?? []).map((path) => ({ path, kind: 'unless-unset' as const, source })),
    ...(e.presence ?? []).map((path) => ({ path, kind: 'presence' as const, source })),
    ...(e.sourceSwitch?.length ? [{ path: e.sourceSwitch.join('|'), kind: 'source-switch' as const, source }] : []),
    ...(e.regional ? [{ path: 'region', kind: 'region' as const, source: `${source} (region)` }] : []),
  ];
}

/** Resource type → its replacement rules. */
export const FORCE_NEW: Readonly<Record<string, readonly ForceNewRule[]>> = Object.fromEntries(
  Object.entries(table.types as Record<string, TypeEntry>).map(([type, e]) => [type, rulesOf(type, e)]),
);

/** Where the table comes from, for the docs and the closing note. */
export const FORCE_NEW_SOURCES = table.sources;
