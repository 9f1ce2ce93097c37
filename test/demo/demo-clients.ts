import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The demo's SigV4 callers (apps/demo/config/iam-credentials.json). */
export interface DemoCaller {
  accessKeyId: string;
  secretAccessKey: string;
  arn: string;
}

const CREDENTIALS_FILE = join(
  __dirname,
  '..',
  '..',
  'apps',
  'demo',
  'config',
  'iam-credentials.json',
);

/** `admin` (admin API + DELETE /pets/{id}) and `reporting` (GET on the admin API only). */
export function demoCallers(): { admin: DemoCaller; reporting: DemoCaller; file: string } {
  const parsed = JSON.parse(readFileSync(CREDENTIALS_FILE, 'utf8')) as {
    credentials: Array<{
      accessKeyId: string;
      secretAccessKey: string;
      principal: { arn: string };
    }>;
  };
  const [admin, reporting] = parsed.credentials.map((c) => ({
    accessKeyId: c.accessKeyId,
    secretAccessKey: c.secretAccessKey,
    arn: c.principal.arn,
  }));
  if (!admin || !reporting) throw new Error('demo credentials file changed shape');
  return { admin, reporting, file: CREDENTIALS_FILE };
}

/**
 * The demo's environment for a local run on `platform` (a free port, a placeholder pool, the demo
 * callers), with `extra` variables on top.
 */
export function localDemoEnv(
  platform: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    PORT: '0',
    HOST: '127.0.0.1',
    HTTP_PLATFORM: platform,
    COGNITO_USER_POOL_ID: 'us-east-1_Demo12345',
    IAM_CREDENTIALS_FILE: CREDENTIALS_FILE,
    ...extra,
  };
}

/** What a test sends; `url` is the demo's base URL. */
export interface SignedRequestInput {
  baseUrl: string;
  method: string;
  path: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: string;
  caller: Pick<DemoCaller, 'accessKeyId' | 'secretAccessKey'>;
  region?: string;
}

/**
 * Signs a request with `@smithy/signature-v4` (the AWS SDK's signer: an independent oracle) for
 * `execute-api` and returns the headers to send, `host` included.
 */
export async function signWithSmithy(input: SignedRequestInput): Promise<Record<string, string>> {
  const url = new URL(input.baseUrl);
  const signer = new SignatureV4({
    credentials: {
      accessKeyId: input.caller.accessKeyId,
      secretAccessKey: input.caller.secretAccessKey,
    },
    region: input.region ?? 'us-east-1',
    service: 'execute-api',
    sha256: Sha256,
  });
  const request = new HttpRequest({
    method: input.method,
    protocol: url.protocol,
    hostname: url.hostname,
    port: Number(url.port),
    path: input.path,
    query: input.query ?? {},
    headers: { host: url.host, ...(input.headers ?? {}) },
    ...(input.body === undefined ? {} : { body: input.body }),
  });
  const signed = await signer.sign(request);
  return signed.headers;
}
