/**
 * The "naive" baseline of `npm run bench`: the same app, but every provider import goes through
 * the package root barrel (`import { lb }` straight from the `@cdktf/provider-aws` package root), which loads all of the
 * provider's ~2,200 resource modules, and it runs under a type-checking TypeScript loader.
 *
 * Nothing in the project is edited: the sources are copied to a temporary folder, rewritten
 * there, and node_modules is symlinked.
 */
import * as fs from 'fs';
import * as path from 'path';

/** Top-level entries of the project that the copy leaves out. */
const SKIP = new Set(['node_modules', 'cdktf.out', '__tests__', 'docs', 'scripts', 'coverage']);

/** `export * as lbListenerRule from './lb-listener-rule'` lines of a provider's lib/index.d.ts. */
export function readBarrel(indexDts: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const m of indexDts.matchAll(/^export \* as (\w+) from '\.\/([^']+)';$/gm)) map.set(m[2], m[1]);
  return map;
}

const PROVIDER_IMPORT =
  /import\s+(type\s+)?(\{[^}]*\}|\*\s+as\s+\w+)\s+from\s+(['"])(@cdktf\/provider-([a-z0-9-]+))\/lib\/([a-z0-9-]+)(?:\/index)?\3;?/g;

/**
 * Rewrites `import { A, type B, C as D } from '@cdktf/provider-x/lib/y'` into a root-barrel
 * import of the namespace plus one `import A = ns.A` alias per name (works for values and types),
 * and `import * as n from '…/lib/y'` into `import { y as n } from '@cdktf/provider-x'`.
 * `barrels(pkg)` returns the lib-folder → namespace map of a provider package.
 * Throws if a provider deep import of another shape is left, so the baseline never silently
 * measures a half-rewritten tree.
 */
export function rewriteProviderImports(source: string, barrels: (pkg: string) => Map<string, string>, file = 'source'): string {
  const declared = new Set<string>();
  const out = source.replace(
    PROVIDER_IMPORT,
    (_all, _type: string | undefined, clause: string, _q: string, pkg: string, short: string, lib: string) => {
      const ns = barrels(pkg).get(lib);
      if (!ns) throw new Error(`${file}: ${pkg} has no root export for lib/${lib}`);
      if (clause.startsWith('*')) return `import { ${ns} as ${clause.replace(/^\*\s+as\s+/, '')} } from '${pkg}';`;
      const alias = `__${short.replace(/-/g, '_')}_${ns}`;
      const lines: string[] = [];
      if (!declared.has(alias)) {
        declared.add(alias);
        lines.push(`import { ${ns} as ${alias} } from '${pkg}';`);
      }
      for (const raw of clause.slice(1, -1).split(',')) {
        const spec = raw.trim().replace(/^type\s+/, '');
        if (!spec) continue;
        const [name, local = name] = spec.split(/\s+as\s+/).map((s) => s.trim());
        lines.push(`import ${local} = ${alias}.${name};`);
      }
      return lines.join(' ');
    },
  );
  const left = out.match(/['"]@cdktf\/provider-[a-z0-9-]+\/lib\/[^'"]*['"]/);
  if (left) throw new Error(`${file}: cannot rewrite provider import ${left[0]} to the root barrel`);
  return out;
}

export interface NaiveTree {
  readonly dir: string;
  /** first-party .ts files copied, and how many provider imports were rewritten */
  readonly files: number;
  readonly rewrittenImports: number;
}

/**
 * Copies the project (minus tests, scripts, outputs) to `dir`, rewrites provider imports to the
 * root barrels, writes a tsconfig with the project's compiler options and symlinks node_modules.
 */
export function prepareNaiveTree(projectRoot: string, dir: string): NaiveTree {
  fs.mkdirSync(dir, { recursive: true });
  const cache = new Map<string, Map<string, string>>();
  const barrels = (pkg: string): Map<string, string> => {
    let map = cache.get(pkg);
    if (!map) {
      const index = path.join(projectRoot, 'node_modules', pkg, 'lib', 'index.d.ts');
      map = readBarrel(fs.readFileSync(index, 'utf8'));
      cache.set(pkg, map);
    }
    return map;
  };
  let files = 0;
  let rewrittenImports = 0;
  const copy = (from: string, to: string): void => {
    const stat = fs.lstatSync(from);
    if (stat.isDirectory()) {
      fs.mkdirSync(to, { recursive: true });
      for (const name of fs.readdirSync(from)) copy(path.join(from, name), path.join(to, name));
    } else if (stat.isFile()) {
      if (from.endsWith('.ts') && !from.endsWith('.d.ts')) {
        const text = fs.readFileSync(from, 'utf8');
        rewrittenImports += [...text.matchAll(PROVIDER_IMPORT)].length;
        fs.writeFileSync(to, rewriteProviderImports(text, barrels, path.relative(projectRoot, from)));
        files += 1;
      } else {
        fs.copyFileSync(from, to);
      }
    }
  };
  for (const name of fs.readdirSync(projectRoot)) {
    if (SKIP.has(name) || name.startsWith('.') || name === 'tsconfig.json') continue;
    copy(path.join(projectRoot, name), path.join(dir, name));
  }
  fs.symlinkSync(path.join(projectRoot, 'node_modules'), path.join(dir, 'node_modules'), 'dir');

  // The project's compiler options, minus the incremental cache (it would be shared with `npm test`)
  // and JavaScript checking (type-checking verifier/ and lambda/ is `tsc --noEmit`'s job, not the synth's).
  const tsconfig = JSON.parse(fs.readFileSync(path.join(projectRoot, 'tsconfig.json'), 'utf8')) as {
    compilerOptions: Record<string, unknown>;
  };
  const { incremental: _i, tsBuildInfoFile: _t, noEmit: _n, checkJs: _c, ...compilerOptions } = tsconfig.compilerOptions;
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, include: ['main.ts', 'modules/**/*.ts'] }, null, 2));
  return { dir, files, rewrittenImports };
}
