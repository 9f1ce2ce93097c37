import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { CognitoAuthOptions } from '../core/jwt/cognito-options';
import { createDecisionCache } from '../core/cache/create-decision-cache';
import { systemClock } from '../core/clock';
import { ConfigError } from '../core/errors';
import { GatewayAuth, type GatewayAuthOptions } from '../core/gateway-auth';
import type { Logger } from '../core/logger';
import { MemoryCredentialProvider } from '../core/sigv4/memory-credential-provider';
import { ApiDefinitionDrift } from './api-definition-drift';
import { ApiDefinitionGuard } from './api-definition.guard';
import { BodyCaptureInstaller } from './body-capture.installer';
import { GatewayAuthGuard } from './gateway-auth.guard';
import { GatewayAuthHealthIndicator } from './gateway-auth-health.indicator';
import {
  GATEWAY_AUTH_OPTIONS,
  GatewayAuthConfigurableModule,
} from './gateway-auth.module-definition';
import {
  CredentialProvider,
  DecisionCache,
  GATEWAY_AUTH_LOGGER,
  KeySource,
} from './gateway-auth.tokens';
import { NestLoggerAdapter } from './nest-logger-adapter';

/**
 * Registers gateway-auth: builds the core from the options (validated at boot: a bad option stops
 * the app with a message naming the field), provides {@link GatewayAuthGuard} for the decorators,
 * the pluggable parts under their tokens ({@link DecisionCache}, {@link CredentialProvider},
 * {@link KeySource}) and, unless `globalFilter: false`, a global filter that writes refusals exactly
 * as API Gateway does. Request bodies are read before any guard runs, with no wiring by the app
 * (no `rawBody: true`): every SigV4-signed body byte for byte, JSON and form bodies parsed as Nest
 * parses them, bodies over `bodyLimitBytes` refused 413, and a parse error answered only once every
 * guard has let the request through ({@link BodyCaptureInstaller}).
 * Records go to Nest's `Logger` unless the options name a `logger`. With
 * `apiDefinition`, a global {@link ApiDefinitionGuard} puts the definition in force on every
 * undecorated route and {@link ApiDefinitionDrift} logs where the service and the definition
 * disagree at start-up.
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
 * @example
 * GatewayAuthModule.forRootAsync({
 *   imports: [ConfigModule],
 *   inject: [ConfigService],
 *   useFactory: (config: ConfigService) => ({ api: config.getOrThrow('gatewayAuth.api') }),
 * })
 */
@Module({
  providers: [
    {
      provide: GATEWAY_AUTH_LOGGER,
      useFactory: (options: GatewayAuthOptions): Logger =>
        options.logger ?? new NestLoggerAdapter(),
      inject: [GATEWAY_AUTH_OPTIONS],
    },
    {
      provide: DecisionCache,
      useFactory: (options: GatewayAuthOptions, logger: Logger): DecisionCache | null =>
        options.authorizers === undefined
          ? null
          : createDecisionCache(options.cache ?? {}, {
              logger,
              clock: options.clock ?? systemClock,
            }),
      inject: [GATEWAY_AUTH_OPTIONS, GATEWAY_AUTH_LOGGER],
    },
    {
      provide: CredentialProvider,
      useFactory: (options: GatewayAuthOptions): CredentialProvider | null => {
        const credentials = options.iam?.credentials;
        if (credentials === undefined) return null;
        return Array.isArray(credentials)
          ? new MemoryCredentialProvider(credentials)
          : (credentials as CredentialProvider);
      },
      inject: [GATEWAY_AUTH_OPTIONS],
    },
    { provide: KeySource, useValue: null },
    {
      provide: GatewayAuth,
      useFactory: (
        options: GatewayAuthOptions,
        logger: Logger,
        cache: DecisionCache | null,
        credentials: CredentialProvider | null,
        keySource: KeySource | null,
      ) =>
        new GatewayAuth({
          ...options,
          logger,
          ...(cache === null ? {} : { cache: { ...options.cache, store: cache } }),
          ...(credentials === null ? {} : { iam: { ...options.iam, credentials } }),
          ...(keySource === null ? {} : { cognito: withKeySource(options.cognito, keySource) }),
        }),
      inject: [
        GATEWAY_AUTH_OPTIONS,
        GATEWAY_AUTH_LOGGER,
        DecisionCache,
        CredentialProvider,
        KeySource,
      ],
    },
    GatewayAuthGuard,
    // `apiDefinition`: every route without a decorator gets its definition's requirement.
    { provide: APP_GUARD, useClass: ApiDefinitionGuard },
    // Bodies read before the guards; a parse error answered after all of them.
    BodyCaptureInstaller,
    ApiDefinitionDrift,
    GatewayAuthHealthIndicator,
  ],
  exports: [
    GatewayAuth,
    GatewayAuthGuard,
    ApiDefinitionDrift,
    GatewayAuthHealthIndicator,
    DecisionCache,
    CredentialProvider,
    KeySource,
  ],
})
export class GatewayAuthModule
  extends GatewayAuthConfigurableModule
  implements OnApplicationShutdown
{
  constructor(
    @Inject(GatewayAuth) private readonly gatewayAuth: GatewayAuth,
    @Inject(GATEWAY_AUTH_OPTIONS) private readonly options: GatewayAuthOptions,
    @Inject(DecisionCache) private readonly decisionCache: DecisionCache | null,
  ) {
    super();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.gatewayAuth.close();
    // The core leaves a store it was handed open; the module closes the one it provided, unless
    // the options passed it in (`cache.store`: yours to close).
    if (this.decisionCache !== null && this.decisionCache !== this.options.cache?.store) {
      await this.decisionCache.close();
    }
  }
}

/** Puts a key source provided through DI on the one pool or issuer configured. */
function withKeySource(
  cognito: CognitoAuthOptions | undefined,
  keySource: KeySource,
): CognitoAuthOptions {
  const pools = cognito?.userPools ?? [];
  const issuers = cognito?.issuers ?? [];
  if (cognito === undefined || pools.length + issuers.length !== 1) {
    throw new ConfigError('gateway-auth options', [
      {
        path: 'cognito',
        message: `a KeySource provided through dependency injection serves exactly one user pool or issuer, and ${pools.length + issuers.length} are configured: set keySource on each pool or issuer instead`,
      },
    ]);
  }
  // The pool's or issuer's own keySource, when set, wins.
  return {
    ...cognito,
    ...(pools.length === 1
      ? { userPools: pools.map((pool) => ({ keySource, ...pool })) }
      : { issuers: issuers.map((issuer) => ({ keySource, ...issuer })) }),
  };
}
