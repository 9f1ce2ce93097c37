import { ConfigurableModuleBuilder, type Provider } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import type { GatewayAuthOptions } from '../core/gateway-auth';
import { GatewayResponseFilter } from './gateway-response.filter';

/** Options of `GatewayAuthModule.forRoot()` beyond the core's: how the module is registered. */
export interface GatewayAuthModuleExtras {
  /** Register the module globally (its guard and tokens visible everywhere). Default false. */
  isGlobal: boolean;
  /**
   * Register {@link GatewayResponseFilter} as a global filter (`APP_FILTER`), so refusals are written
   * exactly as API Gateway's (status, body, `x-amzn-ErrorType`). Default true. Set `false` to apply
   * it yourself (`@UseFilters(GatewayResponseFilter)`, or from your own global filter).
   */
  globalFilter: boolean;
}

/** `forRoot`/`forRootAsync` built the NestJS way, with `isGlobal` and `globalFilter` extras. */
export const {
  ConfigurableModuleClass: GatewayAuthConfigurableModule,
  MODULE_OPTIONS_TOKEN: GATEWAY_AUTH_OPTIONS,
  OPTIONS_TYPE: GATEWAY_AUTH_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: GATEWAY_AUTH_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<GatewayAuthOptions>()
  .setClassMethodName('forRoot')
  .setExtras<GatewayAuthModuleExtras>(
    { isGlobal: false, globalFilter: true },
    (definition, extras) => {
      const filter: Provider[] = extras.globalFilter
        ? [{ provide: APP_FILTER, useClass: GatewayResponseFilter }]
        : [];
      return {
        ...definition,
        global: extras.isGlobal,
        providers: [...(definition.providers ?? []), ...filter],
      };
    },
  )
  .build();

/** What `GatewayAuthModule.forRoot()` takes: the gateway-auth options plus the module extras. */
export type GatewayAuthModuleOptions = typeof GATEWAY_AUTH_OPTIONS_TYPE;
/** What `GatewayAuthModule.forRootAsync()` takes (`useFactory` + `inject`, `useClass`...). */
export type GatewayAuthModuleAsyncOptions = typeof GATEWAY_AUTH_ASYNC_OPTIONS_TYPE;
