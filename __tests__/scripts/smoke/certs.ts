// A test CA and leaf certificates for the smoke check's local servers, minted with the openssl CLI
// (P-256 keys: fast). `days` may be negative: `openssl x509 -days -1` writes a certificate whose
// notAfter lies before its notBefore, i.e. one that has expired.
import { execFileSync } from 'child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

export interface Leaf {
  readonly key: string;
  readonly cert: string;
}

export interface TestPki {
  /** The CA certificate (PEM) the smoke check is told to trust. */
  readonly ca: string;
  /** A certificate for exactly these DNS names, valid for `days` from now, signed by the CA. */
  issue(names: readonly string[], days: number): Leaf;
  dispose(): void;
}

export function createPki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'smoke-pki-'));
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  openssl('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'ca.key');
  openssl('req', '-x509', '-new', '-key', 'ca.key', '-subj', '/CN=central-auth smoke test CA', '-days', '3650', '-out', 'ca.pem');
  // One leaf key and request for every leaf: the names come from each certificate's extension file.
  openssl('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'leaf.key');
  openssl('req', '-new', '-key', 'leaf.key', '-subj', '/CN=central-auth smoke test leaf', '-out', 'leaf.csr');
  const key = readFileSync(join(dir, 'leaf.key'), 'utf8');
  let serial = 0;
  return {
    ca: readFileSync(join(dir, 'ca.pem'), 'utf8'),
    issue(names, days) {
      const n = ++serial;
      writeFileSync(join(dir, `${n}.ext`), `subjectAltName=${names.map((h) => `DNS:${h}`).join(',')}\n`);
      openssl(
        'x509',
        '-req',
        '-in',
        'leaf.csr',
        '-CA',
        'ca.pem',
        '-CAkey',
        'ca.key',
        '-set_serial',
        String(n),
        '-days',
        String(days),
        '-extfile',
        `${n}.ext`,
        '-out',
        `${n}.pem`,
      );
      return { key, cert: readFileSync(join(dir, `${n}.pem`), 'utf8') };
    },
    dispose() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
