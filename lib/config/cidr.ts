/** A parsed IPv4 CIDR block. */
export interface Ipv4Cidr {
  readonly address: number;
  readonly prefix: number;
}

const CIDR_RE = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/**
 * Parses `a.b.c.d/n`. Returns a reason string instead of throwing so callers can build one
 * config error naming the field.
 */
export function parseIpv4Cidr(value: string): Ipv4Cidr | string {
  const m = CIDR_RE.exec(value);
  if (!m) return 'is not an IPv4 CIDR (expected a.b.c.d/n)';
  const octets = m.slice(1, 5).map(Number);
  if (octets.some((o) => o > 255)) return 'has an octet above 255';
  const prefix = Number(m[5]);
  if (prefix > 32) return 'has a prefix length above 32';
  const address = ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  if ((address & mask) >>> 0 !== address) {
    return `has host bits set (did you mean ${formatIpv4((address & mask) >>> 0)}/${prefix}?)`;
  }
  return { address, prefix };
}

export function formatIpv4(address: number): string {
  return [24, 16, 8, 0].map((shift) => (address >>> shift) & 0xff).join('.');
}

/** RFC 1918 private ranges: a VPC outside them would route pod traffic to public address space. */
export function isRfc1918(cidr: Ipv4Cidr): boolean {
  const ranges: Array<[string, number]> = [
    ['10.0.0.0', 8],
    ['172.16.0.0', 12],
    ['192.168.0.0', 16],
  ];
  return ranges.some(([base, prefix]) => {
    const parsed = parseIpv4Cidr(`${base}/${prefix}`) as Ipv4Cidr;
    const mask = (0xffffffff << (32 - prefix)) >>> 0;
    return cidr.prefix >= prefix && (cidr.address & mask) >>> 0 === parsed.address;
  });
}

/** Whether `cidr` contains the IPv4 address `ip`. */
export function cidrContainsAddress(cidr: string, ip: string): boolean {
  const block = parseIpv4Cidr(cidr);
  const host = parseIpv4Cidr(`${ip}/32`);
  if (typeof block === 'string' || typeof host === 'string') return false;
  const mask = block.prefix === 0 ? 0 : (0xffffffff << (32 - block.prefix)) >>> 0;
  return (host.address & mask) >>> 0 === block.address;
}

function contains(outer: Ipv4Cidr, inner: Ipv4Cidr): boolean {
  if (inner.prefix < outer.prefix) return false;
  const mask = outer.prefix === 0 ? 0 : (0xffffffff << (32 - outer.prefix)) >>> 0;
  return (inner.address & mask) >>> 0 === outer.address;
}

/** Private address space a VPC may use: RFC 1918 and the RFC 6598 shared space (100.64.0.0/10). */
export function isPrivateVpcRange(cidr: Ipv4Cidr): boolean {
  return isRfc1918(cidr) || contains({ address: ((100 << 24) | (64 << 16)) >>> 0, prefix: 10 }, cidr);
}

/** Whether every address of `inner` lies in `outer` (both `a.b.c.d/n`; false if either is invalid). */
export function cidrWithin(inner: string, outer: string): boolean {
  const i = parseIpv4Cidr(inner);
  const o = parseIpv4Cidr(outer);
  return typeof i !== 'string' && typeof o !== 'string' && contains(o, i);
}

/** How many addresses the blocks cover together, overlaps counted once. */
export function addressesCovered(cidrs: readonly string[]): number {
  const ranges = cidrs
    .map((c) => parseIpv4Cidr(c))
    .filter((c): c is Ipv4Cidr => typeof c !== 'string')
    .map((c) => [c.address, c.address + 2 ** (32 - c.prefix)] as const)
    .sort((a, b) => a[0] - b[0]);
  let total = 0;
  let end = -1;
  for (const [start, stop] of ranges) {
    if (stop <= end) continue;
    total += stop - Math.max(start, end);
    end = stop;
  }
  return total;
}
