import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { HttpRequest as SmithyHttpRequest } from '@smithy/protocol-http';
import type { SignatureV4 as SmithySignatureV4 } from '@smithy/signature-v4';
import { Option } from 'commander';
import { integerIn, namedValues } from './cli-arguments';
import { loadOptionalDependency } from '../core/optional-dependency';
import { AwsIdentityProof, IDENTITY_PROOF_HEADER } from '../client/aws-identity-proof';
import { NodeSha256 } from '../client/node-sha256';
import { UsageError } from './cli-io';
import type { CliContext } from './cli-context';

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
 * @returns the exit code (0 ok)
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv.html
 */
async function sign(url: string | undefined, flags: SignFlags, cli: CliContext): Promise<number> {
  const args = await signArgs(url, flags, cli, 'sign');
  const signed = await signRequest(args);
  if (args.presign) {
    cli.io.out(signed.url);
    return 0;
  }
  for (const [name, value] of Object.entries(signed.headers)) cli.io.out(`${name}: ${value}`);
  return 0;
}

/**
 * `gateway-auth curl`: signs and sends the request, prints the response body (and, with `-i`, the
 * status line and headers).
 * @returns 0 for a 2xx response, 1 otherwise
 */
async function curl(url: string | undefined, flags: SignFlags, cli: CliContext): Promise<number> {
  const { io } = cli;
  const args = await signArgs(url, flags, cli, 'curl');
  let signed: WireRequest;
  try {
    signed =
      args.awsIdentity === undefined
        ? await signRequest(args)
        : await withIdentityProof(args, args.awsIdentity.audience);
  } catch (error) {
    io.err(`curl: ${(error as Error).message}`);
    return 1;
  }
  let response: { status: number; headers: IncomingMessage['headers']; body: string };
  try {
    response = await sendRequest(args.url, signed);
  } catch (error) {
    io.err(`curl: ${(error as Error).message}`);
    return 1;
  }
  if (args.include) {
    io.out(`HTTP/1.1 ${response.status}`);
    for (const [name, value] of Object.entries(response.headers)) {
      io.out(`${name}: ${Array.isArray(value) ? value.join(', ') : String(value)}`);
    }
    io.out('');
  }
  io.out(response.body);
  return response.status >= 200 && response.status < 300 ? 0 : 1;
}

/** `sign`'s and `curl`'s flags, as commander parses them. */
interface SignFlags {
  request?: string;
  /** `-H 'Name: value'`, collected. */
  header?: Record<string, string>;
  data?: string;
  region?: string;
  service: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  sessionToken?: string;
  presign?: boolean;
  expires: number;
  include?: boolean;
  awsIdentity?: boolean;
  audience?: string;
}

/** `gateway-auth sign` and `gateway-auth curl`: SigV4 by hand, like awscurl. */
export function signCommands(cli: CliContext): void {
  for (const name of ['sign', 'curl'] as const) {
    const command = cli.command(name);
    command
      .description(
        name === 'sign'
          ? "print a SigV4-signed request's headers (or, with --presign, a presigned URL)"
          : 'sign a request with SigV4 and send it, like awscurl; prints the response body',
      )
      .argument('[url]', 'http:// or https:// URL')
      .option('-X, --request <method>', 'HTTP method (default GET, or POST with --data)')
      .option(
        '-H, --header <header>',
        "extra header to send and sign, 'Name: value' (repeatable)",
        namedValues(':', "'Name: value'", true),
      )
      .option(
        '-d, --data <body>',
        'request body (signed): TEXT, @FILE or file://PATH, @- or - for standard input',
      )
      .option('--region <region>', 'default $AWS_REGION, then $AWS_DEFAULT_REGION')
      .option('--service <name>', 'signing service', 'execute-api')
      .option('--access-key-id <id>', 'default $AWS_ACCESS_KEY_ID')
      .option(
        '--secret-access-key <key>',
        'default $AWS_SECRET_ACCESS_KEY (prefer the variable: flags show in ps)',
      )
      .option('--session-token <token>', 'default $AWS_SESSION_TOKEN')
      .option('--presign', 'sign: print a presigned URL (query-string form) instead of headers')
      .addOption(
        new Option('--expires <seconds>', 'presigned URL lifetime, 1..604800')
          .default(300)
          .argParser(integerIn(1, 604800)),
      )
      .option('-i, --include', 'curl: print the status line and response headers first')
      .option(
        '--aws-identity',
        'curl: send an X-Gateway-Auth-Identity proof (sts:GetCallerIdentity signed for --audience) instead of signing the request; credentials from the AWS_* variables, else the AWS SDK default chain (SSO, ECS, EC2)',
      )
      .option(
        '--audience <audience>',
        'the API audience for --aws-identity (default $GATEWAY_AUTH_AUDIENCE)',
      )
      .addHelpText(
        'after',
        '\nexit codes: 0 success (curl: 2xx), 1 non-2xx response or network error, 2 usage error',
      )
      .action((url: string | undefined, flags: SignFlags) =>
        cli.run(command, () => (name === 'sign' ? sign(url, flags, cli) : curl(url, flags, cli))),
      );
  }
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
  if (args.credentials === undefined) throw new UsageError('no credentials to sign with');
  const query: Record<string, string | string[]> = {};
  for (const [name, value] of args.url.searchParams) {
    const existing = query[name];
    if (existing === undefined) query[name] = value;
    else query[name] = Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  const headers: Record<string, string> = { host: args.url.host };
  for (const [name, value] of Object.entries(args.headers)) headers[name.toLowerCase()] = value;
  const { HttpRequest } = loadOptionalDependency<{ HttpRequest: typeof SmithyHttpRequest }>(
    '@smithy/protocol-http',
    'gateway-auth sign/curl',
  );
  const { SignatureV4 } = loadOptionalDependency<{ SignatureV4: typeof SmithySignatureV4 }>(
    '@smithy/signature-v4',
    'gateway-auth sign/curl',
  );
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
    sha256: NodeSha256,
    applyChecksum: !args.presign,
  });
  const signed = (
    args.presign
      ? await signer.presign(request, { expiresIn: args.expiresSeconds })
      : await signer.sign(request)
  ) as SmithyHttpRequest;
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

