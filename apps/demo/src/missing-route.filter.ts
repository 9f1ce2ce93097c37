import { Catch, NotFoundException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { AuthError, GatewayAuth } from 'api-gateway-auth';

/**
 * Answers requests for routes the API does not have (unknown path or verb) as API Gateway does:
 * 403 `{"message":"Missing Authentication Token"}` with `MissingAuthenticationTokenException`, not
 * 404 (PIPE-02). Handlers in the demo report their own "not found" with a plain `HttpException(404)`
 * (PIPE-03), so only the router's `NotFoundException` reaches this filter.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html
 */
@Catch(NotFoundException)
export class MissingRouteFilter implements ExceptionFilter<NotFoundException> {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly gatewayAuth: GatewayAuth,
  ) {}

  catch(_exception: NotFoundException, host: ArgumentsHost): void {
    const adapter = this.adapterHost.httpAdapter;
    const response: unknown = host.switchToHttp().getResponse();
    const { statusCode, headers, body } = this.gatewayAuth.render(
      new AuthError('MISSING_ROUTE', {
        responseType: 'MISSING_AUTHENTICATION_TOKEN',
        message: 'Missing Authentication Token',
        reason: 'no route matches the method and path',
      }),
    );
    for (const [name, value] of Object.entries(headers)) adapter.setHeader(response, name, value);
    adapter.reply(response, body, statusCode);
  }
}
