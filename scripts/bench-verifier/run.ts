/**
 * `npm run bench:verifier [-- --seconds N --rounds N --verifier DIR]`: the identity verifier against a
 * bare node:http server answering the same request, each pinned to core 0 in turn (paired, round
 * after round), loaded by wrk pinned to core 1 with 50 connections. Prints the Markdown table of
 * docs/benchmark.md. Needs Linux, 2 cores, taskset and wrk (`apt-get install wrk`).
 * Tokens are minted with jose and the keys served on loopback by the verifier tests' helpers.
 */
import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  ALICE,
  API_SCOPES,
  access,
  albData,
  bearer,
  GRAFANA,
  type Minted,
  mintSpecs,
  startKeyServer,
  testConfig,
  type TokenSpec,
} from '../../__tests__/verifier/helpers';
import { markdownTable, type Run, type ScenarioRuns, summarize } from './report';
import { luaScript, parseWrk } from './wrk';

const ROOT = path.join(__dirname, '..', '..');
const API = 'deploy.dev.example.com';
const USERS = 1000;

interface Options {
  readonly seconds: number;
  readonly rounds: number;
  readonly verifierDir: string;
}

export const USAGE = 'usage: npm run bench:verifier -- [--seconds N (5)] [--rounds N (3)] [--verifier DIR (verifier/)]';

export function parseOptions(args: readonly string[]): Options | string {
  const o = { seconds: 5, rounds: 3, verifierDir: path.join(ROOT, 'verifier') };
  for (let i = 0; i < args.length; i++) {
    const [flag, value] = [args[i], args[i + 1]];
    if (flag === '--seconds' && /^\d+$/.test(value ?? '') && Number(value) > 0) o.seconds = Number(value);
    else if (flag === '--rounds' && /^\d+$/.test(value ?? '') && Number(value) > 0) o.rounds = Number(value);
    else if (flag === '--verifier' && value) o.verifierDir = path.resolve(value);
    else return `bench:verifier: ${value === undefined ? flag : `${flag} ${value}`} is not an option\n${USAGE}`;
    i++;
  }
  return o;
}

/** What the router's auth request carries for a request to https://<host><uri> (ingress-nginx's shape). */
function routerHeaders(host: string, uri: string): Record<string, string> {
  return {
    Host: 'verifier.central-auth.svc.cluster.local',
    'X-Original-URL': `https://${host}${uri}`,
    'X-Original-URI': uri,
    'X-Original-Method': 'GET',
    'X-Routed-Host': host,
    'X-Request-ID': '4e1c2a3b5d6f7a8b9c0d1e2f3a4b5c6d',
    // The router passes every header of the request, the ALB's session cookie shards among them.
    Cookie: [0, 1].map((i) => `AWSELBAuthSessionCookie-${i}=${'x'.repeat(3900)}`).join('; '),
  };
}

interface Scenario {
  readonly name: string;
  readonly requests: readonly Record<string, string>[];
  readonly status: number;
}

function scenarios(now: number): { minted: Minted; list: Scenario[] } {
  const far = { exp: now + 3600 };
  const specs: Record<string, TokenSpec> = { bearer: bearer(now) };
  for (let u = 0; u < USERS; u++) {
    const user = { ...ALICE, sub: `00000000-0000-4000-8000-${String(u).padStart(12, '0')}`, username: `user${u}` };
    specs[`data${u}`] = albData(now, user, far, far);
    specs[`access${u}`] = access(now, user, ['grafana-admins']);
  }
  const minted = mintSpecs(specs);
  const signedIn = (u: number, extra: Record<string, string> = {}) => ({
    ...routerHeaders(GRAFANA, '/d/home?orgId=1'),
    'x-amzn-oidc-data': minted.tokens[`data${u}`]!,
    'x-amzn-oidc-accesstoken': minted.tokens[`access${u}`]!,
    ...extra,
  });
  return {
    minted,
    list: [
      { name: "a session's requests", requests: [signedIn(0)], status: 200 },
      { name: '1,000 rotating users', requests: Array.from({ length: USERS }, (_, u) => signedIn(u)), status: 200 },
      { name: 'public path', requests: [routerHeaders(GRAFANA, '/api/health')], status: 200 },
      { name: 'no session (401)', requests: [routerHeaders(GRAFANA, '/d/home')], status: 401 },
      {
        name: 'bearer token',
        requests: [{ ...routerHeaders(API, '/v1/deploy'), Authorization: `Bearer ${minted.tokens.bearer}` }],
        status: 200,
      },
      { name: 'new connection per request', requests: [signedIn(0, { Connection: 'close' })], status: 200 },
    ],
  };
}

