// Whether a request presents a SigV4 signature, told from its Authorization header and raw query
// alone: adapters read such a request's body, whatever its type, before authorizing it.
import { parseQuery, queryValue } from './parse-query';
import { SIGV4_ALGORITHM } from './parse-sigv4';

/**
 * True when the request carries a SigV4 signature in either form API Gateway accepts (SIG-02/03):
 * an `Authorization` value starting with `AWS4-HMAC-SHA256`, or an `X-Amz-Algorithm` query
 * parameter (literal or percent-encoded). Its payload hash covers the body (SIG-07), so the body's
 * exact bytes must be read before it is authorized. Errs towards true: a false positive only reads a
 * body that was going to be read anyway, a false negative would leave a signed body unread (which
 * the signature check then refuses, fail closed, as `SIGV4_BODY_NOT_CAPTURED`).
 * @param authorization the `Authorization` header's value(s)
 * @param rawQuery the query string as received, without `?`
 */
export function presentsSigV4(
  authorization: string | readonly string[] | undefined,
  rawQuery: string,
): boolean {
  if (authorization !== undefined) {
    const values = typeof authorization === 'string' ? [authorization] : authorization;
    for (const value of values) {
      if (value.trimStart().startsWith(SIGV4_ALGORITHM)) return true;
    }
  }
  if (rawQuery === '') return false;
  if (rawQuery.includes('X-Amz-Algorithm')) return true;
  // A percent-encoded name (X%2DAmz%2DAlgorithm) is the same parameter once decoded (SIG-05).
  return (
    rawQuery.includes('%') && queryValue(parseQuery(rawQuery), 'X-Amz-Algorithm') !== undefined
  );
}
