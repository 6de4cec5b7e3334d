/** Command-line options of `npm run bench`. */

export interface BenchOptions {
  runs: number;
  json: boolean;
  sizes: number[];
  naive: boolean;
  cli: boolean;
  breakdown: boolean;
  timeoutMs: number;
  keep: boolean;
  /** merged (top level) into every generated config */
  merge?: Record<string, unknown>;
}

export function parseArgs(argv: readonly string[]): BenchOptions {
  const opts: BenchOptions = {
    runs: 3,
    json: false,
    sizes: [1, 10, 100, 500],
    naive: true,
    cli: true,
    breakdown: false,
    timeoutMs: 180_000,
    keep: false,
  };
  const positive = (flag: string, value: string | undefined): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} needs a whole number ≥ 1, got ${JSON.stringify(value)}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    switch (arg) {
      case '--runs':
        opts.runs = positive(arg, argv[++i]);
        break;
      case '--quick':
        opts.runs = 1;
        break;
      case '--json':
        opts.json = true;
        break;
      case '--sizes':
        opts.sizes = (argv[++i] ?? '').split(',').map((s) => positive(arg, s.trim()));
        break;
      case '--no-naive':
        opts.naive = false;
        break;
      case '--no-cli':
        opts.cli = false;
        break;
      case '--breakdown':
        opts.breakdown = true;
        break;
      case '--timeout':
        opts.timeoutMs = positive(arg, argv[++i]) * 1000;
        break;
      case '--keep':
        opts.keep = true;
        break;
      case '--merge': {
        let value: unknown;
        try {
          value = JSON.parse(argv[++i] ?? '');
        } catch {
          value = undefined;
        }
        if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UsageError('--merge needs a JSON object');
        opts.merge = value as Record<string, unknown>;
        break;
      }
      case '--help':
      case '-h':
        throw new UsageError('');
      default:
        throw new UsageError(`unknown option ${arg}`);
    }
  }
  return opts;
}

export class UsageError extends Error {}
