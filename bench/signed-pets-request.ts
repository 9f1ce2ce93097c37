import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest as SmithyRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';

/**
 * The headers of the benches' SigV4 request, `GET /pets?limit=10&sort=name` to `host`, signed by
 * `@smithy/signature-v4` (the AWS SDK's signer) for `execute-api` in us-east-1.
 */
export async function signedPetsHeaders(
  credentials: { accessKeyId: string; secretAccessKey: string },
  host: string,
  date: Date,
): Promise<Record<string, string>> {
  const signer = new SignatureV4({
    credentials,
    region: 'us-east-1',
    service: 'execute-api',
    sha256: Sha256,
  });
  const request = new SmithyRequest({
    method: 'GET',
    protocol: 'http:',
    hostname: host.split(':')[0],
    path: '/pets',
    query: { limit: '10', sort: 'name' },
    headers: { host, accept: 'application/json', 'user-agent': 'bench/1.0' },
  });
  return (await signer.sign(request, { signingDate: date })).headers;
}
