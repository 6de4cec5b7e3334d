import { EXAMPLE_CONFIG } from '../../modules/config/example';
import { validateConfig } from '../../modules/config/validate';
import { problemLines } from '../helpers';

/** The problems a config with these NLB settings gets, one `field: value rule` line each. */
const problemsWith = (nlb: unknown): string[] => problemLines(() => validateConfig({ ...EXAMPLE_CONFIG, nlb }));

describe('nlb validation', () => {
  test('accepts /16 to /26 subnets with or without a pinned address', () => {
    expect(
      problemsWith({
        subnets: [
          { id: 'subnet-0a1b2c3d4e5f61001', cidr: '10.1.0.0/16' },
          { id: 'subnet-0a1b2c3d4e5f61002', cidr: '10.2.0.0/26', privateIp: '10.2.0.36' },
        ],
      }),
    ).toEqual([]);
  });

  test.each([
    ['the section is missing', undefined, ['nlb: (missing) must be an object']],
    [
      'no subnet is listed',
      { subnets: [] },
      ['nlb.subnets: [] must list the private subnets of the internal NLB, one per Availability Zone'],
    ],
    [
      'a subnet id is malformed',
      { subnets: [{ id: 'subnet-1', cidr: '10.0.0.0/24' }] },
      ['nlb.subnets[0] (subnet-1).id: "subnet-1" must be a subnet id such as "subnet-0123456789abcdef0"'],
    ],
    [
      'a subnet is a /27 (no /28 between its first and its last)',
      { subnets: [{ id: 'subnet-0a1b2c3d4e5f61001', cidr: '10.0.0.0/27' }] },
      [
        'nlb.subnets[0] (subnet-0a1b2c3d4e5f61001).cidr: "10.0.0.0/27" must be a /16 to /26: the NLB\'s address is reserved in a /28 that is neither the subnet\'s first nor its last',
      ],
    ],
    [
      'the address is the broadcast /28',
      { subnets: [{ id: 'subnet-0a1b2c3d4e5f61001', cidr: '10.0.0.0/24', privateIp: '10.0.0.250' }] },
      [
        'nlb.subnets[0] (subnet-0a1b2c3d4e5f61001).privateIp: "10.0.0.250" must not lie in the subnet\'s first or last /28 (AWS reserves their first four and last address; the NLB\'s /28 is reserved whole)',
      ],
    ],
    [
      'the address has a leading zero',
      { subnets: [{ id: 'subnet-0a1b2c3d4e5f61001', cidr: '10.0.0.0/24', privateIp: '10.0.0.036' }] },
      ['nlb.subnets[0] (subnet-0a1b2c3d4e5f61001).privateIp: "10.0.0.036" must be an IPv4 address such as "10.0.1.228"'],
    ],
    [
      'a subnet is listed twice',
      {
        subnets: [
          { id: 'subnet-0a1b2c3d4e5f61001', cidr: '10.0.0.0/24' },
          { id: 'subnet-0a1b2c3d4e5f61001', cidr: '10.0.1.0/24' },
        ],
      },
      ['nlb.subnets: "subnet-0a1b2c3d4e5f61001" lists a subnet twice'],
    ],
    [
      'an unknown key is set',
      { subnets: [{ id: 'subnet-0a1b2c3d4e5f61001', cidr: '10.0.0.0/24', ip: '10.0.0.36' }] },
      [
        'nlb.subnets[0] (subnet-0a1b2c3d4e5f61001).ip: "10.0.0.36" is not a known setting of nlb.subnets[0] (subnet-0a1b2c3d4e5f61001)',
        '    fix: rename it to privateIp',
      ],
    ],
  ])('fails when %s', (_case, nlb, expected) => {
    expect(problemsWith(nlb)).toEqual(expected);
  });
});
