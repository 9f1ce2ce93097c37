// A body the parser refused, answered only when the request reaches what reads its body: after
// every guard, as API Gateway authorizes before the integration ever parses the body.
import { BadRequestException, HttpException } from '@nestjs/common';

/**
 * Makes `request.body` throw the parser's error (as the exception Nest's router would have made of
 * it, see {@link asNestException}) for a request whose body could not be parsed. Nothing reads a
 * request's body before its handler's parameters are resolved, and Nest resolves them after every
 * guard and interceptor: any guard's refusal (gateway-auth's, the API definition's, the service's
 * own) is answered instead, and a caller that is let through gets the parser's answer when the
 * handler asks for the body (`@Body()`, `@Body('name')`, `req.body`). Assigning `request.body`
 * replaces the error with the value. Costs nothing for requests whose body parsed.
 * @param request the framework request (Express's Node request, or Fastify's request object)
 */
export function deferBodyError(request: object, error: unknown): void {
  const exception = asNestException(error);
  Object.defineProperty(request, 'body', {
    configurable: true,
    enumerable: true,
    get(): never {
      throw exception;
    },
    set(this: object, value: unknown) {
      Object.defineProperty(this, 'body', {
        value,
        writable: true,
        enumerable: true,
        configurable: true,
      });
    },
  });
}

/**
 * The exception Nest's router would have made of a body parser's error (`RoutesResolver`
 * `mapExternalException`): body-parser's JSON `SyntaxError` becomes a 400 `BadRequestException`, a
 * Fastify parser error an `HttpException` with its status; anything else is answered as it is.
 */
export function asNestException(error: unknown): unknown {
  if (
    (error instanceof SyntaxError || error instanceof URIError) &&
    (error as { status?: unknown }).status === 400
  ) {
    return new BadRequestException(error.message);
  }
  if (error instanceof Error && error.name === 'FastifyError') {
    const status = (error as { statusCode?: unknown }).statusCode;
    if (typeof status === 'number') return new HttpException(error.message, status);
  }
  return error;
}
