import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { GROUPS_ATTRIBUTE, loadConfig, validateConfig } from '../../lambda/pretoken/config.js';
import { parseGroups, resolveGroups } from '../../lambda/pretoken/groups.js';
import { SignInRefused, createHandler } from '../../lambda/pretoken/index.js';

/**
 * A pre token generation event, version 2, as the Cognito developer guide documents it ("Pre token
 * generation Lambda trigger", event V2_0; @types/aws-lambda pre-token-generation-v2.d.ts): the
 * user's attributes, the pool's own group memberships, and an empty response to fill.
 */
function v2Event(attributes: Record<string, string>, memberships: string[] = [], triggerSource = 'TokenGeneration_HostedAuth') {
  return {
    version: '2',
    triggerSource,
    region: 'eu-west-1',
    userPoolId: 'eu-west-1_EXAMPLE',
    userName: 'EntraID_alice@example.com',
    callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: '1example23456789abcdefghij' },
    request: {
      userAttributes: {
        sub: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111',
        'cognito:user_status': 'EXTERNAL_PROVIDER',
        email: 'alice@example.com',
        identities:
          '[{"userId":"alice@example.com","providerName":"EntraID","providerType":"SAML","issuer":null,"primary":true,"dateCreated":1700000000000}]',
        ...attributes,
      },
      groupConfiguration: { groupsToOverride: memberships, iamRolesToOverride: [], preferredRole: null },
      scopes: ['openid', 'email', 'profile'],
    },
    response: { claimsAndScopeOverrideDetails: null },
  };
}

const KNOWN = ['grafana-admins', 'grafana-editors', 'platform'];

describe('parseGroups: the forms Cognito stores an IdP groups attribute in', () => {
  test.each([
    ['[test-group-two, test-group-one]', ['test-group-two', 'test-group-one']],
    ['["admin", "editor"]', ['admin', 'editor']],
    ['[ops%2Cteam, a+b%40x, 50%25]', ['ops,team', 'a b@x', '50%']],
    ['platform', ['platform']],
    ['a, b ,a', ['a', 'b']],
    ['[1, 2]', ['1', '2']],
    ['[bad%ZZ]', ['bad%ZZ']],
    ['', []],
    ['[]', []],
  ])('%s', (stored, groups) => expect(parseGroups(stored)).toEqual(groups));

  test('anything but a string is no groups, and at most 256 are read', () => {
    expect(parseGroups(undefined)).toEqual([]);
    expect(parseGroups(['a'])).toEqual([]);
    expect(parseGroups(Array.from({ length: 300 }, (_, i) => `g${i}`).join(','))).toHaveLength(256);
  });
});

describe('resolveGroups', () => {
  const known = new Set(KNOWN);

  test('without a mapping, IdP groups named like configured groups pass; others never become groups', () => {
    expect(
      resolveGroups({ memberships: [], idpGroups: ['platform', 'Domain Users'], groupMapping: undefined, knownGroups: known }),
    ).toEqual(['platform']);
  });

  test('with a mapping, only mapped IdP groups count, and memberships in the pool stay', () => {
    const groupMapping = { 'GRP-Grafana-Admin': 'grafana-admins', platform: 'platform' };
    expect(
      resolveGroups({
        memberships: ['grafana-editors'],
        idpGroups: ['GRP-Grafana-Admin', 'grafana-admins', '__proto__'],
        groupMapping,
        knownGroups: known,
      }),
    ).toEqual(['grafana-admins', 'grafana-editors']);
  });
});

describe('the pre token generation handler (event version 2)', () => {
  const lines: string[] = [];
  const handler = createHandler({
    config: validateConfig({ knownGroups: KNOWN, groupMapping: { 'GRP-Grafana-Admin': 'grafana-admins' }, requireGroup: true }),
    log: (l) => lines.push(l),
  });

  test('puts the mapped groups in groupOverrideDetails, which sets cognito:groups in the ID and the access token', async () => {
    // GIVEN a federated user whose SAML groups attribute holds two groups
    const event = v2Event({ [GROUPS_ATTRIBUTE]: '[GRP-Grafana-Admin, Domain Users]' });
    // WHEN the trigger runs
    const out = (await handler(event)) as ReturnType<typeof v2Event>;
    // THEN the response overrides the groups with the mapped one only
    expect(out.response.claimsAndScopeOverrideDetails).toEqual({ groupOverrideDetails: { groupsToOverride: ['grafana-admins'] } });
    expect(JSON.parse(lines.at(-1)!)).toEqual({
      msg: 'groups',
      trigger: 'TokenGeneration_HostedAuth',
      user: 'EntraID_alice@example.com',
      idpGroups: 2,
      groups: ['grafana-admins'],
    });
  });

  test('gives the same answer when the ALB refreshes the tokens', async () => {
    const out = (await handler(v2Event({ [GROUPS_ATTRIBUTE]: '[GRP-Grafana-Admin]' }, [], 'TokenGeneration_RefreshTokens'))) as ReturnType<
      typeof v2Event
    >;
    expect(out.response.claimsAndScopeOverrideDetails).toEqual({ groupOverrideDetails: { groupsToOverride: ['grafana-admins'] } });
  });

  test('keeps a local user’s pool memberships', async () => {
    const event = v2Event({}, ['platform']);
    event.request.userAttributes['cognito:user_status'] = 'CONFIRMED';
    const out = (await handler(event)) as ReturnType<typeof v2Event>;
    expect(out.response.claimsAndScopeOverrideDetails).toEqual({ groupOverrideDetails: { groupsToOverride: ['platform'] } });
  });

  test('fails when a user ends with no group and requireGroup is on: the sign-in is refused with a message for the user', async () => {
    await expect(handler(v2Event({ [GROUPS_ATTRIBUTE]: '[Domain Users]' }))).rejects.toThrow(SignInRefused);
    await expect(handler(v2Event({}))).rejects.toThrow('Your account is in none of the groups that may use these apps.');
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ msg: 'refused', groups: [] });
  });

  test('without requireGroup a user with no group signs in with none', async () => {
    const open = createHandler({ config: validateConfig({ knownGroups: KNOWN, requireGroup: false }), log: () => undefined });
    const out = (await open(v2Event({}))) as ReturnType<typeof v2Event>;
    expect(out.response.claimsAndScopeOverrideDetails).toEqual({ groupOverrideDetails: { groupsToOverride: [] } });
  });

  test('fails when the event is not a pre token generation event', async () => {
    await expect(handler({})).rejects.toThrow('pre token generation: the event has no request or response object');
  });
});

describe('the handler configuration (config.json beside it)', () => {
  test('fails when a mapping names a group that is not configured, or a field is missing', () => {
    expect(() => validateConfig({ knownGroups: ['a'], groupMapping: { x: 'b' }, requireGroup: 'yes' })).toThrow(
      'Invalid pre-token configuration: groupMapping["x"] = "b": must be one of knownGroups; requireGroup: must be true or false',
    );
    expect(() => validateConfig([])).toThrow('Invalid pre-token configuration: config = []: must be an object');
  });

  test('loads config.json from a file', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'pretoken-')), 'config.json');
    writeFileSync(file, JSON.stringify({ knownGroups: ['a'], requireGroup: false }));
    expect(loadConfig(file)).toEqual({ knownGroups: new Set(['a']), groupMapping: undefined, requireGroup: false });
  });
});
