import { BlockList, isIP } from 'node:net';

/**
 * Which peers may speak for the client through `X-Forwarded-For` / `X-Forwarded-Proto`. Without a
 * trusted proxy list the socket peer is the caller, so `aws:SourceIp` cannot be forged (DESIGN §3).
 */
export interface TrustedProxies {
  /** True when `ip` is a trusted proxy. */
  contains(ip: string): boolean;
}

/**
 * Builds a trusted-proxy set from addresses and CIDR blocks (IPv4 and IPv6), e.g. the ALB's subnets
 * `['10.0.0.0/16']`. `true` trusts every hop (only for a service reachable solely through the ALB).
 * @throws Error naming the entry when one is not an address or CIDR block.
 */
export function createTrustedProxies(
  entries: readonly string[] | boolean | undefined,
): TrustedProxies {
  if (entries === true) return { contains: () => true };
  if (!entries || entries.length === 0) return { contains: () => false };
  const list = new BlockList();
  for (const entry of entries) {
    const [address, prefixText] = entry.trim().split('/');
    const family = address ? isIP(address) : 0;
    if (!address || family === 0) {
      throw new Error(
        `trustedProxies: "${entry}" is not an IP address or CIDR block (e.g. 10.0.0.0/16)`,
      );
    }
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (prefixText === undefined) {
      list.addAddress(address, type);
      continue;
    }
    const prefix = Number(prefixText);
    if (!/^\d+$/.test(prefixText) || prefix > (family === 4 ? 32 : 128)) {
      throw new Error(`trustedProxies: "${entry}" has an invalid prefix length`);
    }
    list.addSubnet(address, prefix, type);
  }
  return {
    contains(ip) {
      const normalized = stripV4Mapped(ip);
      const family = isIP(normalized);
      if (family === 0) return false;
      return list.check(normalized, family === 4 ? 'ipv4' : 'ipv6');
    },
  };
}

/** An `X-Forwarded-*` value as received: one line, or every line of a repeated header in order. */
export type ForwardedHeaderValue = string | readonly string[] | undefined;

/**
 * The caller's address: walk `X-Forwarded-For` from the right while the hop that added the entry is
 * trusted; the first untrusted address is the client. Without trusted proxies, the socket peer.
 *
 * A header sent on several lines is one list, the lines in arrival order (RFC 9110 §5.3): a client's
 * own `X-Forwarded-For: 10.1.2.3` line followed by the proxy's `X-Forwarded-For: 8.8.8.8` line are
 * the hops `10.1.2.3, 8.8.8.8`, whose right-most untrusted hop is `8.8.8.8`. Reading only the first
 * line would let the client choose `aws:SourceIp`.
 * @param forwardedFor the header's value or lines, or a function reading them (called only when the
 *   peer is trusted).
 */
export function resolveSourceIp(
  socketIp: string | undefined,
  forwardedFor: ForwardedHeaderValue | (() => ForwardedHeaderValue),
  trusted: TrustedProxies,
): string {
  const current = stripV4Mapped(socketIp ?? '');
  if (!forwardedFor || !trusted.contains(current)) return current;
  const value = typeof forwardedFor === 'function' ? forwardedFor() : forwardedFor;
  if (!value) return current;
  return walkForwardedFor(current, typeof value === 'string' ? value : value.join(','), trusted);
}

/**
 * Whether a trusted peer reports that the client connected over TLS: the last `X-Forwarded-Proto`
 * entry, every line read (the one the nearest proxy added; a client's own earlier entry is not
 * believed).
 */
export function forwardedProtoIsHttps(value: ForwardedHeaderValue): boolean {
  if (value === undefined) return false;
  const text = typeof value === 'string' ? value : (value[value.length - 1] ?? '');
  const comma = text.lastIndexOf(',');
  return (
    text
      .slice(comma + 1)
      .trim()
      .toLowerCase() === 'https'
  );
}

function walkForwardedFor(peer: string, forwardedFor: string, trusted: TrustedProxies): string {
  let current = peer;
  const hops = forwardedFor
    .split(',')
    .map((h) => stripV4Mapped(h.trim()))
    .filter((h) => h.length > 0);
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i] as string;
    if (isIP(hop) === 0) return current;
    current = hop;
    if (!trusted.contains(hop)) return hop;
  }
  return current;
}

/** `::ffff:1.2.3.4` -> `1.2.3.4`; `fe80::1%eth0` -> `fe80::1` (the zone id is local, not an address). */
export function stripV4Mapped(ip: string): string {
  const zone = ip.indexOf('%');
  const address = zone !== -1 && ip.includes(':') ? ip.slice(0, zone) : ip;
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}
