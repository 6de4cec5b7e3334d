/** `npm run smoke` arguments: what the CLI accepts, and its usage text. */

export const USAGE = `usage: npm run smoke -- [--only HOST]... [--timeout S] [--retries N] [--concurrency N] [--with-machine-token] [--json]

Checks the live front door of the environment CENTRAL_AUTH_CONFIG selects (environments/<env>.yaml)
against its synthesized stacks: sign-in redirects, public and deny paths, bearer-token hosts, the
sign-out path, security headers, the HTTP redirect, certificates, DNS, Cognito discovery and JWKS,
and the web ACL associations. Read-only: with --with-machine-token it also gets one short-lived
machine token (client_credentials) per bearer scope set.

  --only HOST            check only this host (repeatable); the pool-wide checks still run
  --timeout S            seconds per request attempt (default 5)
  --retries N            retries on connection errors and 5xx, with backoff (default 2)
  --concurrency N        hosts checked at a time (default 8)
  --with-machine-token   read a machine client's secret and call bearer-token hosts with a real token
  --json                 one JSON document on stdout instead of lines

Exit codes: 0 no FAIL (WARNs allowed), 1 a FAIL or the check could not run, 2 bad usage.`;

export interface SmokeOptions {
  readonly help: boolean;
  readonly only: readonly string[];
  readonly timeoutMs: number;
  readonly retries: number;
  readonly concurrency: number;
  readonly withMachineToken: boolean;
  readonly json: boolean;
}

export class UsageError extends Error {}

/** A number option's value: within [min, max], else a UsageError naming the option. */
function numberOf(option: string, value: string | undefined, min: number, max: number): number {
  const n = value === undefined || value.trim() === '' ? Number.NaN : Number(value);
  if (!Number.isFinite(n) || n < min || n > max)
    throw new UsageError(`${option} must be a number from ${min} to ${max}, got ${JSON.stringify(value ?? '')}`);
  return n;
}

export function parseArgs(argv: readonly string[]): SmokeOptions {
  const only: string[] = [];
  let help = false;
  let timeoutMs = 5000;
  let retries = 2;
  let concurrency = 8;
  let withMachineToken = false;
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [name, inline] =
      arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new UsageError(`${name} needs a value`);
      return v;
    };
    switch (name) {
      case '--help':
      case '-h':
        help = true;
        break;
      case '--only':
        only.push(value().toLowerCase());
        break;
      case '--timeout':
        timeoutMs = Math.round(numberOf('--timeout', value(), 0.1, 120) * 1000);
        break;
      case '--retries':
        retries = Math.round(numberOf('--retries', value(), 0, 5));
        break;
      case '--concurrency':
        concurrency = Math.round(numberOf('--concurrency', value(), 1, 64));
        break;
      case '--with-machine-token':
        withMachineToken = true;
        break;
      case '--json':
        json = true;
        break;
      default:
        throw new UsageError(arg.startsWith('-') ? `unknown option ${arg}` : `unexpected argument ${arg}`);
    }
  }
  return { help, only, timeoutMs, retries, concurrency, withMachineToken, json };
}
