import { isMap, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { ConfigError } from './errors';

/** Line and column (1-based) of a problem's field in the file, when the file has it. */
export type Locate = (field: string) => { line: number; column: number } | undefined;

/**
 * `apps[6] (kiali).host` → ['apps', 6, 'host']; undefined for a field that is not a path into the
 * file (an environment variable, a file name).
 */
export function fieldPath(field: string): (string | number)[] | undefined {
  const plain = field.replace(/ \([^)]*\)/g, '');
  if (!/^[A-Za-z_][\w-]*(\[\d+\]|\.[A-Za-z_][\w-]*)*$/.test(plain) || /^[A-Z_]+$/.test(plain)) return undefined;
  return [...plain.matchAll(/([A-Za-z_][\w-]*)|\[(\d+)\]/g)].map((m) => (m[2] !== undefined ? Number(m[2]) : m[1]!));
}

/**
 * A locator over the file's text: YAML, and JSON read as the YAML it also is. It points at a map
 * key when the field ends in one (where a typo is), else at the list item; a field the file lacks
 * (a missing setting) is located at its parent object, unless that is the whole file.
 */
export function locator(text: string): Locate {
  const lineCounter = new LineCounter();
  let root: Node | null;
  try {
    root = parseDocument(text, { lineCounter, keepSourceTokens: false }).contents as Node | null;
  } catch {
    return () => undefined;
  }
  const at = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  return (field) => {
    const path = fieldPath(field);
    if (!path || !root) return undefined;
    let node: unknown = root;
    let last: { offset: number } | undefined;
    for (const segment of path) {
      if (isMap(node) && typeof segment === 'string') {
        const pair = node.items.find((p) => (p.key as { value?: unknown } | null)?.value === segment);
        if (!pair) return last ? at(last.offset) : undefined;
        const key = pair.key as { range?: [number, number, number] } | null;
        last = key?.range ? { offset: key.range[0] } : last;
        node = pair.value;
      } else if (isSeq(node) && typeof segment === 'number') {
        const item = node.items[segment] as { range?: [number, number, number] } | undefined;
        if (!item) return last ? at(last.offset) : undefined;
        last = item.range ? { offset: item.range[0] } : last;
        node = item;
      } else return last ? at(last.offset) : undefined;
    }
    return last ? at(last.offset) : undefined;
  };
}

/** Runs `check`; a ConfigError it throws comes back with each problem's line and column. */
export function withLocations<T>(locate: Locate | undefined, check: () => T): T {
  try {
    return check();
  } catch (err) {
    if (!(err instanceof ConfigError) || !locate) throw err;
    throw new ConfigError(
      err.problems.map((p) => {
        const where = p.at ?? locate(p.field);
        return where ? { ...p, at: where } : p;
      }),
      err.source,
    );
  }
}
