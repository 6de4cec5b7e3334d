import { existsSync, readFileSync, statSync } from 'fs';
import { isAbsolute, join, normalize } from 'path';
import { type Checker, duplicates, itemName } from './checker';
import { metadataUrlProblem, oidcIssuerProblem, ssmParameterProblem } from './aws-rules';
import type { IdentityProviderConfig, SecretReference } from './types';

/** The pool attribute every provider maps its groups to (lambda/pretoken/config.js GROUPS_ATTRIBUTE). */
export const IDP_GROUPS_ATTRIBUTE = 'custom:idp_groups';
export const DEFAULT_OIDC_SCOPES = ['openid', 'email', 'profile'] as const;
/** SAML claims of Entra ID and AD FS (WS-Federation URIs); Google Workspace users set their own names. */
const SAML_CLAIMS = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims';
export const DEFAULT_ATTRIBUTE_MAPPING = {
  SAML: { email: `${SAML_CLAIMS}/emailaddress`, name: `${SAML_CLAIMS}/name` },
  OIDC: { email: 'email', name: 'name', username: 'sub' },
  Google: { email: 'email', name: 'name', username: 'sub' },
} as const;
/** What a metadata file may weigh: Cognito's provider details hold at most 131072 characters. */
const MAX_METADATA_BYTES = 131072;
/** Names Cognito gives its built-in sign-in and social providers. */
const RESERVED_NAMES = ['COGNITO', 'Facebook', 'LoginWithAmazon', 'SignInWithApple'];

/** An identity provider with every default applied: what the auth stack creates. */
export interface ResolvedIdentityProvider {
  readonly name: string;
  readonly type: 'SAML' | 'OIDC' | 'Google';
  /** provider_details, without the client secret. */
  readonly details: Readonly<Record<string, string>>;
  readonly clientSecret?: SecretReference;
  /** With the groups attribute mapped to IDP_GROUPS_ATTRIBUTE. */
  readonly attributeMapping: Readonly<Record<string, string>>;
  readonly idpIdentifiers: readonly string[];
}

// CreateIdentityProvider ProviderName: 1-32 characters, no leading or trailing "_" or space (API model).
const NAME_RE = /^[^_\p{Z}][\p{L}\p{M}\p{S}\p{N}\p{P}]{1,30}[^_\p{Z}]$/u;
const IDP_IDENTIFIER_RE = /^[\w\s+=.@-]{1,40}$/;
const CLIENT_ID_RE = /^[\x21-\x7e]{1,255}$/;
const SCOPE_RE = /^[\x21\x23-\x5b\x5d-\x7e]{1,256}$/;
const SECRET_ID_RE = /^(arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:)?[A-Za-z0-9/_+=.@-]{1,512}$/;
const ATTRIBUTE_RE = /^[\x21-\x7e]{1,256}$/;
/** The standard attributes an IdP may fill (all mutable); the pool has no other custom attribute than IDP_GROUPS_ATTRIBUTE. */
export const MAPPABLE_ATTRIBUTES = [
  'address',
  'birthdate',
  'email',
  'family_name',
  'gender',
  'given_name',
  'locale',
  'middle_name',
  'name',
  'nickname',
  'phone_number',
  'picture',
  'preferred_username',
  'profile',
  'updated_at',
  'website',
  'zoneinfo',
] as const;

/** The problem with a SAML metadata document, if any (a shape check: no XML parser ships here). */
export function samlMetadataProblem(xml: string): string | undefined {
  const body = xml.replace(/^\uFEFF/, '').trim();
  if (!/^(<\?xml[^>]*\?>\s*)?(<!--[\s\S]*?-->\s*)*<([\w.-]+:)?EntityDescriptor[\s>]/.test(body))
    return 'must be SAML metadata XML whose root element is EntityDescriptor';
  if (!body.includes('urn:oasis:names:tc:SAML:2.0:metadata')) return 'must declare the SAML 2.0 metadata namespace';
  if (!/<([\w.-]+:)?IDPSSODescriptor[\s>]/.test(body))
    return "must describe an identity provider (IDPSSODescriptor): this looks like another party's metadata";
  if (!/<([\w.-]+:)?SingleSignOnService[\s>]/.test(body)) return 'must name a SingleSignOnService';
  if (/<!DOCTYPE|<!ENTITY/i.test(body)) return 'must not declare a DOCTYPE or entities';
  return undefined;
}

