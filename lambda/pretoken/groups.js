'use strict';
// The IdP's groups as Cognito stores them in the user attribute the providers map them to.

/** At most this many groups are read: a claim is bounded by the attribute's 2048 characters anyway. */
const MAX_GROUPS = 256;

/**
 * application/x-www-form-urlencoded decoding; a malformed escape leaves the value as it came.
 * @param {string} value
 */
function formDecode(value) {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}

/**
 * Parses the stored attribute. Cognito writes a multi-valued SAML attribute as `[a, b]`, an OIDC
 * array claim as JSON (`["a","b"]`), and a single value as itself; some IdPs send one
 * comma-separated string. Every form gives the same list; empty names are dropped.
 * @param {unknown} value
 * @returns {string[]}
 */
function parseGroups(value) {
  if (typeof value !== 'string') return [];
  const text = value.trim();
  if (text === '') return [];
  /** @type {unknown[]} */
  let items;
  if (text.startsWith('[') && text.endsWith(']')) {
    try {
      const parsed = JSON.parse(text);
      items = Array.isArray(parsed) ? parsed : [text];
    } catch {
      // `[a, b]`: a multi-valued SAML attribute. Cognito form-encodes each value that holds other
      // characters than letters, digits and . - * _ (Cognito developer guide, attribute mapping),
      // so a comma inside a name arrives as %2C and never splits it.
      items = text.slice(1, -1).split(',').map(formDecode);
    }
  } else {
    items = text.split(',');
  }
  // `[1]` parses as JSON too: a group named 1 stays the name "1".
  const names = items.filter((g) => typeof g === 'string' || typeof g === 'number').map((g) => String(g).trim());
  return [...new Set(names.filter((g) => g !== ''))].slice(0, MAX_GROUPS);
}

/**
 * The Cognito groups a user gets: the pool's own memberships, plus the IdP's groups mapped through
 * `groupMapping` (IdP name → Cognito group) or, without a mapping, those IdP groups whose names
 * are configured Cognito groups. Nothing outside `knownGroups` ever becomes a group.
 * @param {{ memberships: readonly string[], idpGroups: readonly string[], groupMapping: Readonly<Record<string, string>> | undefined, knownGroups: ReadonlySet<string> }} input
 * @returns {string[]} sorted, unique
 */
function resolveGroups(input) {
  const out = new Set(input.memberships);
  for (const g of input.idpGroups) {
    const mapped = input.groupMapping ? (Object.hasOwn(input.groupMapping, g) ? input.groupMapping[g] : undefined) : g;
    if (mapped !== undefined && input.knownGroups.has(mapped)) out.add(mapped);
  }
  return [...out].sort();
}

module.exports = { MAX_GROUPS, formDecode, parseGroups, resolveGroups };
