/**
 * Offline change summary: `npm run diff -- <base-ref> [--out FILE]`
 *
 * Synthesizes the current working tree and <base-ref> (in a temporary git
 * worktree) and prints, as Markdown, what changed in the synthesized Terraform
 * JSON per stack: resources, data sources, outputs and other blocks added /
 * removed / changed, with the attribute paths that changed. No cloud access.
 *
 * Exit codes: 0 success (with or without changes), 1 synth/diff failure,
 * 2 bad usage (missing or unknown ref, unknown flag).
 *
 * The comparison itself (diffSynthOutputs / renderMarkdown) is pure: it reads
 * two cdktf output directories and returns data / text.
 */
import { main } from './diff/cli';

export { type CliIo, main, USAGE } from './diff/cli';
export { diffSynthOutputs, orderStacks } from './diff/compare';
export { type RenderOptions, renderMarkdown } from './diff/render';
export {
  type AttributeChange,
  type BlockDiff,
  type ChangeKind,
  type DiffOptions,
  type DiffResult,
  MASK,
  SECRET_KEY_PATTERN,
  SECTION_NAMES,
  SECTION_TITLES,
  type SectionDiff,
  type SectionName,
  type StackDiff,
  type StackStatus,
} from './diff/types';

if (require.main === module) {
  main(process.argv.slice(2), {
    cwd: process.cwd(),
    env: process.env,
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`diff: ${(e as Error).stack ?? String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