function checkSecret(c: Checker, field: string, secret: unknown, region: string): void {
  if (typeof secret === 'string') {
    c.fail(
      field,
      '(a secret)',
      'must not be written in the config file: name an SSM SecureString parameter ({ ssmParameter: <name> }) or a Secrets Manager secret ({ secretsManagerSecret: <name or ARN> })',
    );
    return;
  }
  if (!c.isObject(field, secret)) return;
  c.knownKeys(field, secret, ['ssmParameter', 'secretsManagerSecret']);
  const keys = ['ssmParameter', 'secretsManagerSecret'].filter((k) => secret[k] !== undefined);
  if (keys.length !== 1) c.fail(field, secret, 'must name exactly one of ssmParameter and secretsManagerSecret');
  if (secret.ssmParameter !== undefined && c.string(`${field}.ssmParameter`, secret.ssmParameter, /^/, '')) {
    const problem = ssmParameterProblem(secret.ssmParameter, region);
    if (problem) c.fail(`${field}.ssmParameter`, secret.ssmParameter, problem);
  }
  if (secret.secretsManagerSecret !== undefined)
    c.string(`${field}.secretsManagerSecret`, secret.secretsManagerSecret, SECRET_ID_RE, 'must be a Secrets Manager secret name or ARN');
}

function checkStringList(c: Checker, field: string, value: unknown, re: RegExp, rule: string, max: number): void {
  if (!c.array(field, value, false)) return;
  if (value.length > max) c.fail(field, value.length, `lists more than ${max} values`);
  value.forEach((v, i) => c.string(`${field}[${i}]`, v, re, rule));
  duplicates(value).forEach((v) => c.fail(field, v, 'is listed twice'));
}

/**
 * `cognito.identityProviders`, `localUsers`, `groupMapping` and `requireGroup`. A metadata file is
 * read here, relative to `root`, so a bad one is refused before anything is built.
 */
