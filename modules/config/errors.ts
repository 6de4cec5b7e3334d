/** One broken rule: where it is, what was there, and what the rule is. */
export interface ConfigProblem {
  readonly field: string;
  readonly value: unknown;
  readonly rule: string;
  /** What to change, when the rule alone does not say it (printed as `fix: …` under the problem). */
  readonly fix?: string;
  /** Where the field is in the file (YAML and JSON files), added by the loader. */
  readonly at?: { readonly line: number; readonly column: number };
}

export class ConfigError extends Error {
  constructor(
    public readonly problems: readonly ConfigProblem[],
    public readonly source = 'config',
  ) {
    super(
      `Invalid ${printable(source)} (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map(problemText).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

/** A problem about the file itself (its syntax), which has no value to show. */
export const NO_VALUE = Symbol('no value');

/** One problem as printed: `  - field (line L, column C): value rule`, then its fix on a line of its own. */
function problemText(p: ConfigProblem): string {
  const at = p.at ? ` (line ${p.at.line}, column ${p.at.column})` : '';
  const value = p.value === NO_VALUE ? '' : `${describeValue(p.value)} `;
  return `  - ${printable(p.field)}${at}: ${value}${p.rule}${p.fix ? `\n    fix: ${printable(p.fix)}` : ''}`;
}

/** Longest rendering of a value in a message. */
export const MAX_SHOWN = 300;
/** Nesting shown before `[…]` / `{…}`. */
const MAX_DEPTH = 4;
/** Items or keys shown per list or object. */
const MAX_ITEMS = 20;

/**
 * A value as it appears in an error message: JSON-like, short, on one line, and total: cycles
 * (a YAML alias that contains itself), deep nesting, huge lists, NaN/Infinity, bigints, functions
 * and symbols all print instead of throwing. Control characters are escaped, so a message can
 * never forge a line of a terminal or CI log.
 */
export function describeValue(value: unknown): string {
  if (value === undefined) return '(missing)';
  const text = render(value, 0, new Set());
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN - 3)}...` : text;
}

function render(value: unknown, depth: number, ancestors: Set<object>): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value.length > MAX_SHOWN ? value.slice(0, MAX_SHOWN) : value).replace(
        /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g,
        escapeChar,
      );
    case 'number': // NaN, Infinity and -Infinity print as such, not as JSON's null
    case 'boolean':
      return String(value);
    case 'bigint':
      return `${value}n`;
    case 'undefined':
      return 'undefined';
    case 'function':
      return '(function)';
    case 'symbol':
      return '(symbol)';
  }
  if (value === null) return 'null';
  const object = value as object;
  if (ancestors.has(object)) return '(circular)';
  if (depth >= MAX_DEPTH) return Array.isArray(object) ? '[…]' : '{…}';
  ancestors.add(object);
  try {
    if (Array.isArray(object)) {
      const items = object.slice(0, MAX_ITEMS).map((v) => render(v, depth + 1, ancestors));
      if (object.length > MAX_ITEMS) items.push(`… ${object.length - MAX_ITEMS} more`);
      return `[${items.join(',')}]`;
    }
    const keys = Object.keys(object);
    const entries = keys
      .slice(0, MAX_ITEMS)
      .map((k) => `${render(k, depth + 1, ancestors)}:${render((object as Record<string, unknown>)[k], depth + 1, ancestors)}`);
    if (keys.length > MAX_ITEMS) entries.push(`… ${keys.length - MAX_ITEMS} more`);
    return `{${entries.join(',')}}`;
  } finally {
    ancestors.delete(object);
  }
}

function escapeChar(ch: string): string {
  return `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** A name for a message (a field path or a file name) with control characters escaped. */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, escapeChar);
}
