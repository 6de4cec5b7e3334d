// Rules AWS applies at `terraform apply` (or that decide whether a setting can ever work), checked
// at synth instead. Each says where it comes from; each returns the broken rule's text, or undefined.

/**
 * WAF's GeoMatchStatement CountryCodes: the ISO 3166-1 alpha-2 codes of the WAF API's CountryCode
 * enum (AWS WAF API Reference, GeoMatchStatement). `UK` and `EU` are not among them.
 */
export const WAF_COUNTRY_CODES = new Set(
  (
    'AF AX AL DZ AS AD AO AI AQ AG AR AM AW AU AT AZ BS BH BD BB BY BE BZ BJ BM BT BO BQ BA BW BV BR IO BN BG BF BI KH CM CA CV ' +
    'KY CF TD CL CN CX CC CO KM CG CD CK CR CI HR CU CW CY CZ DK DJ DM DO EC EG SV GQ ER EE ET FK FO FJ FI FR GF PF TF GA GM GE ' +
    'DE GH GI GR GL GD GP GU GT GG GN GW GY HT HM VA HN HK HU IS IN ID IR IQ IE IM IL IT JM JP JE JO KZ KE KI KP KR KW KG LA LV ' +
    'LB LS LR LY LI LT LU MO MK MG MW MY MV ML MT MH MQ MR MU YT MX FM MD MC MN ME MS MA MZ MM NA NR NP NL NC NZ NI NE NG NU NF ' +
    'MP NO OM PK PW PS PA PG PY PE PH PN PL PT PR QA RE RO RU RW BL SH KN LC MF PM VC WS SM ST SA SN RS SC SL SG SX SK SI SB SO ' +
    'ZA GS SS ES LK SD SR SJ SZ SE CH SY TW TJ TZ TH TL TG TK TO TT TN TR TM TC TV UG UA AE GB US UM UY UZ VU VE VN VG VI WF EH ' +
    'YE ZM ZW'
  ).split(' '),
);

/** Common non-codes and the code WAF knows them by. */
const COUNTRY_ALIASES: Record<string, string> = { UK: 'GB', EL: 'GR', KO: 'KR' };

export function wafCountryProblem(code: string): string | undefined {
  if (WAF_COUNTRY_CODES.has(code)) return undefined;
  const upper = code.toUpperCase();
  if (WAF_COUNTRY_CODES.has(upper)) return `must be upper case: WAF takes "${upper}"`;
  const alias = COUNTRY_ALIASES[upper];
  return alias
    ? `is not a country code WAF accepts (ISO 3166-1 alpha-2): use "${alias}"`
    : 'is not a country code WAF accepts (ISO 3166-1 alpha-2, as in the WAF API reference, GeoMatchStatement)';
}

/** The AWS partition of a region (ARN format, "partition"): an ARN must name the partition its region lies in. */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  if (region.startsWith('us-isof-')) return 'aws-iso-f';
  if (region.startsWith('eu-isoe-')) return 'aws-iso-e';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  if (region.startsWith('eusc-')) return 'aws-eusc';
  return 'aws';
}

/** An ARN in the config must be of the config's partition (and a regional one of a region of it). */
export function arnPartitionProblem(arn: string, region: string): string | undefined {
  const [prefix, partition, , arnRegion] = arn.split(':');
  if (prefix !== 'arn' || partition === undefined) return undefined;
  const expected = partitionOf(region);
  if (partition !== expected)
    return `is in the partition "${partition}", but region ${region} is in "${expected}": an ARN names its own partition`;
  if (arnRegion && partitionOf(arnRegion) !== partition) return `names region ${arnRegion}, which is not in the partition "${partition}"`;
  return undefined;
}

const LOOPBACK_OR_LINK_LOCAL = [
  /^localhost$/i,
  /^127\./,
  /^169\.254\./,
  /^\[::1\]$/,
  /^\[fe[89ab][0-9a-f]:/i,
  /^0\.0\.0\.0$/,
  /\.localhost$/i,
];

/**
 * An OIDC issuer is compared, as written, with the `issuer` of the IdP's discovery document
 * (OpenID Connect Discovery 1.0, section 4.3) and Cognito fetches `<issuer>/.well-known/openid-configuration`
 * from the internet: so an https URL in its canonical form, reachable from AWS.
 */
export function oidcIssuerProblem(issuer: string): string | undefined {
  if (/\s/.test(issuer)) return 'must not contain white space';
  if (!issuer.startsWith('https://')) return 'must start with "https://" (lower case): the discovery document states it so';
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    return 'is not a URL';
  }
  if (url.username || url.password) return 'must not carry credentials';
  if (issuer.includes('?') || issuer.includes('#')) return 'must have no query or fragment (OpenID Connect Discovery 1.0, 4.3)';
  if (url.port !== '') return `must not name a port (${url.port}): Cognito reaches the IdP on 443 only`;
  if (/\/\.well-known\/openid-configuration\/?$/.test(url.pathname))
    return 'must be the issuer itself, without "/.well-known/openid-configuration": Cognito appends it';
  if (/[A-Z]/.test(issuer.slice(8, 8 + url.host.length))) return 'must have a lower-case host, as the discovery document states it';
  if (LOOPBACK_OR_LINK_LOCAL.some((re) => re.test(url.hostname)))
    return 'must be a host Cognito can reach from the internet, not a loopback or link-local address';
  return undefined;
}

/** RFC 3986 URI characters: unreserved, reserved, and percent-encoded octets; nothing else. */
const URI_CHARACTERS = /^(?:[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})+$/;

/** A SAML metadata URL: Cognito downloads it over https (CreateIdentityProvider, MetadataURL). */
export function metadataUrlProblem(value: string): string | undefined {
  if (!URI_CHARACTERS.test(value)) return 'must be a URL of RFC 3986 characters only: encode spaces and other characters as %XX';
  if (!value.startsWith('https://')) return 'must be an https URL (metadata over plain http could be swapped in transit)';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'is not a URL';
  }
  if (url.username || url.password || url.hash) return 'must be an https URL without credentials or fragment';
  if (LOOPBACK_OR_LINK_LOCAL.some((re) => re.test(url.hostname)))
    return 'must be a host Cognito can reach from the internet, not a loopback or link-local address';
  return undefined;
}

/**
 * An SSM parameter named in the config (AWS Systems Manager, "Parameter name requirements"): a name
 * in a hierarchy fully qualified (`/a/b`; a flat name such as `okta-secret` is fine), of
 * [a-zA-Z0-9_.-/], at most 15 levels, not under the reserved `aws` or `ssm`
 * prefixes, and with its ARN at most 1011 characters.
 */
export function ssmParameterProblem(name: string, region: string): string | undefined {
  if (name.includes('/') && !name.startsWith('/'))
    return 'must be fully qualified, starting with "/", as a name in a hierarchy must (e.g. "/central-auth/okta-client-secret")';
  if (!/^[A-Za-z0-9_.\-/]+$/.test(name)) return 'must use only letters, digits and . _ - /';
  if (/\/\//.test(name) || name.endsWith('/')) return 'must not have an empty level ("//" or a trailing "/")';
  const levels = name.split('/').length - 1;
  if (levels > 15) return `has ${levels} levels; a parameter hierarchy has at most 15`;
  if (/^\/?(aws|ssm)/i.test(name)) return 'must not start with "aws" or "ssm" (reserved by AWS, in any case)';
  const arnLength = `arn:${partitionOf(region)}:ssm:${region}:123456789012:parameter`.length + name.length;
  if (arnLength > 1011) return `is too long: its ARN would be ${arnLength} characters, and SSM allows 1011`;
  return undefined;
}
