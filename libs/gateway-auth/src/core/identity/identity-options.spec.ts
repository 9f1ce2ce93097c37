import { ConfigError } from '../errors';
import { GatewayAuth, type GatewayAuthOptions } from '../gateway-auth';
import { silentLogger } from '../logger';

const API = { region: 'us-east-1', accountId: '111122223333', apiId: 'petstore', stage: 'prod' };

function pathsOf(iam: unknown): string[] {
  try {
    new GatewayAuth({ api: API, iam, logger: silentLogger } as GatewayAuthOptions);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).issues.map((i) => i.path);
  }
  throw new Error('expected a ConfigError');
}

describe('iam options of the identity sources, validated at boot', () => {
  it('needs one way in', () => {
    expect(pathsOf({})).toEqual(['iam.credentials']);
  });

  it('names each invalid identity-proof option', () => {
    expect(
      pathsOf({
        identityProofs: {
          audience: 'has space',
          regions: ['mars'],
          maxAgeSeconds: 3600,
          timeoutMs: 0,
          stsEndpoint: 'ftp://sts',
        },
      }),
    ).toEqual([
      'iam.identityProofs.audience',
      'iam.identityProofs.regions[0]',
      'iam.identityProofs.maxAgeSeconds',
      'iam.identityProofs.timeoutMs',
      'iam.identityProofs.stsEndpoint',
    ]);
  });

  it('names each invalid policy-reader option', () => {
    expect(
      pathsOf({
        identityProofs: true,
        identityPolicies: {
          readerRoles: {
            '444455556666': 'arn:aws:iam::999999999999:role/reader',
            notAnAccount: 'arn:aws:iam::444455556666:role/reader',
          },
          unreadableIdentityPolicies: 'allow',
        },
      }),
    ).toEqual([
      'iam.identityPolicies.readerRoles.444455556666',
      'iam.identityPolicies.readerRoles.notAnAccount',
      'iam.identityPolicies.unreadableIdentityPolicies',
    ]);
  });

  it('names each invalid Lattice option', () => {
    expect(pathsOf({ lattice: { trustedPeers: [] } })).toEqual([
      'iam.lattice.trustedPeers',
      'iam.lattice.serviceArns',
    ]);
    expect(
      pathsOf({ lattice: { trustedPeers: ['lattice'], serviceArns: ['arn:aws:s3:::bucket'] } }),
    ).toEqual(['iam.lattice.trustedPeers', 'iam.lattice.serviceArns[0]']);
  });
});
