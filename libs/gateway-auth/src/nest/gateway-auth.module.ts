import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { GatewayAuth, type GatewayAuthOptions } from '../core/gateway-auth';
import { GatewayAuthGuard } from './gateway-auth.guard';
import { GatewayAuthHealthIndicator } from './gateway-auth-health.indicator';
import {
  GATEWAY_AUTH_OPTIONS,
  GatewayAuthConfigurableModule,
} from './gateway-auth.module-definition';
import { GatewayResponseFilter } from './gateway-response.filter';

/**
 * Registers gateway-auth: builds the core from the options (validated at boot: a bad option stops
 * the app with a message naming the field), provides {@link GatewayAuthGuard} for the decorators and
 * a filter that writes refusals exactly as API Gateway does.
 * @example
 * GatewayAuthModule.forRoot({
 *   api: { region: 'us-east-1', accountId: '111122223333', apiId: 'petstore', stage: 'prod' },
 *   iam: { credentials: new FileCredentialProvider('iam-credentials.json') },
 *   isGlobal: true,
 * })
 */
@Module({
  providers: [
    {
      provide: GatewayAuth,
      useFactory: (options: GatewayAuthOptions) => new GatewayAuth(options),
      inject: [GATEWAY_AUTH_OPTIONS],
    },
    GatewayAuthGuard,
    GatewayAuthHealthIndicator,
    { provide: APP_FILTER, useClass: GatewayResponseFilter },
  ],
  exports: [GatewayAuth, GatewayAuthGuard, GatewayAuthHealthIndicator],
})
export class GatewayAuthModule
  extends GatewayAuthConfigurableModule
  implements OnApplicationShutdown
{
  constructor(@Inject(GatewayAuth) private readonly gatewayAuth: GatewayAuth) {
    super();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.gatewayAuth.close();
  }
}