/** Checks and completes the flags (environment defaults); reads the body. */
async function signArgs(
  url: string | undefined,
  flags: SignFlags,
  cli: CliContext,
  command: 'sign' | 'curl',
): Promise<SignArgs> {
  const { env } = cli.io;
  if (flags.presign && command !== 'sign') throw new UsageError('--presign applies to sign only');
  if (flags.awsIdentity && command !== 'curl') {
    throw new UsageError('--aws-identity applies to curl only');
  }
  const audience = flags.audience ?? env.GATEWAY_AUTH_AUDIENCE;
  if (flags.awsIdentity && !audience) {
    throw new UsageError(
      "--aws-identity needs the API's audience: --audience or GATEWAY_AUTH_AUDIENCE (e.g. arn:aws:execute-api:us-east-1:111122223333:petstore)",
    );
  }
  if (url === undefined) throw new UsageError('missing URL');
  let parsedUrl: URL;
  try {
    parsedUrl = new URL(url);
  } catch {
    throw new UsageError(`not a URL: ${url}`);
  }
  if (parsedUrl.protocol !== 'http:' && parsedUrl.protocol !== 'https:') {
    throw new UsageError('the URL must be http:// or https://');
  }
  const region = flags.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (!region) throw new UsageError('no region: set AWS_REGION or pass --region');
  if (!flags.service) throw new UsageError('--service needs a name');
  const accessKeyId = flags.accessKeyId ?? env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = flags.secretAccessKey ?? env.AWS_SECRET_ACCESS_KEY;
  const sessionToken = flags.sessionToken ?? env.AWS_SESSION_TOKEN;
  if ((!accessKeyId || !secretAccessKey) && !flags.awsIdentity) {
    throw new UsageError(
      'no credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN), or pass --access-key-id/--secret-access-key',
    );
  }
  // curl's @FILE and @- as well as the aws CLI's file://PATH and -.
  const data = flags.data;
  const body =
    data === undefined
      ? undefined
      : await cli.input.read(data.startsWith('@') ? toInputSpec(data.slice(1)) : data, '--data');
  return {
    url: parsedUrl,
    method: flags.request?.toUpperCase() ?? (body === undefined ? 'GET' : 'POST'),
    headers: flags.header ?? {},
    body,
    region,
    service: flags.service,
    credentials:
      accessKeyId && secretAccessKey
        ? { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) }
        : undefined,
    presign: flags.presign === true,
    expiresSeconds: flags.expires,
    include: flags.include === true,
    ...(flags.awsIdentity ? { awsIdentity: { audience: audience as string } } : {}),
  };
}

/** curl's `@NAME`: `-` is standard input, anything else a file path. */
function toInputSpec(name: string): string {
  return name === '-' ? '-' : `file://${name}`;
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
