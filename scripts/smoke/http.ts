/**
 * HTTPS (and the HTTP listener's redirect) without a browser: one request, never a redirect
 * followed, only to the environment's hosts and its Cognito domains, bounded in time and retried
 * only where a retry can help (connection errors, 5xx). SNI and Host are always the real host name;
 * `resolve` only says where to connect, so tests can point every host at local servers.
 */
import * as http from 'http';
import * as https from 'https';
import * as tls from 'tls';
import type { Resolver } from './types';

export interface ProberOptions {
  /** Every host a request may go to; anything else is refused before a socket opens. */
  readonly allowedHosts: ReadonlySet<string>;
  /** @default - DNS, ports 443 and 80 */
  readonly resolve?: Resolver;
  /** @default - the system's CAs */
  readonly ca?: string | Buffer;
  /** Per attempt. */
  readonly timeoutMs: number;
  /** Attempts after the first, on connection errors and 5xx only. */
  readonly retries: number;
  /** Wait before retry n: backoffMs × 2^(n-1). */
  readonly backoffMs: number;
}

export interface Probe {
  readonly url: string;
  readonly method?: 'GET' | 'POST';
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

export interface Answer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly setCookie: readonly string[];
  /** The first 256 KiB. */
  readonly body: string;
}

export interface CertificateInfo {
  /** `DNS:a, DNS:b` as Node reports the subjectAltName extension. */
  readonly altNames: string;
  readonly validFrom: Date;
  readonly validTo: Date;
  /** Why the chain is not trusted (CERT_HAS_EXPIRED, UNABLE_TO_VERIFY_LEAF_SIGNATURE, …), if it is not. */
  readonly chainError?: string;
  /** Why the names do not cover the host, if they do not. */
  readonly nameError?: string;
}

/** A request to a host that is neither the environment's nor its Cognito domain: never sent. */
export class RefusedHost extends Error {}

/** No HTTP answer at all: `code` as Node names it (ECONNREFUSED, CERT_HAS_EXPIRED, ETIMEDOUT, …). */
export class NoAnswer extends Error {
  constructor(
    readonly code: string,
    readonly attempts: number,
  ) {
    super(`${code}${attempts > 1 ? ` after ${attempts} attempts` : ''}`);
  }
}

const RETRYABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED']);
const BODY_LIMIT = 256 * 1024;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface Prober {
  fetch(probe: Probe): Promise<Answer>;
  certificate(host: string): Promise<CertificateInfo>;
  /** Closes the kept-alive connections. */
  close(): void;
}

export function createProber(options: ProberOptions): Prober {
  const agents = {
    'https:': new https.Agent({ keepAlive: true, maxSockets: 2, ...(options.ca ? { ca: options.ca } : {}) }),
    'http:': new http.Agent({ keepAlive: true, maxSockets: 2 }),
  };
  const target = (host: string, protocol: 'https:' | 'http:') =>
    options.resolve?.(host, protocol) ?? { address: host, port: protocol === 'https:' ? 443 : 80 };
  const allowed = (host: string) => {
    if (!options.allowedHosts.has(host))
      throw new RefusedHost(`refused to contact ${host}: neither a host of this environment nor its Cognito domain`);
  };

  async function withRetries<T>(once: () => Promise<T>, retryable: (value: T) => boolean): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        const value = await once();
        if (attempt > options.retries || !retryable(value)) return value;
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
        if (attempt > options.retries || !RETRYABLE.has(code)) throw new NoAnswer(code, attempt);
      }
      await sleep(options.backoffMs * 2 ** (attempt - 1));
    }
  }

  function once(probe: Probe): Promise<Answer> {
    const url = new URL(probe.url);
    const protocol = url.protocol as 'https:' | 'http:';
    const { address, port } = target(url.hostname, protocol);
    return new Promise((resolve, reject) => {
      const req = (protocol === 'https:' ? https : http).request({
        host: address,
        port,
        path: `${url.pathname}${url.search}`,
        method: probe.method ?? 'GET',
        agent: agents[protocol],
        ...(protocol === 'https:' ? { servername: url.hostname } : {}),
        headers: { host: url.hostname, 'user-agent': 'central-auth-smoke', ...probe.headers },
      });
      const timer = setTimeout(() => req.destroy(Object.assign(new Error('ETIMEDOUT'), { code: 'ETIMEDOUT' })), options.timeoutMs);
      req.on('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          if (size < BODY_LIMIT) chunks.push(chunk);
          size += chunk.length;
        });
        res.on('error', (err) => {
          clearTimeout(timer);
          reject(err);
        });
        res.on('end', () => {
          clearTimeout(timer);
          const setCookie = res.headers['set-cookie'] ?? [];
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            setCookie,
            body: Buffer.concat(chunks).toString('utf8').slice(0, BODY_LIMIT),
          });
        });
      });
      req.end(probe.body);
    });
  }

  function handshake(host: string): Promise<CertificateInfo> {
    const { address, port } = target(host, 'https:');
    return new Promise((resolve, reject) => {
      // Verification off for this one connection only: an expired or misnamed certificate is
      // exactly what it reports, so the handshake must complete to read it. Nothing is sent on it.
      const socket = tls.connect({
        host: address,
        port,
        servername: host,
        rejectUnauthorized: false,
        ...(options.ca ? { ca: options.ca } : {}),
      });
      const timer = setTimeout(() => socket.destroy(Object.assign(new Error('ETIMEDOUT'), { code: 'ETIMEDOUT' })), options.timeoutMs);
      socket.on('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      socket.on('secureConnect', () => {
        clearTimeout(timer);
        const cert = socket.getPeerCertificate();
        const nameError = tls.checkServerIdentity(host, cert)?.message;
        const chainError = socket.authorized ? undefined : String(socket.authorizationError ?? 'untrusted');
        socket.end();
        resolve({
          altNames: cert.subjectaltname ?? '',
          validFrom: new Date(cert.valid_from),
          validTo: new Date(cert.valid_to),
          ...(chainError ? { chainError } : {}),
          ...(nameError ? { nameError } : {}),
        });
      });
    });
  }

  return {
    async fetch(probe) {
      allowed(new URL(probe.url).hostname);
      return withRetries(
        () => once(probe),
        (answer) => answer.status >= 500,
      );
    },
    async certificate(host) {
      allowed(host);
      return withRetries(
        () => handshake(host),
        () => false,
      );
    },
    close() {
      agents['https:'].destroy();
      agents['http:'].destroy();
    },
  };
}