export function checkIdentityProviders(
  c: Checker,
  cognito: Record<string, unknown>,
  groups: ReadonlySet<string>,
  root: string,
  region = 'us-east-1',
): void {
  const providers = cognito.identityProviders;
  const field = 'cognito.identityProviders';
  let anyGroups = false;
  let count = 0;
  if (c.array(field, providers, false)) {
    count = providers.length;
    const names: unknown[] = [];
    const identifiers: unknown[] = [];
    providers.forEach((p, i) => {
      const f = itemName(field, i, p);
      if (!c.isObject(f, p)) return;
      c.oneOf(`${f}.type`, p.type, ['SAML', 'OIDC', 'Google'], true);
      const common = ['name', 'type', 'attributeMapping', 'groupsAttribute'];
      const byType: Record<string, string[]> = {
        SAML: ['metadataUrl', 'metadataFile', 'signOut', 'idpIdentifiers'],
        OIDC: ['issuer', 'clientId', 'clientSecret', 'scopes', 'attributesRequestMethod', 'idpIdentifiers'],
        Google: ['clientId', 'clientSecret', 'scopes'],
      };
      if (typeof p.type === 'string' && byType[p.type]) c.knownKeys(f, p, [...common, ...byType[p.type]!]);
      if (
        c.string(
          `${f}.name`,
          p.name,
          NAME_RE,
          'must match Cognito\'s ProviderName (CreateIdentityProvider): 3-32 characters, not starting or ending with "_" or a space',
        )
      ) {
        if (p.type === 'Google' && p.name !== 'Google')
          c.fail(`${f}.name`, p.name, 'must be "Google" for a Google provider (Cognito requires it)');
        else if (p.type !== 'Google' && (p.name === 'Google' || RESERVED_NAMES.includes(p.name as string)))
          c.fail(`${f}.name`, p.name, "is the name of one of Cognito's built-in providers");
        names.push(p.name);
      }
      if (p.type === 'SAML') {
        const sources = ['metadataUrl', 'metadataFile'].filter((k) => p[k] !== undefined);
        if (sources.length !== 1)
          c.fail(f, sources.length ? sources.join(' and ') : '(neither)', 'must set exactly one of metadataUrl and metadataFile');
        if (p.metadataUrl !== undefined) {
          const problem =
            typeof p.metadataUrl === 'string' && p.metadataUrl.length <= 2048 ? metadataUrlProblem(p.metadataUrl) : 'must be an https URL';
          if (problem) c.fail(`${f}.metadataUrl`, p.metadataUrl, problem);
        }
        if (p.metadataFile !== undefined) checkMetadataFile(c, `${f}.metadataFile`, p.metadataFile, root);
        c.boolean(`${f}.signOut`, p.signOut);
      }
      if (p.type === 'OIDC') {
        const problem =
          typeof p.issuer === 'string' && p.issuer.length <= 2048 ? oidcIssuerProblem(p.issuer) : "must be the IdP's https issuer URL";
        if (problem) c.fail(`${f}.issuer`, p.issuer, `${problem}`);
        c.oneOf(`${f}.attributesRequestMethod`, p.attributesRequestMethod, ['GET', 'POST']);
      }
      if (p.type === 'OIDC' || p.type === 'Google') {
        c.string(`${f}.clientId`, p.clientId, CLIENT_ID_RE, 'must be 1-255 printable characters without spaces');
        checkSecret(c, `${f}.clientSecret`, p.clientSecret, region);
        checkStringList(c, `${f}.scopes`, p.scopes, SCOPE_RE, 'must be an OAuth scope (printable, no spaces, quotes or backslashes)', 50);
        if (Array.isArray(p.scopes) && !p.scopes.includes('openid')) c.fail(`${f}.scopes`, p.scopes, 'must include "openid"');
      }
      if (p.type === 'SAML' || p.type === 'OIDC') {
        checkStringList(
          c,
          `${f}.idpIdentifiers`,
          p.idpIdentifiers,
          IDP_IDENTIFIER_RE,
          'must be 1-40 letters, digits, spaces or _+=.@-',
          50,
        );
        if (Array.isArray(p.idpIdentifiers)) identifiers.push(...p.idpIdentifiers);
      }
      if (c.isObject(`${f}.attributeMapping`, p.attributeMapping, false)) {
        for (const [to, from] of Object.entries(p.attributeMapping)) {
          if (to === IDP_GROUPS_ATTRIBUTE) c.fail(`${f}.attributeMapping key`, to, 'is reserved: set groupsAttribute instead');
          else if (to === 'username' && p.type === 'SAML')
            c.fail(`${f}.attributeMapping key`, to, 'cannot be mapped for SAML: Cognito names the user from the NameID');
          else if (to !== 'username' && !(MAPPABLE_ATTRIBUTES as readonly string[]).includes(to))
            c.fail(
              `${f}.attributeMapping key`,
              to,
              `must be a standard user pool attribute (${MAPPABLE_ATTRIBUTES.join(', ')}) or, for OIDC and Google, username`,
            );
          c.string(`${f}.attributeMapping.${to}`, from, ATTRIBUTE_RE, 'must be the name of an IdP claim or SAML attribute');
        }
      }
      if (p.groupsAttribute !== undefined && p.type === 'Google') {
        // Google's userinfo and ID token carry no groups claim (Google Identity, OpenID Connect: claims).
        c.fail(`${f}.groupsAttribute`, p.groupsAttribute, 'can never take effect: Google sign-in carries no groups claim');
      } else if (p.groupsAttribute !== undefined) {
        anyGroups = true;
        c.string(`${f}.groupsAttribute`, p.groupsAttribute, ATTRIBUTE_RE, 'must be the name of an IdP claim or SAML attribute');
      }
    });
    duplicates(names).forEach((n) => c.fail(field, n, 'names a provider twice'));
    duplicates(identifiers).forEach((n) => c.fail(field, n, 'lists an idpIdentifier on two providers'));
  }
  c.boolean('cognito.localUsers', cognito.localUsers);
  if (cognito.localUsers === false && count === 0)
    c.fail('cognito.localUsers', false, 'needs at least one of cognito.identityProviders: otherwise nobody could sign in');
  c.boolean('cognito.requireGroup', cognito.requireGroup);
  if (cognito.requireGroup === true) {
    // A user is let in only with a group: it comes from an IdP's groupsAttribute, or an
    // administrator adds a local user to one of cognito.groups.
    if (groups.size === 0)
      c.fail('cognito.requireGroup', true, 'can never let anyone in: cognito.groups is empty, so no user can have a group');
    else if (!anyGroups && cognito.localUsers === false)
      c.fail('cognito.requireGroup', true, 'can never let anyone in: no provider has groupsAttribute and local users are off');
  }
  if (c.isObject('cognito.groupMapping', cognito.groupMapping, false)) {
    if (!anyGroups) c.fail('cognito.groupMapping', '{…}', 'needs a provider with groupsAttribute: no IdP groups would reach it');
    for (const [from, to] of Object.entries(cognito.groupMapping)) {
      if (from.length < 1 || from.length > 256) c.fail('cognito.groupMapping key', from, 'must be an IdP group name of 1-256 characters');
      if (typeof to !== 'string' || !groups.has(to))
        c.fail(`cognito.groupMapping.${from}`, to, 'must be a group of cognito.groups (group names are case-sensitive)');
    }
  }
}

