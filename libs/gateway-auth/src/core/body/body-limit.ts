// The request body limit: API Gateway's payload quota, its default, its validation and the answer
// to a body over it.
import { ConfigError } from '../errors';
import type { RenderedResponse } from '../gateway-responses';

/**
 * API Gateway's request payload limit (REST and HTTP APIs: "10 MB", which its 413 answer states as
 * 10485760 bytes). The default of `bodyLimitBytes`.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html
 */
export const DEFAULT_BODY_LIMIT_BYTES = 10_485_760;

/**
 * The `bodyLimitBytes` option, resolved: the default when absent.
 * @throws ConfigError when it is not a whole number of bytes, at least 1.
 */
export function resolveBodyLimit(value: unknown): number {
  if (value === undefined) return DEFAULT_BODY_LIMIT_BYTES;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new ConfigError('gateway-auth options', [
      {
        path: 'bodyLimitBytes',
        message: `must be a whole number of bytes, at least 1 (API Gateway's is ${DEFAULT_BODY_LIMIT_BYTES}), got ${JSON.stringify(value)}`,
      },
    ]);
  }
  return value;
}

/**
 * API Gateway's answer to a body over its payload limit, as observed: 413 with a plain-text body
 * naming the limit, `Content-Type: text; charset=utf-8`, no `x-amzn-ErrorType`. It comes before any
 * authorization and is not a customisable gateway response (a `REQUEST_TOO_LARGE` customisation is
 * not applied to it). See docs/iam-auth.md, "Request bodies".
 */
export function bodyTooLargeResponse(limitBytes: number): RenderedResponse {
  return {
    statusCode: 413,
    headers: { 'content-type': 'text; charset=utf-8' },
    body: `HTTP content length exceeded ${limitBytes} bytes.`,
  };
}

/**
 * The declared `Content-Length` as a number: `undefined` when absent or not a plain decimal (Node
 * refuses malformed values before a handler runs; a chunked body has none).
 */
export function declaredLength(value: string | readonly string[] | undefined): number | undefined {
  const text = typeof value === 'string' ? value : value?.[0];
  if (text === undefined || !/^\d+$/.test(text)) return undefined;
  return Number(text);
}
