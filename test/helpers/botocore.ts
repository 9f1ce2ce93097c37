// Runs test/sigv4/botocore_client.py: requests signed by botocore (the AWS CLI's and boto3's SigV4
// signer) and sent by its own HTTP session. When no Python with botocore is found the suites are
// skipped, LOUDLY, as with redis-server; `.ci/run` installs python3-botocore.
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describeWhen } from './describe-when';

/** A Python interpreter that can import botocore, or undefined. */
export const pythonWithBotocore: string | undefined = ['python3', '/usr/bin/python3'].find(
  (python) => spawnSync(python, ['-c', 'import botocore'], { stdio: 'ignore' }).status === 0,
);

/** `describe` when botocore is available, else `describe.skip` after a loud warning. */
export function describeWithBotocore(name: string, body: () => void): void {
  describeWhen(
    pythonWithBotocore !== undefined,
    name,
    'no python3 with botocore',
    'apt-get install -y python3-botocore',
    body,
  );
}

export interface BotocoreRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: string;
  /** A binary body, base64-encoded (instead of `body`). */
  bodyBase64?: string;
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  region: string;
  /** Presign with `SigV4QueryAuth` (`X-Amz-Expires` in seconds) instead of signing the header. */
  presign?: number;
  /** Applied to the prepared request after signing: what was signed is then tampered with. */
  after?: { url?: string; body?: string; bodyBase64?: string; headers?: Record<string, string> };
}

export interface BotocoreResult {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** The URL as sent (a presigned one carries the X-Amz-* parameters). */
  url: string;
}

/** Signs and sends `requests` in one Python process; results in the same order. */
export async function sendWithBotocore(requests: BotocoreRequest[]): Promise<BotocoreResult[]> {
  const python = pythonWithBotocore;
  if (!python) throw new Error('no python3 with botocore');
  const child = spawn(python, [join(__dirname, '..', 'sigv4', 'botocore_client.py')], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  child.stdin.end(JSON.stringify({ requests }));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`botocore_client.py exited with ${code}: ${err}`);
  return JSON.parse(out) as BotocoreResult[];
}
