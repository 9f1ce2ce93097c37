/**
 * IPv4/IPv6 addresses and CIDR blocks for `IpAddress`/`NotIpAddress`. Every address is held as 16
 * bytes (IPv4 as `::ffff:a.b.c.d`), so an IPv4-mapped IPv6 caller matches an IPv4 block.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IPAddress
 */

/** A parsed CIDR block (a bare address is a /32 or /128). */
export interface CidrBlock {
  readonly bytes: Uint8Array;
  readonly prefixBits: number;
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function parseIpv4(text: string, out: Uint8Array, at: number): boolean {
  const m = IPV4.exec(text);
  if (m === null) return false;
  for (let k = 0; k < 4; k++) {
    const part = m[k + 1] as string;
    if (part.length > 1 && part.startsWith('0')) return false;
    const n = Number(part);
    if (n > 255) return false;
    out[at + k] = n;
  }
  return true;
}

function parseIpv6(text: string): Uint8Array | undefined {
  if (text.length > 45) return undefined;
  const out = new Uint8Array(16);
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (s: string): string[] => (s === '' ? [] : s.split(':'));
  const head = groups(halves[0] as string);
  const tail = halves.length === 2 ? groups(halves[1] as string) : [];
  const words: number[] = [];
  const parseGroups = (list: string[], allowV4Last: boolean): number[] | undefined => {
    const res: number[] = [];
    for (let k = 0; k < list.length; k++) {
      const g = list[k] as string;
      if (allowV4Last && k === list.length - 1 && g.includes('.')) {
        const v4 = new Uint8Array(4);
        if (!parseIpv4(g, v4, 0)) return undefined;
        res.push(((v4[0] as number) << 8) | (v4[1] as number));
        res.push(((v4[2] as number) << 8) | (v4[3] as number));
        continue;
      }
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      res.push(parseInt(g, 16));
    }
    return res;
  };
  const h = parseGroups(head, halves.length === 1);
  const t = parseGroups(tail, true);
  if (h === undefined || t === undefined) return undefined;
  if (halves.length === 1) {
    if (h.length !== 8) return undefined;
    words.push(...h);
  } else {
    if (h.length + t.length > 7) return undefined;
    words.push(...h, ...new Array<number>(8 - h.length - t.length).fill(0), ...t);
  }
  words.forEach((w, k) => {
    out[2 * k] = w >> 8;
    out[2 * k + 1] = w & 0xff;
  });
  return out;
}

/** Parses an IPv4 or IPv6 address into 16 bytes; `undefined` when it is not one. */
export function parseIpAddress(text: string): Uint8Array | undefined {
  if (text.includes(':')) return parseIpv6(text);
  const out = new Uint8Array(16);
  out[10] = 0xff;
  out[11] = 0xff;
  return parseIpv4(text, out, 12) ? out : undefined;
}

/** Parses `a.b.c.d/n`, `x::y/n` or a bare address; `undefined` when invalid. */
export function parseCidr(text: string): CidrBlock | undefined {
  const slash = text.indexOf('/');
  const address = slash < 0 ? text : text.slice(0, slash);
  const bytes = parseIpAddress(address);
  if (bytes === undefined) return undefined;
  const v4 = !address.includes(':');
  const max = v4 ? 32 : 128;
  let bits = max;
  if (slash >= 0) {
    const suffix = text.slice(slash + 1);
    if (!/^\d{1,3}$/.test(suffix)) return undefined;
    bits = Number(suffix);
    if (bits > max) return undefined;
  }
  return { bytes, prefixBits: v4 ? bits + 96 : bits };
}

/** Whether `address` (16 bytes) lies inside `block`. */
export function cidrContains(block: CidrBlock, address: Uint8Array): boolean {
  const full = block.prefixBits >> 3;
  for (let k = 0; k < full; k++) if (block.bytes[k] !== address[k]) return false;
  const rest = block.prefixBits & 7;
  if (rest === 0) return true;
  const maskByte = (0xff << (8 - rest)) & 0xff;
  return (((block.bytes[full] as number) ^ (address[full] as number)) & maskByte) === 0;
}
