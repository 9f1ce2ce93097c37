import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { readFileSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { AwsIdentityProof, IDENTITY_PROOF_HEADER } from '../client/aws-identity-proof';
import type { CliIo } from './main';

const SIGN_USAGE = `usage: gateway-auth sign [options] URL
       gateway-auth curl [options] URL

Signs a request with AWS Signature Version 4 (the AWS SDK's signer, @smithy/signature-v4), like
awscurl. 'sign' prints the signed headers (or, with --presign, a presigned URL); 'curl' sends it and
prints the response body.

options:
  -X, --request METHOD       HTTP method (default GET, or POST with --data)
  -H, --header 'Name: value' extra header to send and sign (repeatable)
  -d, --data TEXT|@FILE      request body (signed)
      --region REGION        default $AWS_REGION, then $AWS_DEFAULT_REGION
      --service NAME         default execute-api
      --access-key-id ID     default $AWS_ACCESS_KEY_ID
      --secret-access-key K  default $AWS_SECRET_ACCESS_KEY (prefer the variable: flags show in ps)
      --session-token T      default $AWS_SESSION_TOKEN
      --presign              sign: print a presigned URL (query-string form) instead of headers
      --expires SECONDS      presigned URL lifetime (default 300)
  -i, --include              curl: print the status line and response headers first
      --aws-identity         curl: instead of signing the request, send an X-Gateway-Auth-Identity
                             proof (an sts:GetCallerIdentity request signed for --audience) made
                             with the AWS SDK's default credentials: the AWS_* variables when set,
                             else SSO/shared config, ECS container credentials, EC2 instance metadata
      --audience AUD         the API's audience for --aws-identity (default $GATEWAY_AUTH_AUDIENCE),
                             e.g. arn:aws:execute-api:us-east-1:111122223333:petstore
  -h, --help                 this text

exit codes: 0 success (curl: 2xx), 1 non-2xx response or network error, 2 usage error`;

interface SignArgs {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body?: string;
  region: string;
  service: string;
  /** `undefined` only with `--aws-identity` (the AWS SDK's default chain). */
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } | undefined;
  presign: boolean;
  expiresSeconds: number;
  include: boolean;
  /** `--aws-identity`: the proof's audience; the request is then not signed itself. */
  awsIdentity?: { audience: string };
}

