// `api-gateway-auth`: the framework-free core (no NestJS, Express or passport is loaded).
// Explicit named exports only. NestJS: `api-gateway-auth/nest`; Express middleware:
// `api-gateway-auth/express`; passport strategies: `api-gateway-auth/passport`.
export type { ApiOptions } from './core/api-options';
export type {
  AuthContext,
  CognitoAuthContext,
  CustomAuthContext,
  IamAuthContext,
} from './core/auth-context';
export { isPending, settle } from './core/authenticator';
export type { Authenticator, Authorization, SharedServices } from './core/authenticator';
export { fixedClock, systemClock, type Clock } from './core/clock';
export { AuthError, ConfigError, type ConfigIssue, type AuthErrorOptions } from './core/errors';
export {
  GatewayAuth,
  type DependencyHealth,
  type GatewayAuthOptions,
  type HealthCheckOptions,
  type RouteRequirement,
} from './core/gateway-auth';
export {
  noopTelemetry,
  type AuthModel,
  type AuthorizationOutcome,
  type AuthorizationScope,
  type AuthorizerInvocation,
  type AuthorizerTarget,
  type AuthTelemetry,
  type CacheLookup,
  type CallTrace,
  type DependencyCall,
} from './core/telemetry/auth-telemetry';
export { GatewayTelemetry, type TelemetryOptions } from './core/telemetry/gateway-telemetry';
export { METRIC_NAMES, type OpenTelemetryOptions } from './core/telemetry/open-telemetry-options';
export { EmfMetrics, type EmfOptions } from './core/telemetry/emf-metrics';
export { AUTHORIZATION_RECORD, AuthorizationRecord } from './core/telemetry/authorization-record';
export {
  AccessLog,
  type AccessLogOptions,
  type AccessLogSource,
} from './core/access-log/access-log';
export {
  compileAccessLogFormat,
  type AccessLogEscaping,
  type CompiledAccessLogFormat,
} from './core/access-log/access-log-format';
export { ACCESS_LOG_FORMATS, type AccessLogFormatName } from './core/access-log/access-log-formats';
export type { AccessLogEntry } from './core/access-log/context-variables';
export { formatClfTime } from './core/access-log/clf-time';
export {
  GATEWAY_RESPONSE_DEFAULTS,
  renderGatewayResponse,
  type GatewayResponseOverride,
  type GatewayResponsesOptions,
  type GatewayResponseType,
  type RenderedResponse,
} from './core/gateway-responses';
export { getHeader, getHeaderValues, type HttpRequest } from './core/http-request';
export { createJsonLogger, silentLogger, type Logger, type LogLevel } from './core/logger';
export { buildMethodArn, maskAccountInArn, parseMethodArn } from './core/arn/execute-api-arn';
export { createTrustedProxies, resolveSourceIp } from './core/source-ip';
export {
  OPERATOR_NAMES,
  combineWithResourcePolicy,
  compilePolicy,
  evaluatePolicies,
  validatePolicy,
  type CompilePolicyOptions,
  type CompiledPolicy,
  type ContextValue,
  type Decision,
  type EvaluateOptions,
  type EvaluationRequest,
  type EvaluationResult,
  type PolicyDocument,
  type PolicyKind,
  type PolicySet,
  type Principal,
  type PrincipalType,
  type StatementExplanation,
  type StatementRef,
} from './core/iam';
export {
  IamAuthenticator,
  type IamAuthOptions,
  type IamRouteOptions,
} from './core/sigv4/iam-authenticator';
export {
  CognitoAuthenticator,
  type AlbOidcOptions,
  type CognitoAuthOptions,
  type CognitoRouteOptions,
  type CognitoUserPoolOptions,
  type OidcIssuerOptions,
  type TokenCacheOptions,
  type TokenSourceOptions,
} from './core/jwt/cognito-authenticator';
export {
  JwksKeySource,
  type JwksHealth,
  type JwksKeySourceOptions,
  type JwksOptions,
} from './core/jwt/jwks-key-source';
export { AlbKeySource, type AlbKeySourceOptions } from './core/jwt/alb-key-source';
export type { KeySource, VerificationKey } from './core/jwt/key-source';
export type { JwsAlgorithm } from './core/jwt/verify-signature';
export type { JwtErrorCode, JwtMode } from './core/jwt/jwt-errors';
export type {
  CallerPrincipal,
  CredentialDefinition,
  CredentialProvider,
  SigV4Credential,
} from './core/sigv4/credential-provider';
export { MemoryCredentialProvider } from './core/sigv4/memory-credential-provider';
export {
  FileCredentialProvider,
  type FileCredentialProviderOptions,
} from './core/sigv4/file-credential-provider';
export { compileCredentials } from './core/sigv4/compile-credentials';
export { parseSigV4, type SigV4Claims } from './core/sigv4/parse-sigv4';
export { verifySignature, type SignatureCheck } from './core/sigv4/verify-signature';
export { SigningKeyCache, deriveSigningKey } from './core/sigv4/signing-key-cache';
export { buildCanonicalRequest } from './core/sigv4/canonical-request';
export {
  CustomAuthorizerAuthenticator,
  type AuthorizerCacheOptions,
  type AuthorizerHealth,
  type CustomAuthorizerRouteOptions,
} from './core/authorizer/custom-authorizer-authenticator';
export type { AuthorizerOptions } from './core/authorizer/authorizer-options';
export {
  AuthorizerFunctionError,
  AuthorizerUnauthorizedError,
  type AuthorizerInvoker,
  type InvocationOptions,
} from './core/authorizer/invokers/authorizer-invoker';
export {
  InProcessInvoker,
  type LambdaCallback,
  type LambdaContextLike,
  type LambdaHandler,
} from './core/authorizer/invokers/in-process-invoker';
export {
  LambdaInvoker,
  type LambdaClientLike,
  type LambdaInvokerOptions,
} from './core/authorizer/invokers/lambda-invoker';
export { HttpInvoker, type HttpInvokerOptions } from './core/authorizer/invokers/http-invoker';
export { AuthorizerTimeoutError } from './core/authorizer/invokers/bounded-invoker';
export type { TokenAuthorizerEvent } from './core/authorizer/events/token-event';
export type { RequestAuthorizerEvent } from './core/authorizer/events/request-event';
export type { RequestAuthorizerEventV2 } from './core/authorizer/events/request-event-v2';
export type { CachedDecision, CachedPart, DecisionCache } from './core/cache/decision-cache';
export { createDecisionCache } from './core/cache/create-decision-cache';
export {
  MemoryDecisionCache,
  type MemoryCacheUsage,
  type MemoryDecisionCacheOptions,
} from './core/cache/memory-decision-cache';
export {
  RedisDecisionCache,
  type RedisClient,
  type RedisHealth,
  type RedisDecisionCacheOptions,
} from './core/cache/redis-decision-cache';
export type { ApiDefinitionOptions } from './core/definition/definition-options';
export {
  Unresolved,
  displayString,
  type ApiDefinition,
  type ApiKind,
  type DefinitionAuthType,
  type DefinitionAuthorizer,
  type DefinitionAuthorizerType,
  type DefinitionRoute,
  type DefinitionString,
} from './core/definition/api-definition';
export {
  readApiDefinition,
  type ReadDefinitionOptions,
  type ReadDefinitionResult,
} from './core/definition/read-api-definition';
export {
  applyApiDefinition,
  planApiDefinition,
  type AppliedDefinition,
  type DefinitionPlan,
} from './core/definition/apply-definition';
export {
  toRouteTable,
  type RouteTable,
  type RouteTableAuthorizer,
  type RouteTableRoute,
} from './core/definition/route-table';
export { compareRoutes, type DriftReport, type ServedRoute } from './core/definition/drift-report';
export {
  parseApiGatewayPath,
  toFrameworkRoute,
  type TemplateSegment,
} from './core/definition/route-template';
export {
  OidcDiscoveryKeySource,
  type OidcDiscoveryKeySourceOptions,
} from './core/jwt/oidc-discovery-key-source';
export { toHttpRequest } from './adapter-request';
