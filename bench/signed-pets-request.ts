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

/** The benches' SigV4 caller: an IAM user whose one policy allows `GET /pets` of the bench API. */
export const BENCH_CALLER = {
  accessKeyId: 'AKIABENCH00000000001',
  secretAccessKey: 'bench-secret-key-00000000000000',
  principal: { arn: 'arn:aws:iam::111122223333:user/bench' },
  policies: [
    {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: 'execute-api:Invoke',
          Resource: 'arn:aws:execute-api:us-east-1:111122223333:petstore/prod/GET/pets',
        },
      ],
    },
  ],
};
