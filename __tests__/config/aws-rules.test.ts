// The rules AWS applies at apply time, checked at synth (modules/config/aws-rules.ts): what they
// accept and refuse, over generated inputs.
import fc from 'fast-check';
import {
  arnPartitionProblem,
  metadataUrlProblem,
  oidcIssuerProblem,
  partitionOf,
  ssmParameterProblem,
  WAF_COUNTRY_CODES,
  wafCountryProblem,
} from '../../modules/config/aws-rules';

const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?$/);
const host = fc.array(label, { minLength: 2, maxLength: 4 }).map((l) => `${l.join('.')}.com`);
const pathSegment = fc.stringMatching(/^[A-Za-z0-9._~-]{1,12}$/);

describe('OIDC issuers', () => {
  test('an https URL with a lower-case host and a path is accepted', () => {
    fc.assert(
      fc.property(host, fc.array(pathSegment, { maxLength: 3 }), (h, p) => {
        expect(oidcIssuerProblem(`https://${h}${p.map((s) => `/${s}`).join('')}`)).toBeUndefined();
      }),
    );
  });

  test('any upper-case letter in the scheme or host, any port, query, fragment or white space is refused', () => {
    const mutate = fc.constantFrom(
      (u: string) => u.replace('https', 'HTTPS'),
      (u: string) => u.replace('://', '://W'),
      (u: string) => u.replace('.com', '.com:8443'),
      (u: string) => `${u}?x=1`,
      (u: string) => `${u}#f`,
      (u: string) => ` ${u}`,
      (u: string) => `${u}/.well-known/openid-configuration`,
    );
    fc.assert(
      fc.property(host, mutate, (h, m) => {
        expect(oidcIssuerProblem(m(`https://${h}`))).toEqual(expect.any(String));
      }),
    );
  });
});

describe('SAML metadata URLs', () => {
  test('RFC 3986 characters with valid escapes are accepted; a raw space or a broken escape is refused', () => {
    fc.assert(
      fc.property(host, fc.array(pathSegment, { minLength: 1, maxLength: 3 }), (h, p) => {
        const url = `https://${h}/${p.join('/')}`;
        expect(metadataUrlProblem(url)).toBeUndefined();
        expect(metadataUrlProblem(`${url}%20x`)).toBeUndefined();
        expect(metadataUrlProblem(`${url} x`)).toEqual(expect.any(String));
        expect(metadataUrlProblem(`${url}%2`)).toEqual(expect.any(String));
      }),
    );
  });
});

describe('WAF country codes', () => {
  test('every code of the list is accepted, every other two letters refused', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Z]{2}$/), (code) => {
        expect(wafCountryProblem(code) === undefined).toBe(WAF_COUNTRY_CODES.has(code));
      }),
    );
    expect(WAF_COUNTRY_CODES.size).toBe(249);
  });
});

describe('SSM parameter names', () => {
  test('fully qualified names of allowed characters up to 15 levels are accepted; a 16th level is refused', () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[A-Za-z0-9_.-]{1,8}$/), { minLength: 1, maxLength: 15 }), (levels) => {
        fc.pre(!/^(aws|ssm)/i.test(levels[0]!));
        expect(ssmParameterProblem(`/${levels.join('/')}`, 'eu-west-1')).toBeUndefined();
        expect(ssmParameterProblem(`/${[...levels, ...Array(16 - levels.length).fill('x')].join('/')}`, 'eu-west-1')).toEqual(
          expect.stringContaining('at most 15'),
        );
      }),
    );
  });
});

describe('ARN partitions', () => {
  test.each([
    ['eu-west-1', 'aws'],
    ['cn-northwest-1', 'aws-cn'],
    ['us-gov-east-1', 'aws-us-gov'],
    ['us-iso-east-1', 'aws-iso'],
    ['us-isob-east-1', 'aws-iso-b'],
  ])('%s is in %s, and an ARN of any other partition is refused there', (region, partition) => {
    expect(partitionOf(region)).toBe(partition);
    expect(arnPartitionProblem(`arn:${partition}:iam::123456789012:role/x`, region)).toBeUndefined();
    for (const other of ['aws', 'aws-cn', 'aws-us-gov'].filter((p) => p !== partition))
      expect(arnPartitionProblem(`arn:${other}:iam::123456789012:role/x`, region)).toEqual(expect.stringContaining(`"${other}"`));
  });
});
