import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { ApiOptions } from '../api-options';
import type { Clock } from '../clock';
import { headerText } from '../http-request';
import { resolveSourceIp, type TrustedProxies } from '../source-ip';
import { AUTHORIZATION_RECORD, AuthorizationRecord } from '../telemetry/authorization-record';
import {
  compileAccessLogFormat,
  type AccessLogEscaping,
  type CompiledAccessLogFormat,
} from './access-log-format';
import { ACCESS_LOG_FORMATS, type AccessLogFormatName } from './access-log-formats';
import type { AccessLogEntry } from './context-variables';

/**
 * Options of {@link AccessLog}.
 * @example new AccessLog(gatewayAuth, { format: 'CLF' }).attach(app.getHttpServer())
 */
export interface AccessLogOptions {
  /**
   * The stage's access-log format, as set in API Gateway (`$context` variables), or the name of one
   * of AWS's examples (`CLF`, `JSON`, `XML`, `CSV`). Default `JSON`.
   */
  format?: string;
  /** How values are escaped (see {@link AccessLogEscaping}). Default `auto`. */
  escaping?: AccessLogEscaping;
  /** Where lines go. Default: stdout, one line each. */
  write?: (line: string) => void;
  /**
   * Accept a client's `x-amzn-RequestId` as the request id when it is a UUID, as API Gateway does.
   * Default true. The generated id is then still the `$context.extendedRequestId`.
   */
  acceptClientRequestId?: boolean;
}

/** What the access log needs of a `GatewayAuth` (the facade itself fits). */
export interface AccessLogSource {
  readonly api: ApiOptions;
  readonly clock: Clock;
  readonly trustedProxies: TrustedProxies;
  readonly telemetry: { fillRequestRecords(): void };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The request's `$context.extendedRequestId`, shared by every access log of the server. */
const EXTENDED_REQUEST_ID = Symbol('gateway-auth.extended-request-id');

type LoggedRequest = IncomingMessage & {
  id?: string;
  [EXTENDED_REQUEST_ID]?: string;
  [AUTHORIZATION_RECORD]?: AuthorizationRecord;
  route?: { path?: unknown };
  baseUrl?: string;
};

/**
 * API Gateway's access logging for a service: one line per request in the stage's own format, with
 * the authorization variables filled as API Gateway fills them (`$context.identity.*`,
 * `$context.authorizer.*`, `$context.authorize.*`, `$context.authenticate.*`, `$context.error.*`).
 * Also gives each request its id (`$context.requestId`, answered in `x-amzn-RequestId`), which the
 * adapters pass to the core, so decision logs, access lines and the client's header agree.
 * Lines never hold tokens, signatures or secrets: no variable reads a credential.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-access-logging.html
 */
export class AccessLog {
  readonly format: CompiledAccessLogFormat;
  private readonly write: (line: string) => void;
  private readonly acceptClientRequestId: boolean;
  private readonly countsBody: boolean;

  /** @throws ConfigError when the format has a variable API Gateway does not know. */
  constructor(
    private readonly source: AccessLogSource,
    options: AccessLogOptions = {},
  ) {
    const format = options.format ?? 'JSON';
    this.format = compileAccessLogFormat(
      Object.hasOwn(ACCESS_LOG_FORMATS, format)
        ? ACCESS_LOG_FORMATS[format as AccessLogFormatName]
        : format,
      options.escaping,
    );
    this.write = options.write ?? ((line) => process.stdout.write(line + '\n'));
    this.acceptClientRequestId = options.acceptClientRequestId ?? true;
    this.countsBody = this.format.variables.includes('responseLength');
    source.telemetry.fillRequestRecords();
  }

  /**
   * Logs every request of a Node HTTP server (Nest: `app.getHttpServer()`, Express or Fastify). The
   * listener runs before the framework's, so ids and records exist before any guard.
   */
  attach(server: Server): void {
    server.prependListener('request', (req: IncomingMessage, res: ServerResponse) =>
      this.observe(req, res),
    );
  }

  /** Plain Express: `app.use(accessLog.middleware())` as the first middleware. */
  middleware(): (req: IncomingMessage, res: ServerResponse, next: () => void) => void {
    return (req, res, next) => {
      this.observe(req, res);
      next();
    };
  }

