import { Inject, Injectable } from '@nestjs/common';
import { GatewayAuth, type HealthCheckOptions } from '../core/gateway-auth';

/**
 * Terminus's `HealthIndicatorResult`, spelt out: `@nestjs/terminus` is an optional peer, and the
 * package's declarations must compile in a service that has not installed it.
 */
export type GatewayAuthHealthResult = Record<
  string,
  { status: 'up' | 'down'; [detail: string]: unknown }
>;

/**
 * `@nestjs/terminus` health indicators for what gateway-auth depends on. Each returns terminus's
 * result shape (`{ [key]: { status: 'up' | 'down', ...details } }`); a `down` makes the endpoint
 * answer 503. Use them in your own `HealthCheckService.check([...])`:
 * @example
 * @Get('health/ready') @HealthCheck()
 * ready() { return this.health.check([() => this.gatewayAuth.jwks()]); }
 * @see docs/observability.md for which belong in readiness and which in liveness on ECS.
 */
@Injectable()
export class GatewayAuthHealthIndicator {
  constructor(@Inject(GatewayAuth) private readonly gatewayAuth: GatewayAuth) {}

  /**
   * Up while every configured JWKS has keys cached — also while its endpoint is down (the cached
   * keys keep verifying tokens), unless the last successful fetch is older than
   * `jwksMaxStaleSeconds`. A key set never fetched is fetched first. Up when no JWKS is configured.
   */
  async jwks(key = 'jwks', options: HealthCheckOptions = {}): Promise<GatewayAuthHealthResult> {
    const jwks = await this.gatewayAuth.jwksHealth(options.jwksMaxStaleSeconds);
    return result(
      key,
      jwks.every((j) => j.healthy),
      {
        sources: jwks.map((j) => ({
          jwksUri: j.jwksUri,
          healthy: j.healthy,
          cachedKeys: j.cachedKeys,
          lastSuccessAt: iso(j.lastSuccessAt),
          ...(j.lastError === undefined ? {} : { lastError: j.lastError }),
        })),
      },
    );
  }

  /** Up when the shared Redis decision cache answers a PING in time (or when none is used). */
  async redis(key = 'redis', options: HealthCheckOptions = {}): Promise<GatewayAuthHealthResult> {
    const redis = await this.gatewayAuth.redisHealth(options.redisTimeoutMs);
    if (redis === undefined) return result(key, true, { configured: false });
    return result(key, redis.healthy, {
      connection: redis.status,
      ...(redis.latencyMs === undefined ? {} : { latencyMs: Math.round(redis.latencyMs) }),
      ...(redis.error === undefined ? {} : { error: redis.error }),
    });
  }

  /**
   * Up unless a Lambda authorizer's last `authorizerFailuresBeforeUnhealthy` (default 3)
   * invocations all failed to reach the function (network, timeout, throttling, permissions).
   */
  authorizers(key = 'authorizers', options: HealthCheckOptions = {}): GatewayAuthHealthResult {
    const authorizers = this.gatewayAuth.authorizerHealth(
      options.authorizerFailuresBeforeUnhealthy,
    );
    return result(
      key,
      authorizers.every((a) => a.healthy),
      {
        authorizers: authorizers.map((a) => ({
          name: a.name,
          target: a.target,
          healthy: a.healthy,
          consecutiveFailures: a.consecutiveFailures,
          lastSuccessAt: iso(a.lastSuccessAt),
          ...(a.lastError === undefined ? {} : { lastError: a.lastError }),
        })),
      },
    );
  }
}

function result(
  key: string,
  up: boolean,
  details: Record<string, unknown>,
): GatewayAuthHealthResult {
  return { [key]: { ...details, status: up ? 'up' : 'down' } };
}

function iso(epochMs: number | undefined): string | null {
  return epochMs === undefined ? null : new Date(epochMs).toISOString();
}
