// The callers' helpers of 'api-gateway-auth/client' (issue 13): awsIdentityPlugin() on a real AWS
// SDK v3 client adds the proof to every request it sends; the proof decodes to the wire contract.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { IAMClient, ListRolesCommand } from '@aws-sdk/client-iam';
import { awsIdentityPlugin } from '../../libs/gateway-auth/src/client';

const CREDENTIALS = {
  accessKeyId: 'ASIAPLUGIN0000000001',
  secretAccessKey: 'plugin-secret-key-000000000000000000000',
  sessionToken: 'IQoJb3JpZ2luX2VjEPluginToken==',
};

describe('awsIdentityPlugin()', () => {
  let server: Server;
  const seen: IncomingHttpHeaders[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push(req.headers);
      res.writeHead(500, { 'content-type': 'text/xml' });
      res.end('<ErrorResponse><Error><Code>InternalFailure</Code></Error></ErrorResponse>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it("adds X-Gateway-Auth-Identity to an SDK client's requests", async () => {
    const { port } = server.address() as { port: number };
    const client = new IAMClient({
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${port}`,
      credentials: { accessKeyId: 'AKIAOTHER00000000001', secretAccessKey: 'x'.repeat(40) },
      maxAttempts: 1,
    });
    client.middlewareStack.use(
      awsIdentityPlugin({
        audience: 'arn:aws:execute-api:us-east-1:111122223333:petstore',
        region: 'us-east-1',
        credentials: CREDENTIALS,
      }),
    );
    await expect(client.send(new ListRolesCommand({}))).rejects.toThrow();
    client.destroy();
    const header = seen[0]?.['x-gateway-auth-identity'];
    expect(typeof header).toBe('string');
    const fields = JSON.parse(
      Buffer.from(header as string, 'base64url').toString('utf8'),
    ) as Record<string, unknown>;
    expect(Object.keys(fields).sort()).toEqual(['authorization', 'date', 'region', 'token', 'v']);
    expect(fields).toMatchObject({ v: 1, region: 'us-east-1', token: CREDENTIALS.sessionToken });
    expect(fields.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=ASIAPLUGIN0000000001\/\d{8}\/us-east-1\/sts\/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-gateway-auth-audience, Signature=[0-9a-f]{64}$/,
    );
  });
});
