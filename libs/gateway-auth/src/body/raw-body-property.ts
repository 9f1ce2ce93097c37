// Where a request's raw body is kept: `rawBody`, the property Nest's `rawBody: true` sets (its
// `RawBodyRequest` type), which the adapters read into the core's request shape.

/** A framework request (Express's Node request, Fastify's request object) with its raw body. */
export interface WithRawBody {
  rawBody?: Buffer;
}

/** Keeps the exact bytes received as `request.rawBody`. */
export function keepRawBody(request: object, body: Buffer): void {
  (request as WithRawBody).rawBody = body;
}

/** The raw body kept for a request, if any. */
export function rawBodyOf(request: object): Buffer | undefined {
  return (request as WithRawBody).rawBody;
}
