import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fixedClock } from '../clock';
import { silentLogger } from '../logger';
import { JwtRejection } from './jwt-rejection';
import { OidcDiscoveryKeySource } from './oidc-discovery-key-source';

describe('OidcDiscoveryKeySource (HJWT-02: keys from the issuer discovery document)', () => {
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'k1', alg: 'RS256', use: 'sig' };
  let server: Server;
  let base = '';
  let claimedIssuer: string | undefined;
  const hits: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      hits.push(req.url ?? '');
      if (req.url === '/issuer/.well-known/openid-configuration') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({ issuer: claimedIssuer ?? `${base}/issuer`, jwks_uri: `${base}/keys` }),
        );
      } else if (req.url === '/keys') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ keys: [jwk] }));
      } else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    hits.length = 0;
    claimedIssuer = undefined;
  });

  const source = (clock = fixedClock(1_000_000)) =>
    new OidcDiscoveryKeySource({
      issuer: `${base}/issuer`,
      algorithms: ['RS256'],
      clock,
      logger: silentLogger,
    });

  it('finds jwks_uri on the first token, then serves keys without discovering again', async () => {
    const keys = source();
    expect(keys.peekKey('k1')).toBeUndefined();
    expect((await keys.getKey('k1')).kid).toBe('k1');
    expect(keys.peekKey('k1')?.kid).toBe('k1');
    await keys.getKey('k1');
    expect(hits).toEqual(['/issuer/.well-known/openid-configuration', '/keys']);
    keys.close();
  });

  it('refuses a discovery document naming another issuer, and waits the refetch interval to retry', async () => {
    claimedIssuer = 'https://evil.example.com';
    const clock = fixedClock(1_000_000);
    const keys = source(clock);
    await expect(keys.getKey('k1')).rejects.toMatchObject({ code: 'JWKS_UNAVAILABLE' });
    await expect(keys.getKey('k1')).rejects.toBeInstanceOf(JwtRejection);
    expect(hits).toEqual(['/issuer/.well-known/openid-configuration']);
    claimedIssuer = undefined;
    clock.advance(10_000);
    expect((await keys.getKey('k1')).kid).toBe('k1');
    keys.close();
  });
});
