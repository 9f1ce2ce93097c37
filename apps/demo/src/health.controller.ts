import { Controller, Get, Inject } from '@nestjs/common';
import { HealthCheck, HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import { GatewayAuthHealthIndicator, Public } from 'api-gateway-auth/nest';

/**
 * Health endpoints (docs/observability.md, "Health checks on ECS"):
 * - `GET /health`: liveness — the process answers. The container health check and the ALB use it:
 *   a shared dependency being down must not restart or drain every task at once.
 * - `GET /health/ready`: readiness — this task can verify tokens (JWKS keys cached; up while the
 *   JWKS endpoint is down and keys are cached).
 * - `GET /health/dependencies`: JWKS, the shared Redis decision cache and the Lambda authorizers,
 *   for dashboards and alarms (503 when one is down).
 */
@Controller('health')
export class HealthController {
  constructor(
    @Inject(HealthCheckService) private readonly health: HealthCheckService,
    @Inject(GatewayAuthHealthIndicator) private readonly gatewayAuth: GatewayAuthHealthIndicator,
  ) {}

  @Public()
  @Get()
  live(): { status: string } {
    return { status: 'ok' };
  }

  @Public()
  @Get('ready')
  @HealthCheck()
  ready(): Promise<HealthCheckResult> {
    return this.health.check([() => this.gatewayAuth.jwks('jwks')]);
  }

  @Public()
  @Get('dependencies')
  @HealthCheck()
  dependencies(): Promise<HealthCheckResult> {
    return this.health.check([
      () => this.gatewayAuth.jwks('jwks'),
      () => this.gatewayAuth.redis('redis', { redisTimeoutMs: 500 }),
      () => this.gatewayAuth.authorizers('authorizers'),
    ]);
  }
}
