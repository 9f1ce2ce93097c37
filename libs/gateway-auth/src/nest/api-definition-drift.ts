import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { compareRoutes, type DriftReport } from '../core/definition/drift-report';
import { GatewayAuth } from '../core/gateway-auth';
import { ServedRoutes } from './served-routes';

/**
 * At start-up, compares the routes the application serves with its API definition and logs the
 * drift (`api_definition.drift`): definition routes the service does not serve, and served routes
 * the definition does not cover (refused unless `uncoveredRoutes: 'allow'`).
 */
@Injectable()
export class ApiDefinitionDrift implements OnApplicationBootstrap {
  /** The last report (after bootstrap), for tests and health endpoints. */
  report: DriftReport | undefined;
  private readonly served: ServedRoutes;

  constructor(
    @Inject(GatewayAuth) private readonly gatewayAuth: GatewayAuth,
    @Inject(HttpAdapterHost) adapterHost: HttpAdapterHost,
  ) {
    this.served = new ServedRoutes(adapterHost);
  }

  onApplicationBootstrap(): void {
    const definition = this.gatewayAuth.definition;
    if (!definition) return;
    this.report = compareRoutes(definition, this.served.list());
    const { notServed, uncovered, preflightsNotServed, unmodelled } = this.report;
    const clean = notServed.length + uncovered.length + unmodelled.length === 0;
    this.gatewayAuth.logger.log(clean ? 'info' : 'warn', 'api_definition.drift', {
      api: definition.definition.name,
      routes: definition.definition.routes.length,
      notServed,
      preflightsNotServed,
      uncovered,
      uncoveredRoutes: definition.uncoveredRoutes,
      unmodelled,
      warnings: definition.definition.warnings,
    });
  }
}
