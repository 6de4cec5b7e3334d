// npm run bench:verifier's own logic: reading wrk, pairing floor and verifier runs, the report.
// Not the speed: docs/benchmark.md records that, measured on this kind of machine.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseOptions } from '../../scripts/bench-verifier/run';
import { markdownTable, median, type Run, summarize } from '../../scripts/bench-verifier/report';
import { luaScript, parseWrk, toMs } from '../../scripts/bench-verifier/wrk';

const run = (rps: number, p99Ms: number, cpu = 50): Run => ({
  requests: rps * 5,
  requestsPerSecond: rps,
  p50Ms: p99Ms / 4,
  p99Ms,
  non2xx: 0,
  errors: 0,
  cpuUsPerRequest: cpu,
});

describe('reading wrk --latency', () => {
  test('requests, rate, median and 99th percentile, and what failed', () => {
    const text = readFileSync(path.join(__dirname, '..', 'fixtures', 'bench', 'wrk-latency.txt'), 'utf8');
    expect(parseWrk(text)).toEqual({ requests: 70234, requestsPerSecond: 14046.8, p50Ms: 3.16, p99Ms: 11.65, non2xx: 12, errors: 0 });
    expect(() => parseWrk('Running 5s test')).toThrow('wrk output has no request count');
  });

  test('durations in every unit wrk prints', () => {
    expect([toMs('512.00us'), toMs('1.20ms'), toMs('2.50s'), toMs('1.00m')]).toEqual([0.512, 1.2, 2500, 60000]);
    expect(() => toMs('fast')).toThrow('wrk latency "fast" is not a duration');
  });

  test('the Lua script sends each request in turn, formatted once', () => {
    const lua = luaScript('/verify', [{ A: '1' }, { A: '"2"' }]);
    expect(lua).toContain('local headers = {{["A"]="1"},\n{["A"]="\\"2\\""}}');
    expect(lua).toContain('request = function() i = i % #formatted + 1 return formatted[i] end');
  });
});

describe('pairing and the report', () => {
  test('ratios are the median of per-round pairs, so a slow round slows both sides of its pair', () => {
    // GIVEN three rounds, the second one slow for both sides
    const s = summarize({
      name: 'session',
      floor: [run(20000, 6), run(10000, 12), run(22000, 6)],
      verifier: [run(12000, 10), run(6000, 20), run(13200, 11)],
    });
    // THEN each pair gives 0.6×, whatever the round's speed
    expect(s.rpsRatio).toBeCloseTo(0.6, 10);
    expect(s.floor.rps).toBe(20000);
    expect(s.verifier.p99Ms).toBe(11);
    expect(s.p99Ratio).toBeCloseTo(10 / 6, 10);
  });

  test('unpaired runs are refused', () => {
    expect(() => summarize({ name: 'x', floor: [run(1, 1)], verifier: [] })).toThrow(
      'x: 1 floor runs and 0 verifier runs cannot be paired',
    );
    expect(() => median([])).toThrow('median of nothing');
  });

  test('the Markdown table', () => {
    const table = markdownTable([summarize({ name: 'session', floor: [run(20000, 6, 42)], verifier: [run(12000, 10, 70)] })]);
    expect(table.split('\n')[2]).toBe('| session | 20,000 | 12,000 | 0.60× | 1.50 / 6.00 | 2.50 / 10.00 | 1.67× | 42 / 70 |');
  });

  test('options: defaults, and a clear refusal', () => {
    expect(parseOptions([])).toMatchObject({ seconds: 5, rounds: 3 });
    expect(parseOptions(['--rounds', '5', '--seconds', '10'])).toMatchObject({ seconds: 10, rounds: 5 });
    expect(parseOptions(['--rounds', 'many'])).toContain('bench:verifier: --rounds many is not an option');
  });
});
