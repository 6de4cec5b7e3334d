/** Reading the project's Markdown the way a reader (and GitHub) sees it: fenced blocks, code spans, links, anchors. */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

export const ROOT = path.resolve(__dirname, '..', '..');

/** The documentation these tests keep true: every page under docs/, and the environments' README. */
export const DOCS: readonly string[] = [
  ...fs
    .readdirSync(path.join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => `docs/${f}`),
  'environments/README.md',
];

/** DOCS and README.md, which another change owns: read, never rewritten here. */
export const ALL_DOCS: readonly string[] = ['README.md', ...DOCS];

export function readDoc(rel: string): string {
  return fs.readFileSync(path.join(ROOT, rel), 'utf8');
}

export interface FencedBlock {
  readonly lang: string;
  /** The block's lines without the list indentation the fence carries. */
  readonly body: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
}

const FENCE = /^( *)(`{3,})([^\n`]*)\n([\s\S]*?)^\1\2[ \t]*$/gm;

/** Every fenced code block, including those indented inside a list item. */
export function fencedBlocks(text: string): FencedBlock[] {
  return [...text.matchAll(FENCE)].map((m) => {
    const indent = m[1]!.length;
    const body = m[4]!
      .split('\n')
      .map((l) => l.slice(Math.min(indent, l.length - l.trimStart().length)))
      .join('\n');
    return { lang: m[3]!.trim(), body, line: text.slice(0, m.index).split('\n').length };
  });
}

/** The text outside fenced blocks: what is prose, tables and inline code. */
export function prose(text: string): string {
  return text.replace(FENCE, (block) => block.replace(/[^\n]/g, ''));
}

/** The content of every inline code span outside fenced blocks. */
export function codeSpans(text: string): string[] {
  return [...prose(text).matchAll(/(`+)([^`\n]|[^`\n][\s\S]*?[^`\n])\1(?!`)/g)].map((m) => m[2]!.trim());
}

/** The targets of every Markdown link `[text](target)` outside fenced blocks. */
export function linkTargets(text: string): string[] {
  return [...prose(text).matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1]!);
}

/** GitHub's anchors for a page's headings: lower case, punctuation dropped, spaces to dashes, repeats numbered. */
export function headingAnchors(text: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const m of prose(text).matchAll(/^#{1,6}[ \t]+(.+?)[ \t#]*$/gm)) {
    const slug = m[1]!
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    anchors.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return anchors;
}

/** The text between each `<!-- name:start -->` line and the next `<!-- name:end -->` line. */
export function markedBlocks(text: string, name: string): string[] {
  return [...text.matchAll(markerPattern(name))].map((m) => m[2]!);
}

/** `text` with the marked blocks replaced, in order, by `bodies`. */
export function replaceMarkedBlocks(text: string, name: string, bodies: readonly string[]): string {
  let i = 0;
  return text.replace(markerPattern(name), (_all, start: string, _body: string, end: string) => `${start}${bodies[i++]}${end}`);
}

function markerPattern(name: string): RegExp {
  return new RegExp(`(^<!-- ${name}:start -->\\n)([\\s\\S]*?)(^<!-- ${name}:end -->$)`, 'gm');
}

/** The repository's files as a checkout has them: tracked, or new and not ignored (never node_modules or cdktf.out). */
export function repositoryFiles(): string[] {
  return execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' })
    .split('\n')
    .filter((f) => f !== '' && fs.existsSync(path.join(ROOT, f)));
}