/** Starts one side pinned to core 0; resolves with its port once it listens. */
function startServer(args: string[]): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn('taskset', ['-c', '0', process.execPath, path.join(__dirname, 'serve.js'), ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let first = '';
    const onData = (d: Buffer) => {
      first += d;
      if (!first.includes('\n')) return;
      child.stdout!.off('data', onData);
      // Keep draining the log lines (the verifier writes one per decision), as a container runtime would.
      child.stdout!.resume();
      resolve({ child, port: JSON.parse(first.split('\n')[0]!).port });
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
}

const TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

/** The CPU time a process has used, in microseconds (/proc/<pid>/stat utime + stime). */
function cpuMicros(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) / TICKS) * 1e6;
}

/** wrk, asynchronously: the key server the verifier downloads its keys from runs in this process. */
function wrk(port: number, script: string, seconds: number): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(
      'taskset',
      ['-c', '1', 'wrk', '-t1', '-c50', `-d${seconds}s`, '--latency', '-s', script, `http://127.0.0.1:${port}/verify`],
      { encoding: 'utf8' },
      (err, stdout) => (err ? reject(err) : resolve(stdout)),
    ),
  );
}

/** One side's timed run after a one-second warm-up, with its CPU cost per request. */
async function measure(args: string[], script: string, seconds: number): Promise<Run> {
  const { child, port } = await startServer(args);
  try {
    await wrk(port, script, 1);
    const before = cpuMicros(child.pid!);
    const result = parseWrk(await wrk(port, script, seconds));
    const cpu = cpuMicros(child.pid!) - before;
    if (result.errors > result.requests / 100) throw new Error(`${result.errors} socket errors in ${result.requests} requests`);
    return { ...result, cpuUsPerRequest: cpu / result.requests };
  } finally {
    child.kill('SIGKILL');
  }
}

/** The verifier's answer to a scenario's first request, which the floor server repeats. */
function answerOf(port: number, headers: Record<string, string>): Promise<{ status: number; headers: [string, string][]; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: '/verify', headers, agent: false }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => {
        const skip = new Set(['date', 'connection', 'keep-alive', 'content-length', 'cache-control']);
        const out = Object.entries(res.headers).filter(([k]) => !skip.has(k)) as [string, string][];
        resolve({ status: res.statusCode ?? 0, headers: out, body });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

async function main(args: readonly string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const options = parseOptions(args);
  if (typeof options === 'string') {
    process.stderr.write(`${options}\n`);
    return 2;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-verifier-'));
  const now = Math.floor(Date.now() / 1000);
  const { minted, list } = scenarios(now);
  const keys = await startKeyServer(minted);
  try {
    const config = testConfig(keys, {}, { [API]: { app: 'deploy', bearerScopes: API_SCOPES } });
    const configFile = path.join(dir, 'config.json');
    fs.writeFileSync(configFile, JSON.stringify(config));
    const verifierArgs = ['verifier', options.verifierDir, configFile];
    const results: ScenarioRuns[] = [];
    for (const [i, scenario] of list.entries()) {
      const script = path.join(dir, `scenario-${i}.lua`);
      fs.writeFileSync(script, luaScript('/verify', scenario.requests));
      const probe = await startServer(verifierArgs);
      const answer = await answerOf(probe.port, scenario.requests[0]!);
      probe.child.kill('SIGKILL');
      if (answer.status !== scenario.status)
        throw new Error(`${scenario.name}: the verifier answered ${answer.status}, not ${scenario.status}`);
      const answerFile = path.join(dir, `answer-${i}.json`);
      fs.writeFileSync(answerFile, JSON.stringify(answer));
      const floor: Run[] = [];
      const verifier: Run[] = [];
      for (let round = 0; round < options.rounds; round++) {
        floor.push(await measure(['floor', answerFile], script, options.seconds));
        verifier.push(await measure(verifierArgs, script, options.seconds));
        process.stderr.write(
          `${scenario.name}, round ${round + 1}: floor ${Math.round(floor[round]!.requestsPerSecond)} req/s, verifier ${Math.round(verifier[round]!.requestsPerSecond)} req/s\n`,
        );
      }
      results.push({ name: scenario.name, floor, verifier });
    }
    process.stdout.write(`${markdownTable(results.map(summarize))}\n`);
    return 0;
  } finally {
    await keys.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) void main(process.argv.slice(2)).then((code) => (process.exitCode = code));
