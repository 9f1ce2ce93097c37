import { createTrustedProxies, forwardedProtoIsHttps, resolveSourceIp } from './source-ip';

describe('source IP through trusted proxies (IMPL-03)', () => {
  const alb = createTrustedProxies(['10.0.0.0/16', 'fd00::/8']);
  it('ignores X-Forwarded-For from an untrusted peer', () => {
    expect(resolveSourceIp('203.0.113.9', '1.2.3.4', alb)).toBe('203.0.113.9');
  });
  it('takes the last untrusted hop through a trusted proxy', () => {
    expect(resolveSourceIp('10.0.1.5', '6.6.6.6, 198.51.100.7', alb)).toBe('198.51.100.7');
    expect(resolveSourceIp('::ffff:10.0.1.5', '198.51.100.7, 10.0.2.2', alb)).toBe('198.51.100.7');
  });
  it('handles IPv6 proxies and clients', () => {
    expect(resolveSourceIp('fd00::1', '2001:db8::5', alb)).toBe('2001:db8::5');
  });
  it('drops IPv6 zone ids so policies can parse the address', () => {
    expect(resolveSourceIp('fe80::1%eth0', undefined, alb)).toBe('fe80::1');
    expect(resolveSourceIp('10.0.1.5', 'fe80::2%25eth1, 198.51.100.7', alb)).toBe('198.51.100.7');
  });
  it('reads a lazily given X-Forwarded-For only when the peer is a trusted proxy', () => {
    const read = jest.fn(() => '198.51.100.7');
    expect(resolveSourceIp('203.0.113.9', read, alb)).toBe('203.0.113.9');
    expect(read).not.toHaveBeenCalled();
    expect(resolveSourceIp('10.0.1.5', read, alb)).toBe('198.51.100.7');
    expect(read).toHaveBeenCalledTimes(1);
    expect(resolveSourceIp('10.0.1.5', () => undefined, alb)).toBe('10.0.1.5');
  });
  it('reads every X-Forwarded-For line as one list, in order (RFC 9110 §5.3)', () => {
    // The client's own line first, the proxy's line after it: the proxy's hop is the caller.
    expect(resolveSourceIp('10.0.1.5', ['10.1.2.3', '8.8.8.8'], alb)).toBe('8.8.8.8');
    expect(resolveSourceIp('10.0.1.5', () => ['10.1.2.3', '8.8.8.8'], alb)).toBe('8.8.8.8');
    // The same hops on one line, and lines holding several hops each.
    expect(resolveSourceIp('10.0.1.5', '10.1.2.3, 8.8.8.8', alb)).toBe('8.8.8.8');
    expect(resolveSourceIp('10.0.1.5', ['1.1.1.1, 10.1.2.3', '8.8.8.8, 10.0.3.3'], alb)).toBe(
      '8.8.8.8',
    );
    expect(resolveSourceIp('10.0.1.5', [], alb)).toBe('10.0.1.5');
    // Still only through a trusted peer.
    expect(resolveSourceIp('203.0.113.9', ['10.1.2.3', '8.8.8.8'], alb)).toBe('203.0.113.9');
  });
  it('believes the X-Forwarded-Proto entry the nearest proxy added: the last, every line read', () => {
    expect(forwardedProtoIsHttps('https')).toBe(true);
    expect(forwardedProtoIsHttps(' HTTPS ')).toBe(true);
    expect(forwardedProtoIsHttps(undefined)).toBe(false);
    // A client's own `https` before the proxy's `http` is not believed, on one line or two.
    expect(forwardedProtoIsHttps('https, http')).toBe(false);
    expect(forwardedProtoIsHttps(['https', 'http'])).toBe(false);
    expect(forwardedProtoIsHttps(['http', 'https'])).toBe(true);
    expect(forwardedProtoIsHttps([])).toBe(false);
  });
  it('stops at garbage entries', () => {
    expect(resolveSourceIp('10.0.1.5', 'not-an-ip', alb)).toBe('10.0.1.5');
  });
  it('rejects bad configuration with the entry named', () => {
    expect(() => createTrustedProxies(['10.0.0.0/99'])).toThrow(/10.0.0.0\/99/);
    expect(() => createTrustedProxies(['alb'])).toThrow(/"alb"/);
  });
});