function checkMetadataFile(c: Checker, field: string, file: unknown, root: string): void {
  if (typeof file !== 'string' || file === '' || isAbsolute(file) || normalize(file).startsWith('..')) {
    c.fail(field, file, 'must be a path inside the project, relative to its root');
    return;
  }
  const path = join(root, file);
  if (!existsSync(path) || !statSync(path).isFile()) return c.fail(field, file, 'does not exist');
  if (statSync(path).size > MAX_METADATA_BYTES)
    return c.fail(field, file, `is larger than ${MAX_METADATA_BYTES} bytes, more than Cognito holds`);
  const problem = samlMetadataProblem(readFileSync(path, 'utf8'));
  if (problem) c.fail(field, file, problem);
}

/** Applies the defaults of each provider type; the config was validated first. */
export function resolveIdentityProvider(p: IdentityProviderConfig, root: string): ResolvedIdentityProvider {
  const mapping: Record<string, string> = { ...(p.attributeMapping ?? DEFAULT_ATTRIBUTE_MAPPING[p.type]) };
  if (p.groupsAttribute !== undefined) mapping[IDP_GROUPS_ATTRIBUTE] = p.groupsAttribute;
  const base = { name: p.name, type: p.type, attributeMapping: mapping };
  switch (p.type) {
    case 'SAML':
      return {
        ...base,
        details: {
          ...(p.metadataUrl !== undefined ? { MetadataURL: p.metadataUrl } : {}),
          ...(p.metadataFile !== undefined ? { MetadataFile: readFileSync(join(root, p.metadataFile), 'utf8') } : {}),
          IDPSignout: String(p.signOut ?? false),
        },
        idpIdentifiers: [...(p.idpIdentifiers ?? [])],
      };
    case 'OIDC':
      return {
        ...base,
        details: {
          client_id: p.clientId,
          oidc_issuer: p.issuer,
          authorize_scopes: (p.scopes ?? DEFAULT_OIDC_SCOPES).join(' '),
          attributes_request_method: p.attributesRequestMethod ?? 'GET',
        },
        clientSecret: p.clientSecret,
        idpIdentifiers: [...(p.idpIdentifiers ?? [])],
      };
    case 'Google':
      return {
        ...base,
        details: { client_id: p.clientId, authorize_scopes: (p.scopes ?? DEFAULT_OIDC_SCOPES).join(' ') },
        clientSecret: p.clientSecret,
        idpIdentifiers: [],
      };
  }
}
