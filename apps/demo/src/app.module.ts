import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import type { GatewayAuthOptions } from 'api-gateway-auth';
import { GatewayAuthModule } from 'api-gateway-auth/nest';
import { AdminPetsController } from './admin-pets.controller';
import { HealthController } from './health.controller';
import { MissingRouteFilter } from './missing-route.filter';
import { OrdersController } from './orders.controller';
import { PetStore } from './pet-store';
import { PetsController } from './pets.controller';
import { ReportsController } from './reports.controller';

/**
 * The PetStore-like demo API. Each route uses one authorization model; the routes are a contract
 * (docs and external checks rely on them): see `docs/getting-started.md`.
 */
@Module({})
export class AppModule {
  /** The demo with the given gateway-auth options (see `buildGatewayAuthOptions`). */
  static forOptions(options: GatewayAuthOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [GatewayAuthModule.forRoot(options), TerminusModule.forRoot({ logger: false })],
      controllers: [
        HealthController,
        PetsController,
        AdminPetsController,
        OrdersController,
        ReportsController,
      ],
      providers: [PetStore, { provide: APP_FILTER, useClass: MissingRouteFilter }],
    };
  }
}