  /** Starts observing one request; its line is written when the response ends. */
  observe(req: IncomingMessage, res: ServerResponse): void {
    const logged = req as LoggedRequest;
    const started = performance.now();
    const requestTimeEpochMs = this.source.clock.now();
    let record = logged[AUTHORIZATION_RECORD];
    let requestId: string;
    let generated: string;
    if (record !== undefined && logged.id !== undefined) {
      // Another access log (a second format) saw this request first: same id, same record.
      requestId = logged.id;
      generated = logged[EXTENDED_REQUEST_ID] ?? requestId;
    } else {
      generated = randomUUID();
      const client = headerText(req.headers['x-amzn-requestid']);
      requestId =
        this.acceptClientRequestId && client !== undefined && UUID.test(client)
          ? client
          : generated;
      logged.id = requestId;
      logged[EXTENDED_REQUEST_ID] = generated;
      res.setHeader('x-amzn-RequestId', requestId);
      record = new AuthorizationRecord();
      logged[AUTHORIZATION_RECORD] = record;
    }
    const seenRecord = record;
    // Node forgets the peer when the connection closes: read it now.
    const peer = req.socket?.remoteAddress;
    let bodyBytes = 0;
    if (this.countsBody) {
      const write = res.write.bind(res) as (...args: unknown[]) => boolean;
      const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
      res.write = ((chunk: unknown, ...rest: unknown[]) => {
        bodyBytes += byteLength(chunk);
        return write(chunk, ...rest);
      }) as ServerResponse['write'];
      res.end = ((chunk?: unknown, ...rest: unknown[]) => {
        if (typeof chunk !== 'function') bodyBytes += byteLength(chunk);
        return end(chunk, ...rest);
      }) as ServerResponse['end'];
    }
    res.once('close', () => {
      try {
        this.write(
          this.format.render(
            this.entry(logged, res, seenRecord, {
              requestId,
              extendedRequestId: generated,
              requestTimeEpochMs,
              started,
              peer,
              bodyBytes,
            }),
          ),
        );
      } catch {
        // A log line never fails a request.
      }
    });
  }

  private entry(
    req: LoggedRequest,
    res: ServerResponse,
    record: AuthorizationRecord,
    seen: {
      requestId: string;
      extendedRequestId: string;
      requestTimeEpochMs: number;
      started: number;
      peer: string | undefined;
      bodyBytes: number;
    },
  ): AccessLogEntry {
    const url = req.url ?? '/';
    const queryAt = url.indexOf('?');
    const declared = Number(res.getHeader('content-length'));
    const route = req.route;
    const lines = repeatedLines(req);
    return {
      api: this.source.api,
      requestId: seen.requestId,
      extendedRequestId: seen.extendedRequestId,
      requestTimeEpochMs: seen.requestTimeEpochMs,
      httpMethod: req.method ?? 'GET',
      path: queryAt === -1 ? url : url.slice(0, queryAt),
      protocol: `HTTP/${req.httpVersion}`,
      domainName: lines ? headerText(lines.host) : req.headers.host,
      // Node joins repeated X-Forwarded-For lines itself: every hop, as the guards read them.
      sourceIp: resolveSourceIp(
        seen.peer,
        () => req.headers['x-forwarded-for'],
        this.source.trustedProxies,
      ),
      userAgent: lines ? headerText(lines['user-agent']) : req.headers['user-agent'],
      // Express keeps the matched route on the request (routes the guard never saw, too).
      routePath:
        route !== undefined && typeof route.path === 'string'
          ? (req.baseUrl ?? '') + route.path
          : undefined,
      status: res.statusCode,
      responseLength: Number.isFinite(declared)
        ? declared
        : this.countsBody
          ? seen.bodyBytes
          : undefined,
      responseLatencyMs: performance.now() - seen.started,
      record,
    };
  }
}

/**
 * Every line of every header, when some name arrived more than once (Node's `headers` keeps only
 * the first `Host` and `User-Agent` line); `undefined` otherwise. The log then shows every line
 * joined with `,`, as the models read them (docs/headers.md).
 */
function repeatedLines(req: IncomingMessage): Record<string, string[] | undefined> | undefined {
  const raw = req.rawHeaders;
  if (raw === undefined) return undefined;
  let keys = 0;
  for (const key in req.headers) if (Object.hasOwn(req.headers, key)) keys++;
  return keys * 2 === raw.length ? undefined : req.headersDistinct;
}

function byteLength(chunk: unknown): number {
  if (typeof chunk === 'string') return Buffer.byteLength(chunk);
  if (chunk instanceof Uint8Array) return chunk.byteLength;
  return 0;
}
