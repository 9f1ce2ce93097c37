// Test helpers: sign requests with two independent real signers, @smithy/signature-v4 (the AWS
// SDK's) and aws4, for a server at http://127.0.0.1:<port>.
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import aws4 from 'aws4';

export interface TestCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface RequestToSign {
  method: string;
  /** Host header value, e.g. `127.0.0.1:3000`. */
  host: string;
  /** Path as sent on the wire (already percent-encoded where needed). */
  path: string;
  /** Decoded query; arrays repeat the name. */
  query?: Record<string, string | string[]>;
  headers?: Record<string, string>;
  /** Text, or bytes (a binary body). */
  body?: string | Buffer;
  date: Date;
  region?: string;
  service?: string;
}

export interface SignedRequest {
  method: string;
  /** Path plus `?query` as it goes on the wire. */
  url: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

/** SigV4 query encoding (RFC 3986 unreserved kept), as smithy's query builder does. */
export function escapeUri(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** Builds the wire query string from a decoded query object. */
export function buildQuery(query: Record<string, string | string[]> | undefined): string {
  if (!query) return '';
  const parts: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    for (const v of Array.isArray(value) ? value : [value])
      parts.push(`${escapeUri(key)}=${escapeUri(v)}`);
  }
  return parts.join('&');
}

function toSmithy(input: RequestToSign): HttpRequest {
  const [hostname, port] = input.host.split(':');
  return new HttpRequest({
    method: input.method,
    protocol: 'http:',
    hostname,
    port: port ? Number(port) : undefined,
    path: input.path,
    query: input.query ?? {},
    headers: { host: input.host, ...(input.headers ?? {}) },
    body: input.body,
  });
}

function fromSmithy(signed: HttpRequest, body: string | Buffer | undefined): SignedRequest {
  const query = buildQuery(signed.query as Record<string, string | string[]>);
  const headers = { ...(signed.headers as Record<string, string>) };
  return {
    method: signed.method,
    url: query ? `${signed.path}?${query}` : signed.path,
    headers,
    body,
  };
}

/** Signs into the Authorization header with `@smithy/signature-v4` (adds x-amz-content-sha256). */
export async function signWithSmithy(
  input: RequestToSign,
  credentials: TestCredentials,
): Promise<SignedRequest> {
  const signer = new SignatureV4({
    credentials,
    region: input.region ?? 'us-east-1',
    service: input.service ?? 'execute-api',
    sha256: Sha256,
  });
  const signed = (await signer.sign(toSmithy(input), { signingDate: input.date })) as HttpRequest;
  return fromSmithy(signed, input.body);
}

/** Presigns (query form) with `@smithy/signature-v4`. */
export async function presignWithSmithy(
  input: RequestToSign,
  credentials: TestCredentials,
  expiresIn = 300,
): Promise<SignedRequest> {
  const signer = new SignatureV4({
    credentials,
    region: input.region ?? 'us-east-1',
    service: input.service ?? 'execute-api',
    sha256: Sha256,
    applyChecksum: false,
  });
  const signed = (await signer.presign(toSmithy(input), {
    signingDate: input.date,
    expiresIn,
  })) as HttpRequest;
  return fromSmithy(signed, input.body);
}

/** Signs into the Authorization header with `aws4`. */
export function signWithAws4(input: RequestToSign, credentials: TestCredentials): SignedRequest {
  const query = buildQuery(input.query);
  const amzDate = input.date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  const options = aws4.sign(
    {
      host: input.host,
      method: input.method,
      path: query ? `${input.path}?${query}` : input.path,
      headers: { Host: input.host, 'X-Amz-Date': amzDate, ...(input.headers ?? {}) },
      body: input.body,
      service: input.service ?? 'execute-api',
      region: input.region ?? 'us-east-1',
    },
    credentials,
  );
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(options.headers ?? {})) headers[k] = String(v);
  return { method: input.method, url: options.path as string, headers, body: input.body };
}
