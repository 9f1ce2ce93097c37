import type { AuthorizerOptions } from '../authorizer/authorizer-options';
import type {
  CognitoAuthOptions,
  CognitoUserPoolOptions,
  OidcIssuerOptions,
} from '../jwt/cognito-options';
import type { ApiKind } from './api-definition';
import type { ParseLimits } from './parse-document';
import type { SecurityReadingOptions } from './read-openapi';

/**
 * An API Gateway definition to enforce on every route without decorators (`apiDefinition` in the
 * gateway-auth options): an OpenAPI/Swagger export with `x-amazon-apigateway-*` extensions, a SAM
 * template or a CloudFormation template. Give exactly one of `file`, `text` or `document`.
 * @example
 * apiDefinition: {
 *   file: 'openapi.json',                               // aws apigateway get-export ... > openapi.json
 *   parameters: { 'MyUserPool.Arn': process.env.USER_POOL_ARN! },
 *   authorizers: { TokenAuth: { handler: tokenAuthorizer } }, // in process instead of Lambda
 * }
 */
export interface ApiDefinitionOptions extends SecurityReadingOptions, ParseLimits {
  /** Path of the definition file (JSON or YAML); `AWS::Include` locations resolve next to it. */
  file?: string;
  /** The definition's text (JSON or YAML). */
  text?: string;
  /** The definition already parsed. */
  document?: unknown;
  /**
   * What the template leaves to deploy time, by name: template parameters (`Stage`), pseudo
   * parameters (`AWS::Region`, default `api.region`; `AWS::AccountId`, default `api.accountId`),
   * resource ids (`MyUserPool`), attributes (`MyUserPool.Arn`, `AuthFunction.Arn`) and imports
   * (`Fn::ImportValue:Name`). A value still missing stops the start, naming it.
   */
  parameters?: Readonly<Record<string, string>>;
  /** In a template defining several APIs, the logical id of the one this service stands in for. */
  api?: string;
  /** A stand-alone OpenAPI document's family when detection should not decide. */
  apiType?: ApiKind;
  /**
   * Lambda authorizers of the definition by name, each setting replacing the definition's: most
   * often how the function runs (`handler` in process, `url`, `invoker`, or another
   * `functionName`), else the definition's function ARN is invoked with `@aws-sdk/client-lambda`.
   */
  authorizers?: Readonly<Record<string, Partial<AuthorizerOptions>>>;
  /**
   * Cognito user pools of the definition's `providerARNs`, by pool id or ARN: `issuer` and
   * `jwksUri` (emulators), `keySource`, `clientIds` (default `null`: any app client of the pool,
   * as API Gateway, COG-04).
   */
  userPools?: Readonly<Record<string, Partial<CognitoUserPoolOptions>>>;
  /**
   * JWT authorizer issuers by issuer URL: `jwksUri` (default: a Cognito issuer's
   * `/.well-known/jwks.json`, else found by OpenID Connect discovery as API Gateway does),
   * `keySource`, `algorithms`.
   */
  issuers?: Readonly<Record<string, Partial<OidcIssuerOptions>>>;
  /** Settings shared by the definition's Cognito and JWT authorizers. */
  cognito?: Omit<CognitoAuthOptions, 'userPools' | 'issuers' | 'mode' | 'alb'>;
  /**
   * Requests no definition route covers: `refuse` (default) answers 403 Missing Authentication
   * Token as API Gateway does for an unknown route (PIPE-02); `allow` lets them through untouched.
   */
  uncoveredRoutes?: 'refuse' | 'allow';
  /**
   * API keys accepted on methods with `apiKeyRequired` (sent as `x-api-key`, KEY-01); a missing or
   * other key is refused 403 Forbidden (KEY-02). `null` skips the check, explicitly (KEY-06). Required
   * when the definition has such methods.
   */
  apiKeys?: readonly string[] | null;
  /**
   * Where the service serves the API's paths, e.g. `/prod` when the stage stays in the URL. A request
   * outside it is an unknown route. Default: the root.
   */
  basePath?: string;
}
