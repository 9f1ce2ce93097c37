import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { AuthContext } from './core/auth-context';
import type { HttpRequest } from './core/http-request';
import { LATTICE_HEADERS } from './core/identity/lattice/lattice-headers';
import { IDENTITY_PROOF_HEADER } from './core/identity/sts-proof/identity-proof';
import {
  forwardedProtoIsHttps,
  resolveSourceIp,
  stripV4Mapped,
  type TrustedProxies,
} from './core/source-ip';
import {
  AUTHORIZATION_RECORD,
  type AuthorizationRecord,
} from './core/telemetry/authorization-record';

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
 * {@link HttpRequest}. Repeated header lines stay separate, every one of them (Node's `headers` keeps
 * only the first of a repeated `Authorization`, `Host`, `User-Agent`...; the core joins them with `,`
 * where it reads a value, see docs/headers.md), the source IP comes from the socket or a trusted
 * proxy's `X-Forwarded-For` (all its lines), and the raw body is passed when captured
 * (`rawBody`, kept by gateway-auth's body capture, Nest's `rawBody: true` or a parser's `verify`).
 *
 * The result reads the framework request lazily: fields a model does not ask for (all headers, the
 * source IP, path parameters...) are never computed, which keeps a cached decision cheap.
 */
export function toHttpRequest(req: FrameworkRequest, trusted: TrustedProxies): HttpRequest {
  return new AdapterHttpRequest(req, trusted);
}

type Headers = Readonly<Record<string, string | readonly string[] | undefined>>;

/**
 * {@link HttpRequest} over a framework request. Eager fields are the few every model reads; the rest
 * are getters computed once on first read (and assignable, like the plain interface's fields).
 */
class AdapterHttpRequest implements HttpRequest {
  method = 'GET';
  path = '/';
  rawQuery = '';
  routePath?: string;
  resourcePath?: string;
  /** `null`: looked up, none. `undefined`: not looked up yet (the Nest guard sets it itself). */
  private routeMethodsValue?: readonly string[] | null;
  private requestIdValue?: string | null;
  private headersValue?: Headers;
  private sourceIpValue?: string;
  private secureValue?: boolean;
  private readonly incoming: IncomingMessage;
  /**
   * The socket peer, read at once: Node forgets it when the connection closes, and a model may
   * read the source IP after an await (a caller that hung up must not become an empty address).
   */
  private peer: string | undefined;

  constructor(
    private readonly req: FrameworkRequest,
    private readonly trusted: TrustedProxies,
  ) {
    const raw = req.raw;
    this.incoming = raw ?? (req as unknown as IncomingMessage);
    this.peer = this.incoming.socket?.remoteAddress;
    // One property read tells Fastify (`raw`) from Express or plain Node; each framework's fields
    // are then read without probing the other's (a missing property walks Express's long
    // prototype chain, swapped per request: slow).
    if (raw !== undefined) {
      this.routePath = req.routeOptions?.url;
      // @fastify/middie (Nest's Fastify adapter) keeps the URL as received in `originalUrl`.
      const original = (raw as IncomingMessage & { originalUrl?: string }).originalUrl;
      this.initUrl(original || (raw.url ?? '/'), raw.method ?? req.method);
    } else {
      const incoming = this.incoming;
      // Express reports the route relative to where its router is mounted (`baseUrl`).
      const route = req.route;
      if (route !== undefined && typeof route.path === 'string') {
        this.routePath = (req.baseUrl ?? '') + route.path;
      }
      this.initUrl(req.originalUrl ?? incoming.url ?? '/', incoming.method);
    }
  }

  private initUrl(url: string, method: string | undefined): void {
    const queryAt = url.indexOf('?');
    this.method = (method ?? 'GET').toUpperCase();
    this.path = queryAt === -1 ? url : url.slice(0, queryAt);
    this.rawQuery = queryAt === -1 ? '' : url.slice(queryAt + 1);
  }

  get routeMethods(): readonly string[] | undefined {
    if (this.routeMethodsValue === undefined) {
      const route = this.req.raw === undefined ? this.req.route : undefined;
      this.routeMethodsValue = route ? expressRouteMethods(route) : null;
    }
    return this.routeMethodsValue ?? undefined;
  }

  set routeMethods(value: readonly string[] | undefined) {
    this.routeMethodsValue = value ?? null;
  }

  get requestId(): string | undefined {
    if (this.requestIdValue === undefined) {
      // The Node request's id (given by gateway-auth's access log, as x-amzn-RequestId) wins over
      // the framework's own (Fastify's `req-1`...), so logs and the client's header agree.
      const nodeId = (this.incoming as IncomingMessage & { id?: unknown }).id;
      const id = typeof nodeId === 'string' ? nodeId : this.req.id;
      this.requestIdValue = typeof id === 'string' ? id : null;
    }
    return this.requestIdValue ?? undefined;
  }

  set requestId(value: string | undefined) {
    this.requestIdValue = value ?? null;
  }

  get headers(): Headers {
    this.headersValue ??= collectHeaders(this.incoming);
    return this.headersValue;
  }

  set headers(value: Headers) {
    this.headersValue = value;
  }

  get sourceIp(): string {
    // Every X-Forwarded-For line, in order: a client's own first line must not hide the one the
    // trusted proxy added after it.
    this.sourceIpValue ??= resolveSourceIp(
      this.peer,
      () => this.headers['x-forwarded-for'],
      this.trusted,
    );
    return this.sourceIpValue;
  }

  set sourceIp(value: string) {
    this.sourceIpValue = value;
  }

  get peerAddress(): string | undefined {
    return this.peer === undefined ? undefined : stripV4Mapped(this.peer);
  }

  set peerAddress(value: string | undefined) {
    this.peer = value;
  }

  get secure(): boolean {
    if (this.secureValue === undefined) {
      const socket = this.incoming.socket as TLSSocket | undefined;
      const peer = this.peer;
      this.secureValue =
        socket?.encrypted === true ||
        (peer !== undefined &&
          this.trusted.contains(peer) &&
          forwardedProtoIsHttps(this.headers['x-forwarded-proto']));
    }
    return this.secureValue;
  }

  set secure(value: boolean) {
    this.secureValue = value;
  }

  get body(): Buffer | undefined {
    return this.req.rawBody ?? (this.incoming as IncomingMessage & { rawBody?: Buffer }).rawBody;
  }

  get pathParameters(): Readonly<Record<string, string>> | undefined {
    const params = this.req.params;
    return isStringRecord(params) ? params : undefined;
  }

  get protocol(): string {
    return `HTTP/${this.incoming.httpVersion ?? '1.1'}`;
  }

  get rawHeaders(): readonly string[] | undefined {
    return this.incoming.rawHeaders;
  }

  /** The access log's record of this request, when one is installed on the server. */
  get record(): AuthorizationRecord | undefined {
    return (this.incoming as IncomingMessage & { [AUTHORIZATION_RECORD]?: AuthorizationRecord })[
      AUTHORIZATION_RECORD
    ];
  }
}

/**
 * Lowercase header names to values, repeated headers as arrays. When no header name arrived twice,
 * Node's own `headers` object already is exactly that and is used as is (read-only by contract);
 * otherwise the values come from `headersDistinct` (Node's `headers` joins repeats with `, `).
 */
function collectHeaders(incoming: IncomingMessage): Headers {
  const plain: IncomingHttpHeaders | undefined = incoming.headers;
  const raw = incoming.rawHeaders;
  if (plain && raw && countKeys(plain) * 2 === raw.length) return plain;
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
  for (const name of Object.keys(plain ?? {})) {
    const value = plain?.[name];
    if (value !== undefined) out[name] = value;
  }
  return out;
}

/** Own enumerable keys of a plain object, counted without allocating the key array. */
function countKeys(object: object): number {
  let count = 0;
  for (const key in object) if (Object.hasOwn(object, key)) count++;
  return count;
}

/** Upper-case method names per Express route object (routes live as long as the app). */
const routeMethodNames = new WeakMap<object, readonly string[] | null>();

/** Express `route.methods` as upper-case names; `undefined` for `app.all` routes or none. */
function expressRouteMethods(
  route: NonNullable<FrameworkRequest['route']>,
): readonly string[] | undefined {
  let names = routeMethodNames.get(route);
  if (names === undefined) {
    const methods = route.methods;
    names =
      !methods || methods._all
        ? null
        : Object.freeze(
            Object.keys(methods)
              .filter((name) => methods[name])
              .map((name) => name.toUpperCase()),
          );
    routeMethodNames.set(route, names);
  }
  return names ?? undefined;
}

function isStringRecord(value: unknown): value is Record<string, string> {
  if (typeof value !== 'object' || value === null) return false;
  return Object.values(value).every((v) => typeof v === 'string');
}

/**
 * After AWS_IAM authorization, removes what proved the caller's identity from the framework
 * request, as API Gateway does before forwarding to the integration (PIPE-09): the SigV4
 * `Authorization` header (any other `Authorization` value, a bearer token for a Cognito or
 * Lambda-authorized route, passes through unchanged), the `X-Gateway-Auth-Identity` proof (a bearer
 * credential) and every `x-amzn-lattice-*` header (the caller's identity is in the auth context;
 * headers a non-Lattice peer sent must not reach the handler either).
 */
export function removeIdentityHeaders(req: FrameworkRequest, context: AuthContext): void {
  if (context.type !== 'AWS_IAM') return;
  const incoming: IncomingMessage = req.raw ?? (req as unknown as IncomingMessage);
  const headers = incoming.headers;
  if (headers === undefined) return;
  const value = headers.authorization;
  if (typeof value === 'string' && value.startsWith('AWS4-HMAC-SHA256')) {
    delete headers.authorization;
  }
  if (headers[IDENTITY_PROOF_HEADER] !== undefined) delete headers[IDENTITY_PROOF_HEADER];
  for (const name of LATTICE_HEADERS) {
    if (headers[name] !== undefined) delete headers[name];
  }
}
