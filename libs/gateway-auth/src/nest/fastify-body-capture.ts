// Reads Fastify request bodies before authorization (Nest's Fastify platform): every body kept byte
// for byte, JSON, form and text bodies parsed as Nest's and Fastify's defaults parse them, bodies
// bounded, and parse errors held until every guard has passed.
import type { ServerResponse } from 'node:http';
import { parse as parseForm } from 'node:querystring';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { declaredLength } from '../core/body/body-limit';
import type { GatewayAuth } from '../core/gateway-auth';
import type { RenderedResponse } from '../core/gateway-responses';
import { presentsSigV4 } from '../core/sigv4/presents-sigv4';
import { holdBodyError, takeHeldBodyError } from '../body/held-body-error';
import { keepRawBody } from '../body/raw-body-property';
import { BodyReadError, readBody } from '../body/read-body';
import { deferBodyError } from './deferred-body-error';

type Done = (error: Error | null, body?: unknown) => void;
/** A content-type parser reading the body as a Buffer (`parseAs: 'buffer'`). */
type BufferParser = (request: FastifyRequestLike, body: Buffer, done: Done) => void;

/** The parts of a Fastify request read here. */
interface FastifyRequestLike {
  raw: NodeJS.ReadableStream & { url?: string };
  method: string;
  headers: Readonly<Record<string, string | string[] | undefined>>;
}

/** The parts of a Fastify reply used here. */
interface FastifyReplyLike {
  raw: ServerResponse;
  hijack(): unknown;
}

type PreValidationHook = (
  request: FastifyRequestLike,
  reply: FastifyReplyLike,
  done: () => void,
) => void;

type PreParsingHook = (
  request: FastifyRequestLike,
  reply: FastifyReplyLike,
  payload: Readable,
  done: (error: Error | null, payload?: Readable) => void,
) => void;

/** The parts of a Fastify instance used here (Fastify 4 and 5), without Fastify's types. */
export interface FastifyInstanceLike {
  addHook(name: 'preParsing', hook: PreParsingHook): unknown;
  addHook(name: 'preValidation', hook: PreValidationHook): unknown;
  addContentTypeParser(
    type: string,
    options: { parseAs: 'buffer'; bodyLimit: number },
    parser: BufferParser,
  ): unknown;
  getDefaultJsonParser(onProtoPoisoning: string, onConstructorPoisoning: string): BufferParser;
  initialConfig: { onProtoPoisoning?: string; onConstructorPoisoning?: string };
  hasRequestDecorator(name: string): boolean;
  decorateRequest(name: string, value: unknown): unknown;
}

/** Nest's `FastifyAdapter.useBodyParser` (registers a parser and keeps Nest from adding its own). */
export type UseBodyParser = (
  type: string,
  rawBody: boolean,
  options: { bodyLimit: number },
  parser: BufferParser,
) => unknown;

/** Methods Fastify never reads a body for (it hands them to the route unparsed). */
const BODYLESS_METHODS = new Set(['GET', 'HEAD', 'TRACE']);

/**
 * Installs body capture on a Fastify instance before Nest registers its parsers:
 * - a `preParsing` hook refuses a declared `Content-Length` over `bodyLimitBytes` with API
 *   Gateway's 413, counts a chunked body as it streams (413 past the limit), and reads the body of
 *   a signed `GET`/`HEAD` (which Fastify leaves unread) into `request.rawBody`;
 * - content-type parsers replacing Nest's and Fastify's defaults keep every body's bytes as
 *   `request.rawBody` and parse as those did: `application/json` with Fastify's JSON parser and its
 *   prototype-poisoning settings, `application/x-www-form-urlencoded` as a query string,
 *   `text/plain` as UTF-8 text; any other type (or none) reaches the handler as a Buffer, as API
 *   Gateway passes any content type on (Fastify alone would answer 415);
 * - a parse error is not sent: held while Fastify sets `request.body`, it then becomes the body
 *   (`deferBodyError`): reading it throws the error, which Nest does only once every guard passed.
 * A parser registered later for a more specific type (multipart...) is Fastify's choice for that
 * type; such bodies are not captured (see docs/iam-auth.md).
 */
