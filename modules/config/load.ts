import { readFileSync } from 'fs';
import { basename, extname } from 'path';
import { parse as parseYaml } from 'yaml';
import { type ResolvedConfig, resolveConfig } from './defaults';
import { ConfigError, NO_VALUE, printable } from './errors';
import { type Locate, locator, withLocations } from './locate';
import { validateConfig } from './validate';

/** Environment variable that selects the config: a file, or `example` (modules/config/select.ts). */
export const CONFIG_ENV_VAR = 'CENTRAL_AUTH_CONFIG';

/** A config as read, before validation, and what to call it in messages. */
export interface RawConfig {
  readonly raw: unknown;
  /** `config <file>` or `embedded example config`. */
  readonly source: string;
  /** Where a field is in the file (see locate.ts); absent for the embedded example. */
  readonly locate?: Locate;
}

/** Reads and parses a JSON or YAML config file. */
export function readConfigFile(file: string): RawConfig {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    throw new ConfigError([
      { field: CONFIG_ENV_VAR, value: file, rule: `cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})` },
    ]);
  }
  const text = decodeUtf8(file, bytes);
  const kind: 'YAML' | 'JSON' = ['.yaml', '.yml'].includes(extname(file).toLowerCase()) ? 'YAML' : 'JSON';
  try {
    // A leading byte-order mark is legal UTF-8 but not JSON.
    const body = text.replace(/^\uFEFF/, '');
    const raw: unknown = kind === 'YAML' ? parseYaml(body, { maxAliasCount: 100 }) : JSON.parse(body);
    return { raw, source: `config ${file}`, locate: locator(body) };
  } catch (err) {
    throw syntaxError(file, kind, text.replace(/^\uFEFF/, ''), err);
  }
}

/** What to do about a YAML parser's error, by its code (yaml's `YAMLError.code`). */
const YAML_FIXES: Record<string, string> = {
  BLOCK_AS_IMPLICIT_KEY: "indent a setting's children under it with spaces, and put one `key: value` on a line",
  BAD_INDENT: "indent a setting's children under it with spaces, the same number for each",
  TAB_AS_INDENT: 'indent with spaces: YAML does not allow tabs there',
  DUPLICATE_KEY: 'keep each setting once per object: remove or merge the repeated key',
  MISSING_CHAR: 'close the quote, bracket or brace opened before this point',
  UNEXPECTED_TOKEN: 'close the quote, bracket or brace opened before this point',
};

/**
 * A file the parser refuses: the file, the line and column, the parser's reason without its own
 * position text (Node 20 and 22 word JSON's differently), and what to do.
 */
function syntaxError(file: string, kind: 'YAML' | 'JSON', body: string, err: unknown): ConfigError {
  const message = (err as Error).message;
  const source = `config ${file}`;
  // A stack overflow is how a parser meets thousands of nested brackets.
  if (err instanceof RangeError || message.includes('Maximum call stack size exceeded')) {
    return new ConfigError(
      [{ field: basename(file), value: NO_VALUE, rule: `is not valid ${kind}: it nests too deeply to parse` }],
      source,
    );
  }
  const first = printable(message.split('\n')[0] ?? '');
  let at: { line: number; column: number } | undefined;
  let reason = first;
  let fix: string;
  if (kind === 'YAML') {
    const pos = (err as { linePos?: { line: number; col: number }[] }).linePos?.[0];
    if (pos) at = { line: pos.line, column: pos.col };
    reason = first.replace(/ at line \d+, column \d+:?$/, '');
    fix =
      YAML_FIXES[(err as { code?: string }).code ?? ''] ??
      (/alias count/i.test(reason)
        ? 'write repeated values out: a file may use anchors and aliases at most 100 times'
        : 'compare it with the same setting in environments/dev.yaml');
  } else {
    const offset = /at position (\d+)/.exec(first)?.[1];
    if (offset !== undefined) {
      const before = body.slice(0, Number(offset)).split('\n');
      at = { line: before.length, column: before[before.length - 1]!.length + 1 };
    }
    reason = first.replace(/ in JSON at position \d+.*$/, '').replace(/ \(line \d+ column \d+\)$/, '');
    fix = 'JSON needs double quotes, and allows no trailing comma and no comment';
  }
  return new ConfigError(
    [{ field: basename(file), value: NO_VALUE, rule: `is not valid ${kind}: ${reason}`, fix, ...(at ? { at } : {}) }],
    source,
  );
}

