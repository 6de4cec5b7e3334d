/**
 * scripts/plan-stack.sh's exit code for "waits for upstream apply", decided by the same rule as
 * the PR comment (upstream.ts):
 *
 *   node -r ./scripts/ts-register.js scripts/plan-comment/waits.ts <plans-dir> <stack>
 *
 * reads <plans-dir>/<stack>.json / .error.txt; prints the upstream stacks and exits 3 when the
 * stack waits for an upstream apply, exits 0 when it does not, 2 on a usage error.
 */
import { loadStackInputs } from './cli';
import { waitsFor } from './upstream';

/** plan-stack.sh passes it on: the workflow reports such a stack, it does not fail on it. */
export const WAITS_EXIT_CODE = 3;

export function waitsMain(argv: string[], io: { stdout: (s: string) => void; stderr: (s: string) => void }): number {
  if (argv.length !== 2) {
    io.stderr('usage: waits.ts <plans-dir> <stack>\n');
    return 2;
  }
  const [input] = loadStackInputs(argv[0], [argv[1]]);
  const waiting = waitsFor(input);
  if (!waiting) return 0;
  io.stdout(`${waiting.upstreams.join(', ')}\n`);
  return WAITS_EXIT_CODE;
}

if (require.main === module) {
  process.exitCode = waitsMain(process.argv.slice(2), {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
  });
}
