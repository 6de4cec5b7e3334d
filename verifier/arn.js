'use strict';
// ALB ARNs: the `signer` of x-amzn-oidc-data, and the patterns this environment accepts for it.

/**
 * An ALB ARN, or a pattern whose id is `*` (the ALB's id suffix is unknown at synth time).
 * @typedef {object} AlbArn
 * @property {string} partition  aws, aws-cn or aws-us-gov
 * @property {string} region
 * @property {string} account    12 digits
 * @property {string} name       the load balancer's name
 * @property {string} id         16 lower-case hex digits, or `*` in a pattern
 */

// arn:<partition>:elasticloadbalancing:<region>:<account>:loadbalancer/app/<name>/<id>
// ALB names: 1-32 letters, digits and hyphens, not starting or ending with a hyphen.
const ALB_ARN_RE =
  /^arn:(aws|aws-cn|aws-us-gov):elasticloadbalancing:([a-z]{2}(?:-gov|-iso[a-z]*)?-[a-z]+-\d):(\d{12}):loadbalancer\/app\/([A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?)\/([0-9a-f]{16}|\*)$/;

/**
 * @param {unknown} text
 * @param {boolean} allowWildcard  true for configured patterns, false for a token's signer
 * @returns {AlbArn | undefined}
 */
function parseAlbArn(text, allowWildcard) {
  if (typeof text !== 'string') return undefined;
  const m = ALB_ARN_RE.exec(text);
  if (m === null || (m[5] === '*' && !allowWildcard)) return undefined;
  return { partition: m[1], region: m[2], account: m[3], name: m[4], id: m[5] };
}

/**
 * True when the signer is one of the patterns: same partition, region, account and ALB name,
 * and the same id unless the pattern's id is `*`.
 * @param {readonly AlbArn[]} patterns
 * @param {unknown} signer
 */
function signerAllowed(patterns, signer) {
  const arn = parseAlbArn(signer, false);
  if (arn === undefined) return false;
  return patterns.some(
    (p) =>
      p.partition === arn.partition &&
      p.region === arn.region &&
      p.account === arn.account &&
      p.name === arn.name &&
      (p.id === '*' || p.id === arn.id),
  );
}

module.exports = { parseAlbArn, signerAllowed };