/**
 * Decodes UTF-8 strictly: a malformed byte is an error naming its offset, not a silent U+FFFD
 * that would change a name or a host without anyone seeing it.
 */
export function decodeUtf8(file: string, bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const offset = firstInvalidUtf8(bytes);
    throw new ConfigError([
      {
        field: file,
        value: `0x${bytes[offset]!.toString(16).padStart(2, '0')}`,
        rule: `at byte ${offset} is not valid UTF-8; save the file as UTF-8`,
      },
    ]);
  }
}

/** The offset where the first malformed UTF-8 sequence starts (RFC 3629, section 4). */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const [length, min, max] =
      b < 0x80
        ? [1, 0, 0]
        : b >= 0xc2 && b <= 0xdf
          ? [2, 0x80, 0xbf]
          : b === 0xe0
            ? [3, 0xa0, 0xbf]
            : b === 0xed
              ? [3, 0x80, 0x9f]
              : b >= 0xe1 && b <= 0xef
                ? [3, 0x80, 0xbf]
                : b === 0xf0
                  ? [4, 0x90, 0xbf]
                  : b >= 0xf1 && b <= 0xf3
                    ? [4, 0x80, 0xbf]
                    : b === 0xf4
                      ? [4, 0x80, 0x8f]
                      : [0, 0, 0];
    if (length === 0) return i;
    for (let k = 1; k < length; k++) {
      const next = bytes[i + k];
      // The second byte has a narrower range for some lead bytes (overlongs, surrogates, > U+10FFFF).
      if (next === undefined || next < (k === 1 ? min : 0x80) || next > (k === 1 ? max : 0xbf)) return i;
    }
    i += length;
  }
  return bytes.length;
}

/** Set in CI plan and deploy jobs: a config there must keep its state in S3, never on the runner. */
export const REQUIRE_REMOTE_STATE_ENV_VAR = 'CENTRAL_AUTH_REQUIRE_REMOTE_STATE';

/**
 * Set by the deploy job: each stack then refuses to apply against placeholders (an upstream stack
 * not applied, or older than this code), which a plan may use but an apply must never deploy.
 */
export const APPLYING_ENV_VAR = 'CENTRAL_AUTH_APPLYING';

/** A flag variable is on when set to 1 or true, nothing else. */
export function flagSet(env: NodeJS.ProcessEnv, name: string): boolean {
  return ['1', 'true'].includes((env[name] ?? '').toLowerCase());
}

/** Validation, then defaults (applied here and nowhere else). */
export function prepareConfig(raw: unknown, source = 'config', env: NodeJS.ProcessEnv = {}): ResolvedConfig {
  const config = resolveConfig(validateConfig(raw, source));
  if (flagSet(env, REQUIRE_REMOTE_STATE_ENV_VAR) && config.state.backend !== 's3') {
    throw new ConfigError(
      [
        {
          field: 'state.backend',
          value: config.state.backend,
          rule: `must be "s3" when ${REQUIRE_REMOTE_STATE_ENV_VAR} is set: a plan or deploy in CI against local state would start from nothing and lose what it applied`,
        },
      ],
      source,
    );
  }
  return config;
}

/** Reads, parses, validates and resolves a JSON or YAML config file. */
export function loadConfigFile(file: string): ResolvedConfig {
  const { raw, source, locate } = readConfigFile(file);
  return withLocations(locate, () => prepareConfig(raw, source));
}
