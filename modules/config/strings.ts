import type { Checker } from './checker';

/** Deeper than any real config nests (apps[3].publicPaths[0] is three levels). */
export const MAX_NESTING = 12;

/**
 * C0 and C1 control characters, DEL, line and paragraph separators and the bidirectional
 * overrides: each can forge or hide a line in a terminal or a CI log (`::error` workflow
 * commands start a line), and none belongs in a config value.
 */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/**
 * How cdktf marks a token inside a string: a config string containing one would be replaced by
 * another resource's value at synth, or crash it, so none may reach a construct.
 */
const TOKEN_MARKER = /[$#]\{TfToken\[|\$\{Token\[/;

/**
 * Walks every string and key of the raw config, before anything else reads it: refuses control
 * characters and cdktf token markers wherever they are, and values nested too deeply (a YAML
 * alias that contains itself is reported once, where it loops, instead of recursing forever).
 */
export function checkStrings(c: Checker, raw: unknown): void {
  const seen = new Set<object>();
  const walk = (field: string, value: unknown, depth: number): void => {
    if (typeof value === 'string') return checkString(c, field || '(root)', value);
    if (typeof value !== 'object' || value === null) return;
    if (seen.has(value))
      return c.fail(field || '(root)', '(circular)', 'refers to itself (a YAML alias inside its own anchor); write the value out');
    if (depth > MAX_NESTING)
      return c.fail(field, Array.isArray(value) ? '[…]' : '{…}', `nests deeper than ${MAX_NESTING} levels; no setting does`);
    seen.add(value);
    if (Array.isArray(value)) value.forEach((v, i) => walk(`${field}[${i}]`, v, depth + 1));
    else {
      for (const [key, v] of Object.entries(value)) {
        const name = field ? `${field}.${key}` : key;
        if (CONTROL.test(key) || TOKEN_MARKER.test(key)) checkString(c, `${field || '(root)'} key`, key);
        walk(name, v, depth + 1);
      }
    }
    seen.delete(value);
  };
  walk('', raw, 0);
}

function checkString(c: Checker, field: string, value: string): void {
  const control = CONTROL.exec(value);
  if (control) {
    const code = control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
    c.fail(
      field,
      value,
      `must not contain control characters (U+${code} at position ${control.index}): they can forge lines in a terminal or CI log`,
    );
  } else if (TOKEN_MARKER.test(value)) {
    c.fail(
      field,
      value,
      'must not contain a cdktf token marker ("${TfToken[", "#{TfToken[" or "${Token["): cdktf would replace it with another value',
    );
  }
}

/**
 * A user's text as a Terraform string that Terraform reads literally: in every string of a
 * .tf.json file, `${` starts an interpolation and `%{` a directive; doubled, they stand for
 * themselves (Terraform "String Templates": "$${" and "%%{" escapes).
 */
export function terraformLiteral(text: string): string {
  // Function replacements: in a replacement string, "$$" itself means one "$".
  return text.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
}
