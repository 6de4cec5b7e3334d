// The sign-out function's hand-written SigV4 against the AWS SDK's signer (@smithy/signature-v4).
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import * as fc from 'fast-check';
import { credentialsFromEnv, signRequest } from '../../lambda/signout/sigv4.js';

async function sdkAuthorization(input: {
  url: URL;
  headers: Record<string, string>;
  body: string;
  region: string;
  service: string;
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  now: Date;
}): Promise<string> {
  const signer = new SignatureV4({
    service: input.service,
    region: input.region,
    credentials: input.credentials,
    sha256: Hash.bind(null, 'sha256'),
    applyChecksum: false,
  });
  const signed = await signer.sign(
    {
      method: 'POST',
      protocol: input.url.protocol,
      hostname: input.url.hostname,
      port: input.url.port ? Number(input.url.port) : undefined,
      path: input.url.pathname,
      query: {},
      headers: { ...input.headers, host: input.url.host },
      body: input.body,
    },
    { signingDate: input.now },
  );
  return String(signed.headers.authorization);
}

describe('SigV4 signing', () => {
  test('the signature is the one the AWS SDK computes, for any body, header spacing, region, date and credentials', async () => {
    // GIVEN random requests of the shape the function sends
    const header = fc.stringMatching(/^[ -~]{0,40}$/).filter((v) => v.trim() !== '');
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          region: fc.constantFrom('eu-west-1', 'us-east-1', 'ap-southeast-2', 'us-gov-west-1'),
          service: fc.constantFrom('cognito-idp', 'lambda'),
          body: fc.string({ unit: 'grapheme', maxLength: 200 }),
          target: header,
          extra: header,
          session: fc.option(fc.stringMatching(/^[A-Za-z0-9+/=]{20,200}$/), { nil: undefined }),
          secret: fc.stringMatching(/^[A-Za-z0-9+/]{40}$/),
          time: fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2035, 0, 1) }),
          port: fc.option(fc.integer({ min: 1024, max: 65535 }), { nil: undefined }),
        }),
        async (r) => {
          const url = new URL(r.port ? `http://127.0.0.1:${r.port}/` : `https://cognito-idp.${r.region}.amazonaws.com/`);
          const credentials = {
            accessKeyId: 'ASIAEXAMPLEKEY123456',
            secretAccessKey: r.secret,
            ...(r.session ? { sessionToken: r.session } : {}),
          };
          const input = {
            url,
            headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': r.target, 'x-extra': r.extra },
            body: r.body,
            region: r.region,
            service: r.service,
            credentials,
            now: new Date(Math.floor(r.time / 1000) * 1000),
          };
          // WHEN both sign it THEN the Authorization headers are identical
          expect(signRequest(input).authorization).toBe(await sdkAuthorization(input));
        },
      ),
      { numRuns: 150 },
    );
  });

  test('credentials come from the variables the Lambda runtime sets, and are absent without a key', () => {
    // GIVEN the runtime's environment, with and without a session token, and without a key
    const env = { AWS_ACCESS_KEY_ID: 'ASIAX', AWS_SECRET_ACCESS_KEY: 'secret', AWS_SESSION_TOKEN: 'token' };
    // WHEN read THEN
    expect(credentialsFromEnv(env)).toEqual({ accessKeyId: 'ASIAX', secretAccessKey: 'secret', sessionToken: 'token' });
    expect(credentialsFromEnv({ ...env, AWS_SESSION_TOKEN: undefined })).toEqual({ accessKeyId: 'ASIAX', secretAccessKey: 'secret' });
    expect(credentialsFromEnv({ AWS_SECRET_ACCESS_KEY: 'secret' })).toBeUndefined();
  });
});
