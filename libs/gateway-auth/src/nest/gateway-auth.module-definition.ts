import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { GatewayAuthOptions } from '../core/gateway-auth';

/** `forRoot`/`forRootAsync` built the NestJS way, with an `isGlobal` extra (default false). */
export const {
  ConfigurableModuleClass: GatewayAuthConfigurableModule,
  MODULE_OPTIONS_TOKEN: GATEWAY_AUTH_OPTIONS,
  OPTIONS_TYPE: GATEWAY_AUTH_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: GATEWAY_AUTH_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<GatewayAuthOptions>()
  .setClassMethodName('forRoot')
  .setExtras({ isGlobal: false }, (definition, extras) => ({
    ...definition,
    global: extras.isGlobal,
  }))
  .build();
