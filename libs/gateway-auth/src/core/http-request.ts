import type { AuthorizationRecord } from './telemetry/authorization-record';

/**
 * The request shape every adapter hands to the core: what API Gateway sees of a request, and no
 * framework types. Header names are lowercase; a header sent several times is an array.
 */
export interface HttpRequest {
  /** Upper-case HTTP method, e.g. `GET`. */
  method: string;
  /** The raw request path as sent (percent-encoding preserved), without the query string. */
  path: string;
  /** The raw query string without the leading `?` (empty string when none). */
  rawQuery: string;
  /** Lowercase header names to values; repeated headers are arrays in arrival order. */
  headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  /**
   * The caller's IP as API Gateway would report it (`$context.identity.sourceIp`): the socket peer,
   * or the `X-Forwarded-For` entry left by the nearest trusted proxy.
   */
  sourceIp: string;
  /**
   * The socket peer's address (never `X-Forwarded-For`), for checks that trust the network hop
   * itself (VPC Lattice peers). `undefined` when the adapter does not know it.
   */
  peerAddress?: string;
  /** True when the client connection used TLS (directly or as reported by a trusted proxy). */
  secure: boolean;
  /** The raw body bytes when the adapter has them; `undefined` when not captured. */
  body?: Buffer;
  /**
   * The route template the framework matched, e.g. `/pets/:id` (authorizer events; and the request
   * path must match it exactly, see `resource-path.ts`).
   */
  routePath?: string;
  /**
   * The path the execute-api ARN is built from: {@link path} with escapes of unreserved characters
   * decoded. Set by `GatewayAuth`; models fall back to `path` when it is absent.
   */
  resourcePath?: string;
  /**
   * The methods the matched route was registered for (upper case), when the framework says; a
   * request of another method (e.g. HEAD served by a GET handler) is refused as an unknown route.
   */
  routeMethods?: readonly string[];
  /** Path parameters resolved by the framework (used in authorizer events). */
  pathParameters?: Readonly<Record<string, string>>;
  /** HTTP protocol, e.g. `HTTP/1.1`. */
  protocol?: string;
  /** Framework-provided request id, if any. */
  requestId?: string;
  /**
   * Header names and values as received, alternating (Node's `rawHeaders`), when the adapter has
   * them: REST authorizer events keep the client's header-name casing, as API Gateway does.
   */
  rawHeaders?: readonly string[];
  /**
   * Where the core writes what it decided about this request, for its access-log line; present only
   * when an access log is installed (adapters read it from the Node request, see
   * `AUTHORIZATION_RECORD`).
   */
  record?: AuthorizationRecord;
}

/**
 * A header's value, every line of it (case-insensitive name): lines sent more than once are joined
 * with `,` in arrival order, as HTTP combines them (RFC 9110 §5.3) and as SigV4 signs them; never
 * the first line alone. `undefined` when absent. See docs/headers.md for what each model does with a
 * repeated header.
 */
export function getHeader(request: HttpRequest, name: string): string | undefined {
  return headerText(request.headers[name.toLowerCase()]);
}

/** All values of a header (case-insensitive name), one per line received; empty when absent. */
export function getHeaderValues(request: HttpRequest, name: string): readonly string[] {
  const value = request.headers[name.toLowerCase()];
  if (value === undefined) return [];
  return typeof value === 'string' ? [value] : value;
}

/**
 * A header value as the core holds it (repeated lines are arrays) as one text: the lines joined
 * with `,` (RFC 9110 §5.3; the SigV4 canonical form of a repeated header). Call sites read
 * `request.headers['fixed-name']` themselves: a property load with a literal name stays cheap at
 * each site, where one helper taking the name (like `getHeader`, which also lower-cases it) turns
 * every read into a generic keyed lookup.
 */
export function headerText(value: string | readonly string[] | undefined): string | undefined {
  return value === undefined || typeof value === 'string' ? value : value.join(',');
}
