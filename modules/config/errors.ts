/** One broken rule: where it is, what was there, and what the rule is. */
export interface ConfigProblem {
  readonly field: string;
  readonly value: unknown;
  readonly rule: string;
}

export class ConfigError extends Error {
  constructor(
    public readonly problems: readonly ConfigProblem[],
    source = 'config',
  ) {
    super(
      `Invalid ${source} (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  - ${p.field}: ${show(p.value)} ${p.rule}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

function show(value: unknown): string {
  if (value === undefined) return '(missing)';
  const text = JSON.stringify(value);
  return text.length > 300 ? `${text.slice(0, 297)}...` : text;
}
