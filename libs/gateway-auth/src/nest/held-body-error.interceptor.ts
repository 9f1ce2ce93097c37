import {
  BadRequestException,
  HttpException,
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import type { Observable } from 'rxjs';
import { takeHeldBodyError } from '../body/held-body-error';

/**
 * Raises the body parser's error (invalid JSON, an unsupported charset...) that gateway-auth held
 * while the request was being authorized. Interceptors run after every guard, so any guard's refusal
 * (gateway-auth's, the API definition's, the service's own) is answered instead, as API Gateway
 * authorizes before the integration ever parses the body. The error is answered as Nest would have
 * answered it from its body parser. Registered globally by `GatewayAuthModule`.
 */
@Injectable()
export class HeldBodyErrorInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() === 'http') {
      const request = context.getArgByIndex<{ raw?: object } | undefined>(0);
      if (request !== undefined) {
        const error = takeHeldBodyError(request.raw ?? request);
        if (error !== undefined) throw asNestException(error);
      }
    }
    return next.handle();
  }
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
