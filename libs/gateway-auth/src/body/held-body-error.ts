// Body errors held until authorization is done: a guard's refusal must win over what the body
// parser found (API Gateway authorizes before any integration parses the body).

/**
 * The error the body parser met, per Node request, until the request is authorized. A side table
 * rather than a property: an Express request's prototype is swapped per request, and reading a
 * missing property on it walks that chain on every request.
 */
const held = new WeakMap<object, unknown>();

/** Keeps the first body error of a request (JSON syntax, charset, read failure...) for later. */
export function holdBodyError(request: object, error: unknown): void {
  if (!held.has(request)) held.set(request, error);
}

/**
 * The body error held for a request, once: the second call answers `undefined`. The Express
 * middleware takes it once the request is allowed, so the parser's answer is given only to callers
 * API Gateway would let through; on Nest, it becomes the request's `body` (see `deferBodyError`).
 */
export function takeHeldBodyError(request: object): unknown {
  const error = held.get(request);
  if (error !== undefined) held.delete(request);
  return error;
}
