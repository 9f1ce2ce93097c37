import { HttpException } from '@nestjs/common';
import type { RenderedResponse } from '../core/gateway-responses';

/**
 * Carries an API Gateway response out of a guard. {@link GatewayResponseFilter} writes it verbatim;
 * without the filter Nest still answers with the right status.
 */
export class GatewayResponseException extends HttpException {
  constructor(readonly rendered: RenderedResponse) {
    super(rendered.body, rendered.statusCode);
  }
}
