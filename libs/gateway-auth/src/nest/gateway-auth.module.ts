import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { GatewayAuth, type GatewayAuthOptions } from '../core/gateway-auth';
import { ApiDefinitionDrift } from './api-definition-drift';
import { ApiDefinitionGuard } from './api-definition.guard';
import { GatewayAuthGuard } from './gateway-auth.guard';
import {
  GATEWAY_AUTH_OPTIONS,
  GatewayAuthConfigurableModule,
} from './gateway-auth.module-definition';
import { GatewayResponseFilter } from './gateway-response.filter';

/**
 * Registers gateway-auth: builds the core from the options (validated at boot: a bad option stops
 * the app with a message naming the field), provides {@link GatewayAuthGuard} for the decorators and
 * a filter that writes refusals exactly as API Gateway does. With `apiDefinition`, a global
 * {@link ApiDefinitionGuard} puts the definition in force on every undecorated route and
 * {@link ApiDefinitionDrift} logs where the service and the definition disagree at start-up.
 * @example
 * GatewayAuthModule.forRoot({
 *   api: { region: 'us-east-1', accountId: '111122223333', apiId: 'petstore', stage: 'prod' },
 *   iam: { credentials: new FileCredentialProvider('iam-credentials.json') },
 *   isGlobal: true,
 * })
 * @example
 * GatewayAuthModule.forRoot({
 *   api: { region: 'us-east-1', accountId: '111122223333', apiId: 'petstore', stage: 'prod' },
 *   apiDefinition: { file: 'openapi.json', authorizers: { TokenAuth: { handler } } },
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
    { provide: APP_FILTER, useClass: GatewayResponseFilter },
    // `apiDefinition`: every route without a decorator gets its definition's requirement.
    { provide: APP_GUARD, useClass: ApiDefinitionGuard },
    ApiDefinitionDrift,
  ],
  exports: [GatewayAuth, GatewayAuthGuard, ApiDefinitionDrift],
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
