import { conditional, Fn, type IResolvable, Op, type TerraformRemoteState, Token } from 'cdktf';
import type { Construct } from 'constructs';
import type { SharedPlan } from '../plan/types';
import { CONTRACT_OUTPUT, type StackName } from './outputs';
import { remoteStateOf } from './state';

export interface UpstreamProps {
  readonly shared: SharedPlan;
  readonly stack: StackName;
  /** A placeholder for every output this stack reads (see modules/stacks/outputs.ts). */
  readonly placeholders: Record<string, unknown>;
  /** The contract this code expects the upstream state to publish. */
  readonly contract: string;
}

/**
 * The outputs of an upstream stack, read through its remote state with a placeholder for every
 * output, and whether that state is as new as this code. Only outputs given a placeholder can be
 * read: a stack can always be planned, whatever its upstream has applied.
 */
export class Upstream {
  readonly stack: StackName;
  readonly state: TerraformRemoteState;
  /** True when the upstream state publishes the expected contract: its values are real. */
  readonly current: IResolvable;
  private readonly placeholders: Record<string, unknown>;

  constructor(scope: Construct, props: UpstreamProps) {
    this.stack = props.stack;
    this.placeholders = props.placeholders;
    this.state = remoteStateOf(scope, props.stack, props.shared, { ...props.placeholders, [CONTRACT_OUTPUT]: 'none' });
    this.current = Op.eq(this.state.get(CONTRACT_OUTPUT), props.contract);
  }

  getString(output: string): string {
    this.check(output);
    return this.state.getString(output);
  }

  /**
   * One entry of a map output. Against a current upstream a missing key fails the plan (lookup
   * without a default); against an older one the placeholder stands in, and the stack reports
   * that it waits for the upstream apply.
   */
  mapValue(output: string, key: string): string {
    this.check(output);
    const placeholder = (this.placeholders[output] as Record<string, unknown>)[key];
    if (typeof placeholder !== 'string') throw new Error(`Upstream ${this.stack}: output "${output}" has no placeholder for key "${key}"`);
    return Token.asString(conditional(this.current, Fn.lookup(this.state.get(output), key), placeholder));
  }

  private check(output: string): void {
    if (!(output in this.placeholders))
      throw new Error(`Upstream ${this.stack}: output "${output}" has no placeholder, so it cannot be read`);
  }
}

/** The value of a consumer's PLACEHOLDERS_OUTPUT: the upstream stacks whose state is older than this code. */
export function placeholderStacks(upstreams: readonly Upstream[]): string[] {
  return Token.asList(Fn.compact(upstreams.map((u) => Token.asString(conditional(u.current, '', u.stack)))));
}
