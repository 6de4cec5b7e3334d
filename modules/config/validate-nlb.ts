import { type Checker, duplicates, itemName } from './checker';
import { block28, contains, overlaps, parseCidr, parseIpv4, type Ipv4Block } from './ipv4';
import { PATTERNS } from './patterns';

/** AWS subnets are /16 to /28; the NLB's /28 must be neither the subnet's first (AWS reserves .0-.3) nor its last (the broadcast address), so a /26 is the smallest with a /28 left between. */
export const NLB_SUBNET_MAX_PREFIX = 26;

/** Checks `nlb.subnets`: real subnet ids, CIDRs that fit the reservation scheme, and addresses inside them. */
export function checkNlb(c: Checker, nlb: unknown): void {
  if (!c.isObject('nlb', nlb)) return;
  c.knownKeys('nlb', nlb, ['subnets']);
  if (!c.array('nlb.subnets', nlb.subnets)) return;
  const subnets = nlb.subnets;
  if (subnets.length === 0) c.fail('nlb.subnets', subnets, 'must list the private subnets of the internal NLB, one per Availability Zone');
  const blocks: { field: string; block: Ipv4Block }[] = [];
  subnets.forEach((s, i) => {
    const f = itemName('nlb.subnets', i, s, 'id');
    if (!c.isObject(f, s)) return;
    c.knownKeys(f, s, ['id', 'cidr', 'privateIp']);
    c.string(`${f}.id`, s.id, PATTERNS.subnetId, 'must be a subnet id such as "subnet-0123456789abcdef0"');
    const block = checkCidr(c, `${f}.cidr`, s.cidr);
    if (block) {
      const other = blocks.find((b) => overlaps(b.block, block));
      if (other) c.fail(`${f}.cidr`, s.cidr, `overlaps ${other.field}; each NLB subnet is a different subnet`);
      blocks.push({ field: `${f}.cidr`, block });
    }
    if (s.privateIp !== undefined) checkPrivateIp(c, `${f}.privateIp`, s.privateIp, block);
  });
  duplicates(subnets.map((s) => (typeof s === 'object' && s !== null ? (s as Record<string, unknown>).id : undefined))).forEach(
    (id) => id !== undefined && c.fail('nlb.subnets', id, 'lists a subnet twice'),
  );
}

function checkCidr(c: Checker, field: string, value: unknown): Ipv4Block | undefined {
  if (typeof value !== 'string') {
    c.fail(field, value, 'must be a string');
    return undefined;
  }
  const block = parseCidr(value);
  if (!block) {
    c.fail(field, value, 'must be an IPv4 CIDR block such as "10.0.1.0/24", written with the block\'s first address');
    return undefined;
  }
  if (block.prefix < 16 || block.prefix > NLB_SUBNET_MAX_PREFIX) {
    c.fail(
      field,
      value,
      `must be a /16 to /${NLB_SUBNET_MAX_PREFIX}: the NLB's address is reserved in a /28 that is neither the subnet's first nor its last`,
    );
    return undefined;
  }
  return block;
}

function checkPrivateIp(c: Checker, field: string, value: unknown, subnet: Ipv4Block | undefined): void {
  const ip = typeof value === 'string' ? parseIpv4(value) : undefined;
  if (ip === undefined) {
    c.fail(field, value, 'must be an IPv4 address such as "10.0.1.228"');
    return;
  }
  if (!subnet) return;
  if (!contains(subnet, ip)) c.fail(field, value, "must lie inside the subnet's cidr");
  else {
    const reserved = block28(ip);
    if (reserved.base === subnet.base || reserved.base + 16 === subnet.base + subnet.size) {
      c.fail(
        field,
        value,
        "must not lie in the subnet's first or last /28 (AWS reserves their first four and last address; the NLB's /28 is reserved whole)",
      );
    }
  }
}