export function installFastifyBodyCapture(
  instance: FastifyInstanceLike,
  useBodyParser: UseBodyParser | undefined,
  gatewayAuth: GatewayAuth,
): void {
  const limit = gatewayAuth.bodyLimitBytes;
  if (!instance.hasRequestDecorator('rawBody')) instance.decorateRequest('rawBody', undefined);
  instance.addHook('preParsing', (request, reply, payload, done) => {
    const headers = request.headers;
    const declared = declaredLength(headers['content-length']);
    if (declared !== undefined && declared > limit) {
      send(reply, tooLarge(gatewayAuth, request, declared));
      return;
    }
    const chunked = declared === undefined && headers['transfer-encoding'] !== undefined;
    if (BODYLESS_METHODS.has(request.method)) {
      if ((chunked || (declared ?? 0) > 0) && signed(request)) {
        void readBody(payload, limit).then((read) => {
          if ('tooLarge' in read) send(reply, tooLarge(gatewayAuth, request, undefined));
          else {
            if ('body' in read) keepRawBody(request, read.body);
            else holdBodyError(request.raw, new BodyReadError(read.failed));
            done(null);
          }
        });
        return;
      }
      done(null);
      return;
    }
    done(
      null,
      chunked
        ? new LimitedStream(payload, limit, () =>
            send(reply, tooLarge(gatewayAuth, request, undefined)),
          )
        : undefined,
    );
  });

  // Fastify sets `request.body` after the parser; a held error takes its place just after.
  instance.addHook('preValidation', (request, _reply, done) => {
    const error = takeHeldBodyError(request.raw);
    if (error !== undefined) deferBodyError(request, error);
    done();
  });

  const { onProtoPoisoning, onConstructorPoisoning } = instance.initialConfig;
  const json = instance.getDefaultJsonParser(
    onProtoPoisoning ?? 'error',
    onConstructorPoisoning ?? 'error',
  );
  const parsers: Record<string, BufferParser> = {
    'application/json': (request, body, done) => json(request, body, holding(request, done)),
    'application/x-www-form-urlencoded': (_request, body, done) =>
      done(null, parseForm(body.toString(), undefined, undefined, { maxKeys: 0 })),
    'text/plain': (_request, body, done) => done(null, body.toString('utf8')),
    '*': (_request, body, done) => done(null, body),
  };
  for (const [type, parse] of Object.entries(parsers)) {
    const parser: BufferParser = (request, body, done) => {
      keepRawBody(request, body);
      parse(request, body, done);
    };
    // Through Nest's adapter when it has the method: Nest then adds no JSON or form parser of its
    // own (which Fastify would refuse as a duplicate).
    if (useBodyParser) useBodyParser(type, false, { bodyLimit: limit }, parser);
    else instance.addContentTypeParser(type, { parseAs: 'buffer', bodyLimit: limit }, parser);
  }
}

/** A parser's `done` that holds an error and hands the route no body instead. */
function holding(request: FastifyRequestLike, done: Done): Done {
  return (error, body) => {
    if (error) {
      holdBodyError(request.raw, error);
      done(null, undefined);
      return;
    }
    done(null, body);
  };
}

function signed(request: FastifyRequestLike): boolean {
  const url = request.raw.url ?? '';
  const queryAt = url.indexOf('?');
  return presentsSigV4(request.headers.authorization, queryAt === -1 ? '' : url.slice(queryAt + 1));
}

function tooLarge(
  gatewayAuth: GatewayAuth,
  request: FastifyRequestLike,
  declared: number | undefined,
): RenderedResponse {
  return gatewayAuth.refuseBodyTooLarge({
    method: request.method,
    url: request.raw.url,
    contentLength: declared,
  });
}

/**
 * Writes the 413 on the Node response itself, as sent (Fastify would rewrite API Gateway's
 * `text; charset=utf-8` type), past the app's hooks (API Gateway's 413 carries no CORS headers
 * either), and closes the connection: the rest of the body is not read.
 */
function send(reply: FastifyReplyLike, rendered: RenderedResponse): void {
  reply.hijack();
  if (reply.raw.headersSent) return;
  reply.raw.writeHead(rendered.statusCode, { ...rendered.headers, connection: 'close' });
  reply.raw.end(rendered.body);
}

/**
 * A chunked body as it streams to the parser, counted: past the limit it calls `onTooLarge` (which
 * answers 413) and fails, so the parser stops and nothing more is read.
 */
class LimitedStream extends Transform {
  private received = 0;

  constructor(
    source: Readable,
    private readonly limit: number,
    private readonly onTooLarge: () => void,
  ) {
    super();
    source.on('error', (error: Error) => this.destroy(error));
    source.pipe(this);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.received += chunk.length;
    if (this.received > this.limit) {
      this.onTooLarge();
      callback(new Error('request body over bodyLimitBytes (answered 413)'));
      return;
    }
    callback(null, chunk);
  }
}