/** A request after signing, as it goes on the wire. */
export interface WireRequest {
  method: string;
  url: string;
  /** Path plus `?query`, encoded exactly as signed. */
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/**
 * `gateway-auth sign`: prints the SigV4 headers of a request (`Name: value` lines) or, with
 * `--presign`, a presigned URL. Credentials come from the standard AWS environment variables or flags.
 * @returns the exit code (0 ok, 2 usage error).
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv.html
 */
export async function runSign(args: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseArgs(args, io, 'sign');
  if (typeof parsed === 'number') return parsed;
  const signed = await signRequest(parsed);
  if (parsed.presign) {
    io.out(signed.url);
    return 0;
  }
  for (const [name, value] of Object.entries(signed.headers)) io.out(`${name}: ${value}`);
  return 0;
}

/**
 * `gateway-auth curl`: signs and sends the request, prints the response body (and, with `-i`, the
 * status line and headers).
 * @returns 0 for a 2xx response, 1 otherwise, 2 on a usage error.
 */
export async function runCurl(args: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseArgs(args, io, 'curl');
  if (typeof parsed === 'number') return parsed;
  let signed: WireRequest;
  try {
    signed =
      parsed.awsIdentity === undefined
        ? await signRequest({ ...parsed, presign: false })
        : await withIdentityProof(parsed, parsed.awsIdentity.audience);
  } catch (error) {
    io.err(`curl: ${(error as Error).message}`);
    return 1;
  }
  let response: { status: number; headers: IncomingMessage['headers']; body: string };
  try {
    response = await sendRequest(parsed.url, signed);
  } catch (error) {
    io.err(`curl: ${(error as Error).message}`);
    return 1;
  }
  if (parsed.include) {
    io.out(`HTTP/1.1 ${response.status}`);
    for (const [name, value] of Object.entries(response.headers)) {
      io.out(`${name}: ${Array.isArray(value) ? value.join(', ') : String(value)}`);
    }
    io.out('');
  }
  io.out(response.body);
  return response.status >= 200 && response.status < 300 ? 0 : 1;
}

/**
 * The request unsigned, with an `X-Gateway-Auth-Identity` proof for `audience` made with the given
 * credentials or the AWS SDK's default chain (docs/iam-auth.md, "Identity proofs").
 */
async function withIdentityProof(args: SignArgs, audience: string): Promise<WireRequest> {
  const proof = new AwsIdentityProof({
    audience,
    region: args.region,
    ...(args.credentials === undefined ? {} : { credentials: args.credentials }),
  });
  const headers: Record<string, string> = { host: args.url.host };
  for (const [name, value] of Object.entries(args.headers)) headers[name.toLowerCase()] = value;
  headers[IDENTITY_PROOF_HEADER] = await proof.header();
  const path = `${args.url.pathname}${args.url.search}`;
  return {
    method: args.method,
    url: `${args.url.protocol}//${args.url.host}${path}`,
    path,
    headers,
    body: args.body,
  };
}

/** Signs `args` with `@smithy/signature-v4`; the returned path/query are encoded exactly as signed. */
export async function signRequest(args: SignArgs): Promise<WireRequest> {
  if (args.credentials === undefined) throw new Error('no credentials to sign with');
  const query: Record<string, string | string[]> = {};
  for (const [name, value] of args.url.searchParams) {
    const existing = query[name];
    if (existing === undefined) query[name] = value;
    else query[name] = Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  const headers: Record<string, string> = { host: args.url.host };
  for (const [name, value] of Object.entries(args.headers)) headers[name.toLowerCase()] = value;
  const request = new HttpRequest({
    method: args.method,
    protocol: args.url.protocol,
    hostname: args.url.hostname,
    port: args.url.port ? Number(args.url.port) : undefined,
    path: args.url.pathname,
    query,
    headers,
    body: args.body,
  });
  const signer = new SignatureV4({
    credentials: args.credentials,
    region: args.region,
    service: args.service,
    sha256: Sha256,
    applyChecksum: !args.presign,
  });
  const signed = (
    args.presign
      ? await signer.presign(request, { expiresIn: args.expiresSeconds })
      : await signer.sign(request)
  ) as HttpRequest;
  const queryText = buildQuery(signed.query as Record<string, string | string[]>);
  const path = queryText ? `${signed.path}?${queryText}` : signed.path;
  return {
    method: signed.method,
    url: `${args.url.protocol}//${args.url.host}${path}`,
    path,
    headers: signed.headers,
    body: args.body,
  };
}

function parseArgs(
  args: readonly string[],
  io: CliIo,
  command: 'sign' | 'curl',
): SignArgs | number {
  let method: string | undefined;
  const headers: Record<string, string> = {};
  let body: string | undefined;
  let region = io.env.AWS_REGION ?? io.env.AWS_DEFAULT_REGION;
  let service = 'execute-api';
  let accessKeyId = io.env.AWS_ACCESS_KEY_ID;
  let secretAccessKey = io.env.AWS_SECRET_ACCESS_KEY;
  let sessionToken = io.env.AWS_SESSION_TOKEN;
  let presign = false;
  let expiresSeconds = 300;
  let include = false;
  let awsIdentity = false;
  let audience = io.env.GATEWAY_AUTH_AUDIENCE;
  let url: string | undefined;
  const usage = (message: string): number => {
    io.err(`gateway-auth ${command}: ${message}\n\n${SIGN_USAGE}`);
    return 2;
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const next = (): string | undefined => args[++i];
    switch (arg) {
      case '-h':
      case '--help':
        io.out(SIGN_USAGE);
        return 0;
      case '-X':
      case '--request':
        method = next()?.toUpperCase();
        if (!method) return usage(`${arg} needs a method`);
        break;
      case '-H':
      case '--header': {
        const header = next();
        const colon = header?.indexOf(':') ?? -1;
        if (!header || colon < 1) return usage(`${arg} needs 'Name: value'`);
        headers[header.slice(0, colon).trim()] = header.slice(colon + 1).trim();
        break;
      }
      case '-d':
      case '--data': {
        const data = next();
        if (data === undefined) return usage(`${arg} needs a body or @file`);
        try {
          // eslint-disable-next-line security/detect-non-literal-fs-filename -- the user's own file
          body = data.startsWith('@') ? readFileSync(data.slice(1), 'utf8') : data;
        } catch {
          return usage(`cannot read ${data.slice(1)}`);
        }
        break;
      }
      case '--region':
        region = next();
        break;
      case '--service':
        service = next() ?? '';
        break;
      case '--access-key-id':
        accessKeyId = next();
        break;
      case '--secret-access-key':
        secretAccessKey = next();
        break;
      case '--session-token':
        sessionToken = next();
        break;
      case '--presign':
        if (command !== 'sign') return usage('--presign applies to sign only');
        presign = true;
        break;
      case '--expires': {
        expiresSeconds = Number(next());
        if (!Number.isInteger(expiresSeconds) || expiresSeconds < 1 || expiresSeconds > 604800) {
          return usage('--expires must be 1..604800 seconds');
        }
        break;
      }
      case '-i':
      case '--include':
        include = true;
        break;
      case '--aws-identity':
        if (command !== 'curl') return usage('--aws-identity applies to curl only');
        awsIdentity = true;
        break;
      case '--audience':
        audience = next();
        if (!audience) return usage('--audience needs a value');
        break;
      default:
        if (arg.startsWith('-')) return usage(`unknown option ${arg}`);
        if (url !== undefined) return usage('only one URL');
        url = arg;
    }
  }
  if (url === undefined) return usage('missing URL');
  let parsedUrl: URL;
  try {
    parsedUrl = new URL(url);
  } catch {
    return usage(`not a URL: ${url}`);
  }
  if (parsedUrl.protocol !== 'http:' && parsedUrl.protocol !== 'https:') {
    return usage('the URL must be http:// or https://');
  }
  if (!region) return usage('no region: set AWS_REGION or pass --region');
  if (!service) return usage('--service needs a name');
  if (awsIdentity && !audience) {
    return usage(
      "--aws-identity needs the API's audience: --audience or GATEWAY_AUTH_AUDIENCE (e.g. arn:aws:execute-api:us-east-1:111122223333:petstore)",
    );
  }
  const credentials =
    accessKeyId && secretAccessKey
      ? { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) }
      : undefined;
  if (credentials === undefined && !awsIdentity) {
    return usage(
      'no credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN), or pass --access-key-id/--secret-access-key',
    );
  }
  return {
    url: parsedUrl,
    method: method ?? (body === undefined ? 'GET' : 'POST'),
    headers,
    body,
    region,
    service,
    credentials,
    presign,
    expiresSeconds,
    include,
    ...(awsIdentity ? { awsIdentity: { audience: audience as string } } : {}),
  };
}

function sendRequest(
  url: URL,
  signed: WireRequest,
): Promise<{ status: number; headers: IncomingMessage['headers']; body: string }> {
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      {
        host: url.hostname,
        port: url.port || undefined,
        method: signed.method,
        path: signed.path,
        headers:
          signed.body === undefined
            ? signed.headers
            : { ...signed.headers, 'content-length': String(Buffer.byteLength(signed.body)) },
        timeout: 30_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out after 30 s')));
    req.on('error', reject);
    if (signed.body !== undefined) req.write(signed.body);
    req.end();
  });
}

function escapeUri(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function buildQuery(query: Record<string, string | string[]>): string {
  const parts: string[] = [];
  for (const [name, value] of Object.entries(query)) {
    for (const v of Array.isArray(value) ? value : [value])
      parts.push(`${escapeUri(name)}=${escapeUri(v)}`);
  }
  return parts.join('&');
}
