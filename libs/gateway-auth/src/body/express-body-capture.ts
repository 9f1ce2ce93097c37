// Reads Express request bodies before authorization: JSON and form bodies parsed as Nest's defaults
// (and express.json / express.urlencoded) parse them, every SigV4-signed body kept byte for byte,
// bodies bounded, and the parser's errors held until the request is allowed.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { declaredLength } from '../core/body/body-limit';
import type { GatewayAuth } from '../core/gateway-auth';
import { loadOptionalDependency } from '../core/optional-dependency';
import { presentsSigV4 } from '../core/sigv4/presents-sigv4';
import { holdBodyError } from './held-body-error';
import { keepRawBody, rawBodyOf } from './raw-body-property';
import { BodyReadError, readBody } from './read-body';

type Next = (error?: unknown) => void;
type Middleware = (req: IncomingMessage, res: ServerResponse, next: Next) => void;

interface ParserOptions {
  limit: number;
  verify: (req: IncomingMessage, res: ServerResponse, body: Buffer) => void;
  extended?: boolean;
}

/** The part of the `express` module used here (its body parsers), without Express's types. */
interface ExpressBodyParsers {
  json(options: ParserOptions): Middleware;
  urlencoded(options: ParserOptions): Middleware;
}

/** A body-parser error (http-errors): `status` 413 with `type` `entity.too.large` for the limit. */
interface ParserError {
  status?: unknown;
  type?: unknown;
}

/**
 * Reads an Express request's body, once, before it is authorized, as API Gateway reads a body
 * before its authorizers run:
 * - a declared `Content-Length` over `bodyLimitBytes` is refused with API Gateway's 413 at once;
 * - `application/json` and `application/x-www-form-urlencoded` bodies are parsed by Express's own
 *   parsers with Nest's default options (`express.json()`, `express.urlencoded({ extended: true })`),
 *   up to the limit, keeping the bytes as `req.rawBody`;
 * - any other body of a request that presents a SigV4 signature is read as is into `req.rawBody`
 *   (`req.body` is left alone), since the signature covers its exact bytes; unsigned bodies of other
 *   types are not touched (a multipart upload streams on to its own parser);
 * - a parser's error (bad JSON, unsupported charset...) is not sent: it goes to `onBodyError`
 *   (default: held for the middleware, which releases it once the request is allowed), so a
 *   refusal wins over it.
 * A body something already read (a parser mounted before, Nest's `rawBody: true`) is left as found.
 */
export class ExpressBodyCapture {
  private readonly json: Middleware;
  private readonly urlencoded: Middleware;

  /**
   * @param onBodyError what becomes of a parser's error (default {@link holdBodyError})
   * @throws ConfigError when the `express` package cannot be loaded.
   */
  constructor(
    private readonly gatewayAuth: GatewayAuth,
    private readonly onBodyError: (req: IncomingMessage, error: unknown) => void = holdBodyError,
  ) {
    const express = loadOptionalDependency<ExpressBodyParsers>(
      'express',
      'reading request bodies on Express',
    );
    const limit = gatewayAuth.bodyLimitBytes;
    const verify = (req: IncomingMessage, _res: ServerResponse, body: Buffer): void =>
      keepRawBody(req, body);
    this.json = express.json({ limit, verify });
    this.urlencoded = express.urlencoded({ extended: true, limit, verify });
  }

  /**
   * Reads the body if it is still unread and has to be, then calls `next` (synchronously when there
   * is nothing to read). Answers 413 itself, and then never calls `next`.
   * @param parse `false`: parse nothing, only read SigV4-signed bodies as they are (an app that
   *   reads bodies itself, e.g. Nest with `bodyParser: false`)
   */
  capture(req: IncomingMessage, res: ServerResponse, next: () => void, parse = true): void {
    if (!hasUnreadBody(req)) {
      next();
      return;
    }
    const declared = declaredLength(req.headers['content-length']);
    if (declared !== undefined && declared > this.gatewayAuth.bodyLimitBytes) {
      this.refuseTooLarge(req, res, declared);
      return;
    }
    // The first parser error, handed to `onBodyError` only once every step has run: on Nest it makes
    // `req.body` throw, which a later parser would read (body-parser 1's `req.body || {}`).
    let failure: unknown;
    const finish = (): void => {
      if (failure !== undefined) this.onBodyError(req, failure);
      next();
    };
    if (!parse) {
      this.readRest(req, res, false, (error) => {
        failure = error;
        finish();
      });
      return;
    }
    this.json(req, res, (error) => {
      if (this.tooLarge(req, res, error)) return;
      failure = error ?? undefined;
      this.urlencoded(req, res, (formError) => {
        if (this.tooLarge(req, res, formError)) return;
        failure ??= formError ?? undefined;
        this.readRest(req, res, failure !== undefined, (readError) => {
          failure ??= readError;
          finish();
        });
      });
    });
  }

  /** After a parser: a limit error is answered 413 (true: stop here). */
  private tooLarge(req: IncomingMessage, res: ServerResponse, error: unknown): boolean {
    if (error === undefined || error === null) return false;
    const { status, type } = error as ParserError;
    if (status !== 413 && type !== 'entity.too.large') return false;
    this.refuseTooLarge(req, res, undefined);
    return true;
  }

  /**
   * A body still unread after the parsers, read as is (no decoding, no inflating) when a SigV4
   * signature covers it, or when a parser refused it unread (an unsupported charset or encoding):
   * a later parser of the app would otherwise answer that refusal itself, before any guard. The
   * request is then marked read for body-parser 1 (`_body`), as its own parsers mark it.
   */
  private readRest(
    req: IncomingMessage,
    res: ServerResponse,
    refused: boolean,
    done: (error: Error | undefined) => void,
  ): void {
    const url = req.url ?? '';
    const queryAt = url.indexOf('?');
    if (
      !hasUnreadBody(req) ||
      !(
        refused ||
        presentsSigV4(req.headers.authorization, queryAt === -1 ? '' : url.slice(queryAt + 1))
      )
    ) {
      done(undefined);
      return;
    }
    void readBody(req, this.gatewayAuth.bodyLimitBytes).then((read) => {
      if ('tooLarge' in read) {
        this.refuseTooLarge(req, res, undefined);
        return;
      }
      (req as IncomingMessage & { _body?: boolean })._body = true;
      if ('body' in read) {
        keepRawBody(req, read.body);
        done(undefined);
      } else {
        done(new BodyReadError(read.failed));
      }
    });
  }

  private refuseTooLarge(req: IncomingMessage, res: ServerResponse, declared?: number): void {
    const rendered = this.gatewayAuth.refuseBodyTooLarge({
      method: req.method,
      url: req.url,
      contentLength: declared,
    });
    if (res.headersSent) return;
    res.statusCode = rendered.statusCode;
    for (const [name, value] of Object.entries(rendered.headers)) res.setHeader(name, value);
    // The rest of the body is not read: close the connection after answering.
    res.setHeader('connection', 'close');
    res.end(rendered.body);
  }
}

/**
 * Whether the request has a body (as body-parser tells: `Transfer-Encoding`, or a `Content-Length`)
 * that nothing has started reading yet and no raw copy exists of.
 */
function hasUnreadBody(req: IncomingMessage): boolean {
  const headers = req.headers;
  if (headers['transfer-encoding'] === undefined && headers['content-length'] === undefined) {
    return false;
  }
  return (
    !req.readableEnded &&
    !req.readableDidRead &&
    req.readableFlowing !== true &&
    (req as IncomingMessage & { _body?: unknown })._body !== true &&
    rawBodyOf(req) === undefined
  );
}
