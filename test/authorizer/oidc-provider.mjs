// A real third-party OpenID provider for the Lambda-authorizer e2e: `oidc-provider` (panva, an
// OpenID Certified implementation; ESM-only, hence this child process). It issues RS256 JWT access
// tokens through the client_credentials grant for the resource `https://pets.example.com`.
// Prints `READY <issuer>` on stdout when listening; exits on SIGTERM or when stdin closes.
import { createServer } from 'node:http';
import { generateKeyPair, exportJWK } from 'jose';
import Provider from 'oidc-provider';

const AUDIENCE = 'https://pets.example.com';

const server = createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const { privateKey } = await generateKeyPair('RS256', { extractable: true });
const jwk = { ...(await exportJWK(privateKey)), kid: 'test-key-1', alg: 'RS256', use: 'sig' };

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: 'pets-client',
      client_secret: 'pets-client-secret',
      grant_types: ['client_credentials'],
      redirect_uris: [],
      response_types: [],
      scope: 'pets:read pets:write',
    },
    {
      client_id: 'readonly-client',
      client_secret: 'readonly-client-secret',
      grant_types: ['client_credentials'],
      redirect_uris: [],
      response_types: [],
      scope: 'pets:read',
    },
  ],
  scopes: ['pets:read', 'pets:write'],
  jwks: { keys: [jwk] },
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => AUDIENCE,
      useGrantedResource: () => true,
      getResourceServerInfo: (_ctx, resourceIndicator) => {
        if (resourceIndicator !== AUDIENCE) throw new Error('unknown resource');
        return {
          scope: 'pets:read pets:write',
          audience: AUDIENCE,
          accessTokenTTL: 300,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'RS256' } },
        };
      },
    },
  },
});
provider.on('server_error', (_ctx, error) => process.stderr.write(`oidc-provider: ${error}\n`));
server.on('request', provider.callback());

const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.stdin.on('close', stop);
process.stdin.resume();
process.stdout.write(`READY ${issuer}\n`);
