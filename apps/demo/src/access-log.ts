import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { resolveSourceIp, type GatewayAuth } from 'api-gateway-auth';

/** The request id of a request seen by {@link installAccessLog} (also Fastify's `request.id`). */
export function requestIdOf(req: IncomingMessage): string | undefined {
  return (req as IncomingMessage & { id?: string }).id;
}

/**
 * Gives every request an id, as API Gateway does (`$context.requestId`, returned to the client in
 * `x-amzn-RequestId`): the adapters pass it to the core, so the `authorization` record, the
 * `access` record and the client's response header carry the same id.
 *
 * Writes one structured `access` record per request when its response finishes, like an API
 * Gateway access log (`$context.requestId`, `$context.identity.sourceIp`, `$context.httpMethod`,
 * `$context.path`, `$context.status`, `$context.responseLatency`). The authorization decision
 * itself (`$context.authorizer.*` and `$context.error.*`: principal, model, error code and response
 * type) is the `authorization` record the core writes. Neither holds headers, tokens or bodies.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html
 */
export function installAccessLog(server: Server, gatewayAuth: GatewayAuth): void {
  // Prepended: runs before the framework's own listener, so the id exists before any guard.
  server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
    const started = gatewayAuth.clock.now();
    const requestId = randomUUID();
    (req as IncomingMessage & { id?: string }).id = requestId;
    res.setHeader('x-amzn-RequestId', requestId);
    res.once('finish', () => {
      const url = req.url ?? '/';
      const queryAt = url.indexOf('?');
      const forwarded = req.headers['x-forwarded-for'];
      gatewayAuth.logger.log(res.statusCode >= 500 ? 'error' : 'info', 'access', {
        requestId,
        sourceIp: resolveSourceIp(
          req.socket.remoteAddress,
          Array.isArray(forwarded) ? forwarded[0] : forwarded,
          gatewayAuth.trustedProxies,
        ),
        httpMethod: req.method,
        path: queryAt === -1 ? url : url.slice(0, queryAt),
        protocol: `HTTP/${req.httpVersion}`,
        status: res.statusCode,
        responseLatencyMs: gatewayAuth.clock.now() - started,
      });
    });
  });
}
