/** IPv4 arithmetic for the NLB's pinned addresses: parsing, CIDR blocks and the /28 they fall in. */

/** A dotted quad as a 32-bit unsigned number, or undefined when it is not one (no leading zeros). */
export function parseIpv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255)) return undefined;
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

export function formatIpv4(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

export interface Ipv4Block {
  /** First address, as a number. */
  readonly base: number;
  readonly prefix: number;
  /** Number of addresses. */
  readonly size: number;
}

/** `a.b.c.d/n` whose address is the block's first address; undefined otherwise. */
export function parseCidr(text: string): Ipv4Block | undefined {
  const match = /^([^/]+)\/(\d{1,2})$/.exec(text);
  if (!match) return undefined;
  const base = parseIpv4(match[1]!);
  const prefix = Number(match[2]);
  if (base === undefined || prefix > 32) return undefined;
  const size = 2 ** (32 - prefix);
  return base % size === 0 ? { base, prefix, size } : undefined;
}

export function formatCidr(block: Ipv4Block): string {
  return `${formatIpv4(block.base)}/${block.prefix}`;
}

export function contains(block: Ipv4Block, ip: number): boolean {
  return ip >= block.base && ip < block.base + block.size;
}

export function overlaps(a: Ipv4Block, b: Ipv4Block): boolean {
  return a.base < b.base + b.size && b.base < a.base + a.size;
}

/** The aligned /28 holding `ip`: the unit the NLB's address is reserved in. */
export function block28(ip: number): Ipv4Block {
  return { base: ip - (ip % 16), prefix: 28, size: 16 };
}
