import { HttpException } from '@nestjs/common';
import type { RenderedResponse } from '../core/gateway-responses';

/**
 * Carries an API Gateway response out of a guard. {@link GatewayResponseFilter} writes it verbatim
 * (status, headers, body). Without the filter (`globalFilter: false` and not registered elsewhere)
 * Nest's own exception handling still answers with the status and, for a JSON body, the same JSON,
 * but without API Gateway's `x-amzn-ErrorType` header.
 */
export class GatewayResponseException extends HttpException {
  constructor(readonly rendered: RenderedResponse) {
    super(jsonOrText(rendered.body), rendered.statusCode);
  }
}

/** The body as an object when it is JSON (what Nest's default handler serializes back). */
function jsonOrText(body: string): string | object {
  try {
    const parsed: unknown = JSON.parse(body);
    return typeof parsed === 'object' && parsed !== null ? parsed : body;
  } catch {
    return body;
  }
}
