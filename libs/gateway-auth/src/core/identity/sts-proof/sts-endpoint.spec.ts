import { partitionOf, stsEndpointOverride, stsHost } from './sts-endpoint';

describe('STS endpoints of identity proofs', () => {
  it.each([
    ['us-east-1', 'sts.us-east-1.amazonaws.com', 'aws'],
    ['eu-central-2', 'sts.eu-central-2.amazonaws.com', 'aws'],
    ['cn-north-1', 'sts.cn-north-1.amazonaws.com.cn', 'aws-cn'],
    ['us-gov-west-1', 'sts.us-gov-west-1.amazonaws.com', 'aws-us-gov'],
  ])('%s: the host callers sign, the partition ARNs must name', (region, host, partition) => {
    expect(stsHost(region)).toBe(host);
    expect(partitionOf(region).name).toBe(partition);
  });

  it('takes the option, then AWS_ENDPOINT_URL_STS, then AWS_ENDPOINT_URL (the SDK order)', () => {
    const env = { AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:4566', AWS_ENDPOINT_URL: 'http://other' };
    expect(stsEndpointOverride('https://vpce.example', env)?.href).toBe('https://vpce.example/');
    expect(stsEndpointOverride(undefined, env)?.href).toBe('http://127.0.0.1:4566/');
    expect(stsEndpointOverride(undefined, { AWS_ENDPOINT_URL: 'http://other:1' })?.host).toBe(
      'other:1',
    );
    expect(stsEndpointOverride(undefined, { AWS_ENDPOINT_URL_STS: ' ' })).toBeUndefined();
  });

  it.each(['ftp://x', 'not a url', 'https://user:pw@x', 'https://x/path', 'https://x/?q=1'])(
    'refuses %s',
    (text) => {
      expect(() => stsEndpointOverride(text, {})).toThrow();
    },
  );
});
