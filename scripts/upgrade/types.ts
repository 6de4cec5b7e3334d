/** Shapes of a release record (__tests__/fixtures/releases/) and of the upgrade check's findings. */
import type { Json, JsonObject } from '../diff/types';

export type { Json, JsonObject };

/** One stack of a release, reduced to what decides whether an upgrade replaces something. */
export interface StackRecord {
  /** `type.name` → the resource's body: cdktf metadata dropped, strings over LONG_STRING hashed. */
  readonly resources: Record<string, JsonObject>;
  /** `moved` blocks: old address → new address. */
  readonly moved: Record<string, string>;
  /** `removed` blocks: address → whether Terraform destroys it (`lifecycle.destroy`). */
  readonly removed: Record<string, boolean>;
  /** Output name → the resource addresses its value refers to: what other stacks (and people) read. */
  readonly outputs: Record<string, string[]>;
  /** The region of the stack's default AWS provider: what a resource without `region` is in. */
  readonly region?: string;
}

/** One config of one release. */
export interface ReleaseRecord {
  readonly version: string;
  /** The config's name within the release folder (`example`, `rich`). */
  readonly config: string;
  readonly stacks: Record<string, StackRecord>;
}

/** What a class of resource holds, for messages: "the user pool: every user and their MFA". */
export interface StatefulClass {
  readonly holds: string;
}

/** A stack that a release retired, with the procedure its upgrade notes give. */
export interface RetiredStack {
  readonly stack: string;
  /** The first release without it. */
  readonly since: string;
  /** Where the operator reads what to do (a CHANGELOG heading). */
  readonly procedure: string;
}

/** A stateful resource a release forgets (`removed`, destroy = false) and recreates elsewhere, with the procedure. */
export interface ForgottenResource {
  readonly stack: string;
  readonly address: string;
  readonly since: string;
  readonly procedure: string;
}

/** What later releases say an upgrade may do, each with its procedure. */
export interface UpgradeAllowances {
  readonly retiredStacks: readonly RetiredStack[];
  readonly forgotten: readonly ForgottenResource[];
}

/** One thing an upgrade would break: a stack, an address, and why. */
export interface Finding {
  readonly stack: string;
  readonly address: string;
  readonly message: string;
}
