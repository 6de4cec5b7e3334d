/** wrk's side: the Lua script of a scenario, and what its report says. Pure. */

export interface WrkResult {
  readonly requests: number;
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Non-2xx/3xx answers and socket errors: a scenario states the status it expects. */
  readonly non2xx: number;
  readonly errors: number;
}

const luaString = (s: string): string => JSON.stringify(s);

/**
 * A wrk script that sends the requests in turn (one for a session, 1,000 for rotating users). wrk's
 * own request() is replaced, so nothing is formatted per request.
 */
export function luaScript(path: string, requests: readonly Readonly<Record<string, string>>[]): string {
  const tables = requests.map(
    (h) =>
      `{${Object.entries(h)
        .map(([k, v]) => `[${luaString(k)}]=${luaString(v)}`)
        .join(',')}}`,
  );
  return [
    `local headers = {${tables.join(',\n')}}`,
    'local formatted = {}',
    'local i = 0',
    `init = function(args) for n, h in ipairs(headers) do formatted[n] = wrk.format("GET", ${luaString(path)}, h) end end`,
    'request = function() i = i % #formatted + 1 return formatted[i] end',
    '',
  ].join('\n');
}

/** wrk's latency values: "512.00us", "1.20ms", "2.01s". */
export function toMs(text: string): number {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(text.trim());
  if (!m) throw new Error(`wrk latency ${JSON.stringify(text)} is not a duration`);
  const value = Number(m[1]);
  return m[2] === 'us' ? value / 1000 : m[2] === 'ms' ? value : m[2] === 's' ? value * 1000 : value * 60000;
}

/** Reads `wrk --latency` output. */
export function parseWrk(text: string): WrkResult {
  const need = (re: RegExp, what: string): RegExpExecArray => {
    const m = re.exec(text);
    if (!m) throw new Error(`wrk output has no ${what}:\n${text}`);
    return m;
  };
  const requests = Number(need(/^\s*(\d+) requests in/m, 'request count')[1]);
  const requestsPerSecond = Number(need(/^Requests\/sec:\s*([\d.]+)/m, 'Requests/sec')[1]);
  const p50Ms = toMs(need(/^\s*50%\s+(\S+)/m, '50% latency')[1]!);
  const p99Ms = toMs(need(/^\s*99%\s+(\S+)/m, '99% latency')[1]!);
  const non2xx = Number(/Non-2xx or 3xx responses:\s*(\d+)/.exec(text)?.[1] ?? 0);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text);
  const errors = socket ? socket.slice(1).reduce((a, b) => a + Number(b), 0) : 0;
  return { requests, requestsPerSecond, p50Ms, p99Ms, non2xx, errors };
}
