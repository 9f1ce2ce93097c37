// `api-gateway-auth/nest`: the NestJS module, guard, decorators and injection tokens.
// Explicit named exports only.
export { GatewayAuthModule } from './gateway-auth.module';
export {
  GATEWAY_AUTH_OPTIONS,
  type GatewayAuthModuleAsyncOptions,
  type GatewayAuthModuleExtras,
  type GatewayAuthModuleOptions,
} from './gateway-auth.module-definition';
export { CredentialProvider, DecisionCache, KeySource } from './gateway-auth.tokens';
export { GatewayAuthGuard } from './gateway-auth.guard';
export { ApiDefinitionGuard } from './api-definition.guard';
export { ApiDefinitionDrift } from './api-definition-drift';
export { GatewayAuthHealthIndicator } from './gateway-auth-health.indicator';
export { GatewayResponseFilter } from './gateway-response.filter';
export { GatewayResponseException } from './gateway-response.exception';
export {
  AuthContext,
  CognitoAuth,
  CognitoAuthContext,
  CustomAuthContext,
  CustomAuthorizer,
  IamAuth,
  IamAuthContext,
  Public,
} from './decorators';
export { NestLoggerAdapter } from './nest-logger-adapter';
