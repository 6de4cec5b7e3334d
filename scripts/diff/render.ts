/** Markdown rendering of a DiffResult. */
import { code } from '../markdown';
import { type AttributeChange, type DiffResult, SECTION_NAMES, SECTION_TITLES, type SectionDiff, type SectionName } from './types';

export interface RenderOptions {
  /** heading level-3 title */
  title?: string;
  /** e.g. the base ref / short SHA */
  baseLabel?: string;
  headLabel?: string;
}

function counts(s: SectionDiff): string {
  if (s.added.length + s.removed.length + s.changed.length === 0) return '–';
  return `+${s.added.length} −${s.removed.length} ~${s.changed.length}`;
}

function otherSections(sections: Record<SectionName, SectionDiff>): SectionDiff {
  const merged: SectionDiff = { added: [], removed: [], changed: [] };
  for (const n of SECTION_NAMES) {
    if (n === 'resources' || n === 'dataSources' || n === 'outputs') continue;
    merged.added.push(...sections[n].added);
    merged.removed.push(...sections[n].removed);
    merged.changed.push(...sections[n].changed);
  }
  return merged;
}

function renderAttribute(a: AttributeChange): string {
  if (a.masked) return `  - ${code(a.path)}: ${a.kind} *(value masked)*`;
  switch (a.kind) {
    case 'added':
      return `  - ${code(a.path)}: added ${code(a.after ?? '')}`;
    case 'removed':
      return `  - ${code(a.path)}: removed (was ${code(a.before ?? '')})`;
    default:
      return `  - ${code(a.path)}: ${code(a.before ?? '')} → ${code(a.after ?? '')}`;
  }
}

/** Markdown for a DiffResult (no HTML, so it can be cut at any line). */
export function renderMarkdown(result: DiffResult, options: RenderOptions = {}): string {
  const lines: string[] = [];
  lines.push(`### ${options.title ?? 'Offline change summary'}`);
  lines.push('');
  const base = options.baseLabel ? code(options.baseLabel) : 'the base';
  const head = options.headLabel ? code(options.headLabel) : 'this change';
  lines.push(`Synthesized Terraform configuration of ${base} compared with ${head} (no cloud access; secrets are masked).`);
  lines.push('');
  if (!result.changed) {
    lines.push(
      result.stacks.length
        ? `No changes in the synthesized configuration of ${result.stacks.length} stack(s).`
        : 'No stacks were synthesized on either side.',
    );
    return `${lines.join('\n')}\n`;
  }
  lines.push('| Stack | Status | Resources | Data sources | Outputs | Other |');
  lines.push('| --- | --- | --- | --- | --- | --- |');
  for (const s of result.stacks) {
    lines.push(
      `| ${code(s.stack)} | ${s.status} | ${counts(s.sections.resources)} | ${counts(
        s.sections.dataSources,
      )} | ${counts(s.sections.outputs)} | ${counts(otherSections(s.sections))} |`,
    );
  }
  lines.push('');
  lines.push('Counts are `+added −removed ~changed`.');
  for (const s of result.stacks) {
    if (s.status === 'unchanged') continue;
    lines.push('');
    lines.push(`#### Stack ${code(s.stack)} — ${s.status}`);
    for (const name of SECTION_NAMES) {
      const sec = s.sections[name];
      if (sec.added.length + sec.removed.length + sec.changed.length === 0) continue;
      lines.push('');
      lines.push(`**${SECTION_TITLES[name]}**`);
      lines.push('');
      for (const a of sec.added) lines.push(`- ➕ added ${code(a)}`);
      for (const r of sec.removed) lines.push(`- ➖ removed ${code(r)}`);
      for (const c of sec.changed) {
        lines.push(`- ✏️ changed ${code(c.address)}`);
        for (const a of c.attributes) lines.push(renderAttribute(a));
      }
    }
  }
  return `${lines.join('\n')}\n`;
}
