import { existsSync, readFileSync, statSync } from 'fs';
import { isAbsolute, join, normalize } from 'path';
import { type Checker, checkHostname } from './checker';
import { isInZone } from './patterns';

/** What a branding settings file may weigh (the settings document of a managed login style). */
const MAX_BRANDING_BYTES = 262144;

/** `cognito.customDomain`, `managedLogin`, `passkeys` and `brandingFile`. */
export function checkSignIn(
  c: Checker,
  cognito: Record<string, unknown>,
  context: { readonly zone: string | undefined; readonly appHosts: ReadonlySet<string>; readonly root: string },
): void {
  const domain = cognito.customDomain;
  if (domain !== undefined) {
    if (typeof domain !== 'string') c.fail('cognito.customDomain', domain, 'must be a host name such as "login.example.com"');
    else if (checkHostname(c, 'cognito.customDomain', domain)) {
      if (context.zone && (!isInZone(domain, context.zone) || domain === context.zone))
        c.fail('cognito.customDomain', domain, `must be a host below the zone "${context.zone}" (its alias record goes there)`);
      else if (context.appHosts.has(domain)) c.fail('cognito.customDomain', domain, "is an app's host; the sign-in domain needs its own");
      else if (domain.includes('*')) c.fail('cognito.customDomain', domain, 'must not be a wildcard');
      // aws_cognito_user_pool_domain validates `domain` as 1-63 characters (hashicorp/aws 6.25.0,
      // internal/service/cognitoidp/user_pool_domain.go): a longer custom domain fails at plan.
      else if (domain.length > 63)
        c.fail('cognito.customDomain', domain, `is ${domain.length} characters; a Cognito user pool domain takes at most 63`);
    }
  }
  c.boolean('cognito.managedLogin', cognito.managedLogin);
  c.boolean('cognito.passkeys', cognito.passkeys);
  if (cognito.passkeys === true) {
    const needs = (rule: string) => c.fail('cognito.passkeys', true, rule);
    if (domain === undefined) needs('needs customDomain: a passkey belongs to its relying party, which must be the custom domain');
    if (cognito.managedLogin === false) needs('needs managedLogin: the classic hosted UI offers no passkeys');
    if (cognito.localUsers === false)
      needs("needs localUsers: passkeys are the pool's own users' sign-in, federated users sign in at their IdP");
    if (cognito.mfa === 'ON')
      needs(
        'cannot be used with mfa ON: Cognito offers passkey sign-in in a pool that requires MFA only with passkey MFA, which the pinned AWS provider cannot set; use mfa OPTIONAL',
      );
  }
  const file = cognito.brandingFile;
  if (file === undefined) return;
  if (cognito.managedLogin === false) c.fail('cognito.brandingFile', file, 'needs managedLogin: the classic hosted UI has no styles');
  if (typeof file !== 'string' || file === '' || isAbsolute(file) || normalize(file).startsWith('..'))
    return c.fail('cognito.brandingFile', file, 'must be a path inside the project, relative to its root');
  const path = join(context.root, file);
  if (!existsSync(path) || !statSync(path).isFile()) return c.fail('cognito.brandingFile', file, 'does not exist');
  if (statSync(path).size > MAX_BRANDING_BYTES) return c.fail('cognito.brandingFile', file, `is larger than ${MAX_BRANDING_BYTES} bytes`);
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      c.fail('cognito.brandingFile', file, 'must hold a JSON object (the settings of a managed login style)');
  } catch (err) {
    c.fail('cognito.brandingFile', file, `must be JSON: ${(err as Error).message}`);
  }
}
