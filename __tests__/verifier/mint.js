'use strict';
// Mints the verifier tests' keys and tokens with jose, in a child process: jose 6 is ESM-only, and
// jest's CommonJS module system cannot load it before Node.js 24.9.
// stdin: MintRequest (JSON); stdout: MintResult (JSON). Used by helpers.ts, one run per test file.

/**
 * @typedef {object} KeySpec
 * @property {string} name
 * @property {'ES256' | 'RS256'} alg
 * @property {string} kid
 */

/**
 * @typedef {object} TokenSpec
 * @property {string} key                 name of the signing key
 * @property {Record<string, unknown>} header
 * @property {Record<string, unknown>} payload
 * @property {boolean} [padded]           base64url with "=" padding on every segment, as the ALB writes
 *   it, signed over the padded segments (jose only writes the unpadded RFC 7515 form)
 */

/** @typedef {{ keys: KeySpec[], tokens: Record<string, TokenSpec> }} MintRequest */
/** @typedef {{ keys: Record<string, { pem: string, jwk: Record<string, unknown> }>, tokens: Record<string, string> }} MintResult */

const fs = require('node:fs');

/** @param {Uint8Array} bytes */
function paddedBase64url(bytes) {
  return Buffer.from(bytes).toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
}

async function main() {
  const jose = await import('jose');
  /** @type {MintRequest} */
  const request = JSON.parse(fs.readFileSync(0, 'utf8'));
  /** @type {Map<string, CryptoKey>} */
  const privateKeys = new Map();
  /** @type {MintResult} */
  const result = { keys: {}, tokens: {} };
  for (const spec of request.keys) {
    const pair = await jose.generateKeyPair(spec.alg, { modulusLength: 2048 });
    privateKeys.set(spec.name, pair.privateKey);
    const jwk = { ...(await jose.exportJWK(pair.publicKey)), kid: spec.kid, alg: spec.alg, use: 'sig' };
    result.keys[spec.name] = { pem: await jose.exportSPKI(pair.publicKey), jwk };
  }
  for (const [name, spec] of Object.entries(request.tokens)) {
    const key = privateKeys.get(spec.key);
    if (key === undefined) throw new Error(`token ${name}: no key ${spec.key}`);
    if (!spec.padded) {
      result.tokens[name] = await new jose.SignJWT(spec.payload)
        .setProtectedHeader(/** @type {import('jose').JWTHeaderParameters} */ (spec.header))
        .sign(key);
      continue;
    }
    const text = (/** @type {unknown} */ value) => new TextEncoder().encode(JSON.stringify(value));
    const input = `${paddedBase64url(text(spec.header))}.${paddedBase64url(text(spec.payload))}`;
    const algorithm = key.algorithm.name === 'ECDSA' ? { name: 'ECDSA', hash: 'SHA-256' } : { name: 'RSASSA-PKCS1-v1_5' };
    const signature = await crypto.subtle.sign(algorithm, key, new TextEncoder().encode(input));
    result.tokens[name] = `${input}.${paddedBase64url(new Uint8Array(signature))}`;
  }
  process.stdout.write(JSON.stringify(result));
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
