import { createTrustedProxies, resolveSourceIp } from './source-ip';

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
  it('stops at garbage entries', () => {
    expect(resolveSourceIp('10.0.1.5', 'not-an-ip', alb)).toBe('10.0.1.5');
  });
  it('rejects bad configuration with the entry named', () => {
    expect(() => createTrustedProxies(['10.0.0.0/99'])).toThrow(/10.0.0.0\/99/);
    expect(() => createTrustedProxies(['alb'])).toThrow(/"alb"/);
  });
});
