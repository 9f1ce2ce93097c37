import type { HttpRequest } from '../http-request';

/**
 * The first value of a header whose name is already lower case (as the core's headers are), without
 * `getHeader`'s per-call lower-casing: the SigV4 path reads a handful of fixed names per request.
 */
export function headerValue(request: HttpRequest, lowerName: string): string | undefined {
  const value = request.headers[lowerName];
  return value === undefined || typeof value === 'string' ? value : value[0];
}
