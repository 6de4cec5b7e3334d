'use strict';
// Checks tokens the way a synthesized ALB jwt-validation block says, with jose (ESM-only, so in a
// child process): signature by a key of the JWKS (RS256 only, as the ALB), iss, exp/nbf/iat, then
// each additional claim by its format.
// stdin: { jwks, issuer, claims: [{ name, format, values }], tokens: { name: jwt } }
// stdout: { name: 'accepted' | reason }

const fs = require('node:fs');

/**
 * @param {Record<string, unknown>} payload
 * @param {{ name: string, format: string, values: string[] }} claim
 */
function claimProblem(payload, claim) {
  const value = payload[claim.name];
  if (claim.format === 'single-string')
    return typeof value === 'string' && claim.values.includes(value) ? undefined : `${claim.name} is not one of ${claim.values.join(', ')}`;
  const have = claim.format === 'string-array' ? (Array.isArray(value) ? value : []) : typeof value === 'string' ? value.split(' ') : [];
  const missing = claim.values.filter((v) => !have.includes(v));
  return missing.length ? `${claim.name} lacks ${missing.join(' ')}` : undefined;
}

async function main() {
  const jose = await import('jose');
  const input = JSON.parse(fs.readFileSync(0, 'utf8'));
  const keys = jose.createLocalJWKSet(input.jwks);
  /** @type {Record<string, string>} */
  const out = {};
  for (const [name, token] of Object.entries(input.tokens)) {
    try {
      const { payload } = await jose.jwtVerify(/** @type {string} */ (token), keys, { issuer: input.issuer, algorithms: ['RS256'] });
      if (payload.exp === undefined) throw new Error('no exp');
      const problems = input.claims.map((c) => claimProblem(payload, c)).filter(Boolean);
      out[name] = problems.length ? problems.join('; ') : 'accepted';
    } catch (err) {
      out[name] = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    }
  }
  process.stdout.write(JSON.stringify(out));
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
