// A local HTTP server speaking AWS Lambda's Invoke API (the subset API Gateway and
// @aws-sdk/client-lambda use), running ordinary Lambda handlers: RequestResponse invocations of
// POST /2015-03-31/functions/{name}/invocations, function errors flagged with
// X-Amz-Function-Error, 429 TooManyRequestsException when throttling, 404 for unknown functions.
// https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Handler = (event: never, context: never) => Promise<unknown>;

export interface LambdaInvokeServer {
  /** `http://127.0.0.1:<port>` — what AWS_ENDPOINT_URL_LAMBDA points at. */
  url: string;
  /** Invocations per function name. */
  invocations: Map<string, number>;
  /** While true, every invocation answers 429 TooManyRequestsException. */
  throttle: boolean;
  /** The last invocation's `X-Amzn-Trace-Id` header and decoded `X-Amz-Client-Context`. */
  lastTraceHeader: string | undefined;
  lastClientContext: unknown;
  close(): Promise<void>;
}

export async function startLambdaInvokeServer(
  functions: Record<string, Handler>,
): Promise<LambdaInvokeServer> {
  const state = {
    throttle: false,
    invocations: new Map<string, number>(),
    lastTraceHeader: undefined as string | undefined,
    lastClientContext: undefined as unknown,
  };
  const server: Server = createServer((req, res) => {
    void handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const pathname = (req.url ?? '').split('?')[0] ?? '';
    const match = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/.exec(pathname);
    const body = await readBody(req);
    const requestId = randomUUID();
    const json = (status: number, headers: Record<string, string>, payload: unknown): void => {
      res.writeHead(status, {
        'content-type': 'application/json',
        'x-amzn-requestid': requestId,
        ...headers,
      });
      res.end(JSON.stringify(payload));
    };
    if (req.method !== 'POST' || !match?.[1]) {
      json(
        404,
        { 'x-amzn-errortype': 'UnknownOperationException' },
        { message: 'Unknown operation' },
      );
      return;
    }
    const name = decodeURIComponent(match[1]).split(':').at(-1) ?? '';
    const handler = functions[name];
    if (!handler) {
      json(
        404,
        { 'x-amzn-errortype': 'ResourceNotFoundException' },
        { Type: 'User', message: `Function not found: ${name}` },
      );
      return;
    }
    if (state.throttle) {
      json(
        429,
        { 'x-amzn-errortype': 'TooManyRequestsException' },
        {
          Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded',
          Type: 'User',
          message: 'Rate Exceeded.',
        },
      );
      return;
    }
    state.invocations.set(name, (state.invocations.get(name) ?? 0) + 1);
    // Lambda hands the caller's ClientContext (base64 JSON) to the function as context.clientContext.
    const clientContextHeader = req.headers['x-amz-client-context'];
    const clientContext =
      typeof clientContextHeader === 'string'
        ? (JSON.parse(Buffer.from(clientContextHeader, 'base64').toString('utf8')) as unknown)
        : undefined;
    const traceHeader = req.headers['x-amzn-trace-id'];
    state.lastTraceHeader = typeof traceHeader === 'string' ? traceHeader : undefined;
    state.lastClientContext = clientContext;
    const context = {
      awsRequestId: requestId,
      functionName: name,
      clientContext,
      getRemainingTimeInMillis: () => 3000,
    };
    try {
      const result = await handler(JSON.parse(body.toString('utf8')) as never, context as never);
      json(200, { 'x-amz-executed-version': '$LATEST' }, result ?? null);
    } catch (error) {
      const e = error instanceof Error ? error : new Error(String(error));
      json(
        200,
        { 'x-amz-function-error': 'Unhandled', 'x-amz-executed-version': '$LATEST' },
        { errorType: e.name, errorMessage: e.message, trace: [] },
      );
    }
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    invocations: state.invocations,
    get throttle() {
      return state.throttle;
    },
    set throttle(value: boolean) {
      state.throttle = value;
    },
    get lastTraceHeader() {
      return state.lastTraceHeader;
    },
    get lastClientContext() {
      return state.lastClientContext;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * Points the AWS SDK at `endpoint` the standard way (`AWS_ENDPOINT_URL_LAMBDA`, `AWS_REGION`,
 * credentials from the environment, no instance metadata) and returns what puts the environment
 * back as it was.
 */
export function useLambdaEndpoint(endpoint: string): () => void {
  const values: Record<string, string> = {
    AWS_ENDPOINT_URL_LAMBDA: endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIDLOCALTEST0000000',
    AWS_SECRET_ACCESS_KEY: 'local-test-secret',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  const saved = Object.keys(values).map((name) => [name, process.env[name]] as const);
  Object.assign(process.env, values);
  return () => {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
}
