import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { ServerResponse } from 'node:http';
import { GatewayResponseException } from './gateway-response.exception';

/** Writes a {@link GatewayResponseException} with its exact status, headers and body (Express or Fastify). */
@Catch(GatewayResponseException)
export class GatewayResponseFilter implements ExceptionFilter<GatewayResponseException> {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(exception: GatewayResponseException, host: ArgumentsHost): void {
    const adapter = this.adapterHost.httpAdapter;
    const response: unknown = host.switchToHttp().getResponse();
    const { statusCode, headers, body } = exception.rendered;
    if (adapter.getType() === 'express') {
      // Express's set()/send() would append "; charset=utf-8" to the type; API Gateway sends
      // `application/json` as is, so write through Node's own response methods.
      const raw = response as ServerResponse;
      raw.statusCode = statusCode;
      for (const [name, value] of Object.entries(headers)) raw.setHeader(name, value);
      raw.end(body);
      return;
    }
    for (const [name, value] of Object.entries(headers)) adapter.setHeader(response, name, value);
    adapter.reply(response, body, statusCode);
  }
}
