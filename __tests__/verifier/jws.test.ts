// Compact JWS parsing (with the ALB's base64url padding) and the algorithm/key pairing of signature checks.
import * as crypto from 'node:crypto';
import { decodeSegment, MAX_TOKEN_LENGTH, parseJws, signatureValid } from '../../verifier/jws.js';

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
/** base64url with the "=" padding, as the ALB writes it. */
const padded = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64').replace(/\+/g, '-').replace(/\//g, '_');

describe('decodeSegment', () => {
  test.each([
    ['eyJhIjoxfQ', '{"a":1}'],
    ['eyJhIjoxfQ==', '{"a":1}'],
    ['eyJhYiI6MX0', '{"ab":1}'],
    ['eyJhYiI6MX0=', '{"ab":1}'],
    ['eyJhYmMiOjF9', '{"abc":1}'],
  ])('%s decodes (padded or not)', (segment, text) => {
    expect(decodeSegment(segment)?.toString()).toBe(text);
  });

  test.each([
    ['empty', ''],
    ['only padding', '=='],
    ['standard base64 characters', 'ab+/'],
    ['three = signs', 'eyJhIjoxfQ==='],
    ['padding that does not complete a quantum', 'eyJhIjoxfQ='],
    ['a length no encoding has', 'eyJhI'],
    ['non-canonical trailing bits', 'eyJhIjoxfR'],
    ['padding inside', 'ey=J'],
  ])('refuses %s', (_name, segment) => {
    expect(decodeSegment(segment)).toBeUndefined();
  });
});

describe('parseJws', () => {
  const sig = Buffer.alloc(64, 7).toString('base64url');

  test('keeps the signing input exactly as received', () => {
    const token = `${padded({ alg: 'ES256', kid: 'k' })}.${padded({ sub: 'a' })}.${sig}`;
    expect(token).toMatch(/=\..*=\./);
    const parsed = parseJws(token);
    expect(parsed).toMatchObject({ ok: true, value: { header: { alg: 'ES256', kid: 'k' }, payload: { sub: 'a' } } });
    if (parsed.ok) {
      expect(parsed.value.signingInput).toBe(token.slice(0, token.lastIndexOf('.')));
      expect(parsed.value.signature).toHaveLength(64);
    }
  });

  test.each([
    ['too long', 'a'.repeat(MAX_TOKEN_LENGTH + 1), `longer than ${MAX_TOKEN_LENGTH} characters`],
    ['two segments', 'a.b', 'not three dot-separated segments'],
    ['four segments', 'a.b.c.d', 'not three dot-separated segments'],
    ['an empty signature (alg none style)', `${b64({ alg: 'none' })}.${b64({})}.`, 'a segment is not base64url'],
    ['a header that is not JSON', `${Buffer.from('{').toString('base64url')}.${b64({})}.${sig}`, 'header or payload is not a JSON object'],
    ['a payload that is a list', `${b64({})}.${b64([1])}.${sig}`, 'header or payload is not a JSON object'],
    ['a payload that is null', `${b64({})}.${b64(null)}.${sig}`, 'header or payload is not a JSON object'],
  ])('refuses %s', (_name, token, reason) => {
    expect(parseJws(token)).toEqual({ ok: false, reason });
  });
});

describe('signatureValid', () => {
  const data = `${b64({ alg: 'x' })}.${b64({ sub: 'a' })}`;
  const es = crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const p384 = crypto.generateKeyPairSync('ec', { namedCurve: 'secp384r1' });
  const rs = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const rsSmall = crypto.generateKeyPairSync('rsa', { modulusLength: 1024 });
  const jws = (signature: Buffer) => ({ header: {}, payload: {}, signingInput: data, signature });
  const esSig = crypto.sign('sha256', Buffer.from(data), { key: es.privateKey, dsaEncoding: 'ieee-p1363' });
  const rsSig = crypto.sign('sha256', Buffer.from(data), rs.privateKey);

  test('ES256 with a P-256 key and an r||s signature', () => {
    expect(signatureValid('ES256', es.publicKey, jws(esSig))).toBe(true);
    const der = crypto.sign('sha256', Buffer.from(data), es.privateKey);
    expect(signatureValid('ES256', es.publicKey, jws(der))).toBe(false);
  });

  test('RS256 with an RSA key of 2048 bits or more', () => {
    expect(signatureValid('RS256', rs.publicKey, jws(rsSig))).toBe(true);
    const small = crypto.sign('sha256', Buffer.from(data), rsSmall.privateKey);
    expect(signatureValid('RS256', rsSmall.publicKey, jws(small))).toBe(false);
  });

  test('a key of the wrong type never verifies, whatever the token claims', () => {
    expect(signatureValid('ES256', rs.publicKey, jws(esSig))).toBe(false);
    expect(signatureValid('ES256', p384.publicKey, jws(esSig))).toBe(false);
    expect(signatureValid('RS256', es.publicKey, jws(rsSig))).toBe(false);
  });
});
