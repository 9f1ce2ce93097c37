// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IPAddress (OP-11)
import { IpBlocks, ipFamily, parseCidr } from './ip-address';

const inBlock = (cidr: string, ip: string): boolean => {
  const block = parseCidr(cidr);
  const inside = block === undefined ? undefined : new IpBlocks([block]).contains(ip);
  if (inside === undefined) throw new Error(`bad input ${cidr} ${ip}`);
  return inside;
};

describe('IP addresses and CIDR blocks (OP-11)', () => {
  it.each([
    ['203.0.113.0/24', '203.0.113.255', true],
    ['203.0.113.0/24', '203.0.114.0', false],
    ['203.0.113.7', '203.0.113.7', true],
    ['203.0.113.7', '203.0.113.8', false],
    ['10.0.0.0/8', '10.255.255.255', true],
    ['0.0.0.0/0', '198.51.100.1', true],
    ['192.168.0.0/13', '192.175.255.255', true],
    ['192.168.0.0/13', '192.176.0.0', false],
    ['2001:DB8:1234:5678::/64', '2001:db8:1234:5678:ffff::1', true],
    ['2001:DB8:1234:5678::/64', '2001:db8:1234:5679::', false],
    ['2001:db8::/32', '2001:0db8:0000:0000:0000:0000:0000:0001', true],
    ['::/0', '::1', true],
    ['::1', '::1', true],
    ['10.0.0.0/8', '::ffff:10.1.2.3', true],
    ['203.0.113.0/24', '2001:db8::1', false],
    ['::ffff:0:0/96', '1.2.3.4', true],
  ])('%s contains %s -> %s', (cidr, ip, expected) => {
    expect(inBlock(cidr, ip)).toBe(expected);
  });

  it.each([
    '256.0.0.1',
    '1.2.3',
    '01.2.3.4',
    '1.2.3.4.5',
    'x',
    '',
    '1::2::3',
    '1:2:3:4:5:6:7:8:9',
    '12345::',
    'fe80::1%eth0',
  ])('rejects the address %s', (ip) => expect(ipFamily(ip)).toBeUndefined());

  it.each(['10.0.0.0/33', '2001:db8::/129', '10.0.0.0/', '10.0.0.0/x', '10.0.0.0/8/8'])(
    'rejects the block %s',
    (cidr) => expect(parseCidr(cidr)).toBeUndefined(),
  );

  it('parses an IPv4 tail in IPv6', () => {
    expect(inBlock('::ffff:192.0.2.0/120', '::ffff:192.0.2.33')).toBe(true);
  });
});
