import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { AuthContext } from './core/auth-context';
import type { HttpRequest } from './core/http-request';
import { resolveSourceIp, type TrustedProxies } from './core/source-ip';

/** The parts of an Express or Fastify request the adapters read. */
interface FrameworkRequest {
  raw?: IncomingMessage;
  method?: string;
  originalUrl?: string;
  url?: string;
  params?: unknown;
  rawBody?: Buffer;
  id?: string;
  route?: { path?: unknown; methods?: Record<string, boolean> };
  baseUrl?: string;
  routeOptions?: { url?: string };
  socket?: IncomingMessage['socket'];
}

/**
 * Turns an Express request or a Fastify request (both, through Nest or directly) into the core's
 * {@link HttpRequest}. Repeated headers stay separate (SigV4 joins them with `,`), the source IP comes
 * from the socket or a trusted proxy's `X-Forwarded-For`, and the raw body is passed when captured
 * (Nest `rawBody: true`, or the `rawBody` property set by a body parser's `verify`).
 */
export function toHttpRequest(req: FrameworkRequest, trusted: TrustedProxies): HttpRequest {
  const incoming: IncomingMessage = req.raw ?? (req as unknown as IncomingMessage);
  const url = req.originalUrl ?? incoming.url ?? req.url ?? '/';
  const queryAt = url.indexOf('?');
  const headers = collectHeaders(incoming);
  const socketIp = incoming.socket?.remoteAddress;
  const forwardedFor = firstHeader(headers['x-forwarded-for']);
  const sourceIp = resolveSourceIp(socketIp, forwardedFor, trusted);
  const peerTrusted = socketIp !== undefined && trusted.contains(socketIp);
  const secure =
    (incoming.socket as TLSSocket | undefined)?.encrypted === true ||
    (peerTrusted && firstHeader(headers['x-forwarded-proto'])?.toLowerCase() === 'https');
  const params = req.params;
  return {
    method: (incoming.method ?? req.method ?? 'GET').toUpperCase(),
    path: queryAt === -1 ? url : url.slice(0, queryAt),
    rawQuery: queryAt === -1 ? '' : url.slice(queryAt + 1),
    headers,
    sourceIp,
    secure,
    body: req.rawBody ?? (incoming as IncomingMessage & { rawBody?: Buffer }).rawBody,
    // Express reports the route relative to where its router is mounted (`baseUrl`).
    routePath:
      req.routeOptions?.url ??
      (typeof req.route?.path === 'string' ? (req.baseUrl ?? '') + req.route.path : undefined),
    pathParameters: isStringRecord(params) ? params : undefined,
    protocol: `HTTP/${incoming.httpVersion ?? '1.1'}`,
    requestId: typeof req.id === 'string' ? req.id : undefined,
    rawHeaders: incoming.rawHeaders,
    routeMethods: expressRouteMethods(req.route?.methods),
  };
}

function collectHeaders(incoming: IncomingMessage): Record<string, string | string[]> {
  const distinct = (incoming as IncomingMessage & { headersDistinct?: Record<string, string[]> })
    .headersDistinct;
  const out: Record<string, string | string[]> = {};
  if (distinct) {
    for (const name of Object.keys(distinct)) {
      const values = distinct[name];
      if (!values) continue;
      out[name] = values.length === 1 ? (values[0] as string) : values;
    }
    return out;
  }
  const plain: IncomingHttpHeaders = incoming.headers ?? {};
  for (const name of Object.keys(plain)) {
    const value = plain[name];
    if (value !== undefined) out[name] = value;
  }
  return out;
}

/** Express `route.methods` as upper-case names; `undefined` for `app.all` routes or none. */
function expressRouteMethods(methods: Record<string, boolean> | undefined): string[] | undefined {
  if (!methods || methods._all) return undefined;
  return Object.keys(methods)
    .filter((name) => methods[name])
    .map((name) => name.toUpperCase());
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function isStringRecord(value: unknown): value is Record<string, string> {
  if (typeof value !== 'object' || value === null) return false;
  return Object.values(value).every((v) => typeof v === 'string');
}

/**
 * After AWS_IAM authorization, removes the SigV4 `Authorization` header from the framework request,
 * as API Gateway does before forwarding to the integration (PIPE-09); any other `Authorization`
 * value (a bearer token for a Cognito or Lambda-authorized route) passes through unchanged.
 */
export function removeSigV4Authorization(req: FrameworkRequest, context: AuthContext): void {
  if (context.type !== 'AWS_IAM') return;
  const incoming: IncomingMessage = req.raw ?? (req as unknown as IncomingMessage);
  const value = incoming.headers?.authorization;
  if (typeof value === 'string' && value.startsWith('AWS4-HMAC-SHA256')) {
    delete incoming.headers.authorization;
  }
}
