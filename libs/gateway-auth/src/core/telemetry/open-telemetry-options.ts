/**
 * The OpenTelemetry instrumentation's options and metric names: public, so kept apart from the
 * recorder, whose types come from the optional `@opentelemetry/api` (the package's declarations must
 * compile in a service that has not installed it).
 */

/** Options of the OpenTelemetry instrumentation (`telemetry.openTelemetry`). */
export interface OpenTelemetryOptions {
  /** Record metrics through the global `MeterProvider`. Default true. */
  metrics?: boolean;
  /** Record spans through the global `TracerProvider`. Default true. */
  traces?: boolean;
  /** Instrumentation scope name of the meter and tracer. Default `gateway-auth`. */
  scopeName?: string;
}

/** Names of the metrics gateway-auth records (docs/observability.md explains each). */
export const METRIC_NAMES = {
  decisions: 'gateway_auth.decisions',
  authorizationDuration: 'gateway_auth.authorization.duration',
  authorizerDuration: 'gateway_auth.authorizer.duration',
  cacheLookups: 'gateway_auth.decision_cache.lookups',
  cacheErrors: 'gateway_auth.decision_cache.errors',
  jwksFetches: 'gateway_auth.jwks.fetches',
  dbOperationDuration: 'db.client.operation.duration',
  rpcCallDuration: 'rpc.client.call.duration',
} as const;
