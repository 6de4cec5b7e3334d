/**
 * `npm run schema [-- --check]`: the JSON Schema of the config file, schema/config.schema.json,
 * generated from the TypeScript types the app itself uses (modules/config/types*.ts): every
 * setting with its type, allowed values, description and default from their JSDoc; unknown keys
 * refused. Never edited by hand: `--check` (run by the tests) fails when the file and the types
 * differ. Environment files point editors at it with a modeline:
 *   # yaml-language-server: $schema=../schema/config.schema.json
 *
 * Exit codes: 0 written (or up to date), 1 out of date (--check), 2 bad usage.
 */
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..');
export const SCHEMA_FILE = path.join(ROOT, 'schema', 'config.schema.json');
export const MODELINE = '# yaml-language-server: $schema=../schema/config.schema.json';
export const USAGE = 'usage: npm run schema [-- --check]';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/**
 * A JSDoc `@default` is often prose here (`- see SessionConfig`, `28800 (8 hours)`). The generator
 * keeps what JSON5 can parse as a value (`'OPTIONAL'` arrives as "OPTIONAL") and the raw text otherwise.
 * A schema default is a value editors insert, so only a literal stays one: a lone word, a number or
 * boolean, a quoted or bracketed literal, or such a literal followed by a note in parentheses; any
 * other text moves into the description as "Default: …".
 */
function literalDefault(text: string): { value: Json } | undefined {
  const t = text.trim();
  const noted = /^(.+?) \(.+\)$/.exec(t);
  if (noted) return literalDefault(noted[1]!);
  if (/^'[^']*'$/.test(t)) return { value: t.slice(1, -1) };
  if (/^(-?\d+(\.\d+)?|true|false)$/.test(t)) return { value: JSON.parse(t) };
  if (/^\[.*\]$/.test(t)) {
    try {
      return { value: JSON.parse(t.replace(/'/g, '"')) };
    } catch {
      return undefined;
    }
  }
  if (!t.startsWith('-') && /^\S+$/.test(t)) return { value: t };
  return undefined;
}

function normalize(node: Json): Json {
  if (Array.isArray(node)) return node.map(normalize);
  if (node === null || typeof node !== 'object') return node;
  const out: { [k: string]: Json } = {};
  for (const [k, v] of Object.entries(node)) out[k] = normalize(v);
  if (typeof out.default === 'string') {
    const literal = literalDefault(out.default);
    if (literal) out.default = literal.value;
    else {
      const prose = out.default.replace(/^-\s*/, '');
      delete out.default;
      out.description = `${typeof out.description === 'string' ? `${out.description} ` : ''}Default: ${prose}.`;
    }
  }
  return out;
}

/** The schema, as the generator makes it from the types, with defaults made literal. */
export function generateSchema(): Json {
  // Loaded here: it brings the TypeScript compiler, which --help never needs.
  const { createGenerator } = require('ts-json-schema-generator') as typeof import('ts-json-schema-generator');
  const generator = createGenerator({
    path: path.join(ROOT, 'modules', 'config', 'types.ts'),
    tsconfig: path.join(ROOT, 'tsconfig.json'),
    type: 'CentralAuthConfig',
    jsDoc: 'extended',
    additionalProperties: false,
    // tsc --noEmit checks the types; the generator only reads them.
    skipTypeCheck: true,
    topRef: false,
  });
  const schema = normalize(generator.createSchema('CentralAuthConfig') as Json) as { [k: string]: Json };
  return {
    $schema: schema.$schema ?? null,
    $id: 'https://github.com/central-auth/cdktf-central-auth/schema/config.schema.json',
    title: 'central-auth environment config (environments/<env>.yaml)',
    ...schema,
  };
}

export function render(schema: Json): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}

export function main(argv: string[], io: { stdout: (s: string) => void; stderr: (s: string) => void }): number {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout(`${USAGE}\n\nWrites schema/config.schema.json from modules/config/types.ts; --check only compares.\n`);
    return 0;
  }
  const unknown = argv.find((a) => a !== '--check');
  if (unknown !== undefined) {
    io.stderr(`schema: unknown option ${unknown}\n${USAGE}\n`);
    return 2;
  }
  const text = render(generateSchema());
  const current = fs.existsSync(SCHEMA_FILE) ? fs.readFileSync(SCHEMA_FILE, 'utf8') : '';
  if (argv.includes('--check')) {
    if (current === text) return 0;
    io.stderr(`schema: ${path.relative(ROOT, SCHEMA_FILE)} is out of date with modules/config/types*.ts: run npm run schema\n`);
    return 1;
  }
  fs.mkdirSync(path.dirname(SCHEMA_FILE), { recursive: true });
  fs.writeFileSync(SCHEMA_FILE, text);
  io.stdout(`schema: wrote ${path.relative(ROOT, SCHEMA_FILE)}\n`);
  return 0;
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2), {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
  });
}
