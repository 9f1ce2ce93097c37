import type { GatewayResponsesOptions } from '../gateway-responses';

/**
 * A value a template left to be known at deploy time (`!Ref MyUserPool`, `!GetAtt Fn.Arn`,
 * `${AWS::AccountId}`) that the user's parameters did not supply.
 */
export class Unresolved {
  /**
   * @param names the settings that would resolve it, as `--parameter` names (`MyUserPool.Arn`).
   * @param display the value with the missing parts written `${Name}`.
   */
  constructor(
    readonly names: readonly string[],
    readonly display: string,
  ) {}
}

/** A string read from a definition, or what it is missing. */
export type DefinitionString = string | Unresolved;

/** How API Gateway authorizes a method or route. */
export type DefinitionAuthType = 'NONE' | 'AWS_IAM' | 'COGNITO_USER_POOLS' | 'CUSTOM' | 'JWT';

/** The kind of authorizer, as the CLI's JSON names it. */
export type DefinitionAuthorizerType = 'TOKEN' | 'REQUEST' | 'COGNITO_USER_POOLS' | 'JWT';

/** REST API (v1) or HTTP API (v2): they differ in defaults, identity-source syntax and answers. */
export type ApiKind = 'REST' | 'HTTP';

/** One method (REST) or route (HTTP API) as API Gateway would create it. */
export interface DefinitionRoute {
  /** Upper-case method, or `ANY`. */
  method: string;
  /** API Gateway path template (`/pets/{id}`, `/{proxy+}`), or `$default` (HTTP APIs). */
  path: string;
  auth: DefinitionAuthType;
  /** The authorizer's name for COGNITO_USER_POOLS, CUSTOM and JWT; otherwise null. */
  authorizer: string | null;
  /** OAuth scopes of the method (COG-03, HJWT-02). */
  scopes: readonly DefinitionString[];
  apiKeyRequired: boolean;
  /** A CORS preflight SAM generated (`Cors`), not a method the template wrote. */
  corsPreflight?: boolean;
  /** JSON path of the definition this route comes from. */
  source: string;
}

/** One authorizer, normalized from `x-amazon-apigateway-authorizer` or a template resource. */
export interface DefinitionAuthorizer {
  name: string;
  type: DefinitionAuthorizerType;
  /** Identity sources in the API's own syntax (`method.request.header.X` / `$request.header.X`). */
  identitySource: readonly DefinitionString[];
  /** Result cache TTL; null when the type caches nothing we model (Cognito, JWT). */
  ttlSeconds: number | null;
  identityValidationExpression?: DefinitionString;
  /** Lambda authorizers: the function ARN read from `authorizerUri` / `FunctionArn`. */
  functionArn?: DefinitionString;
  /** Lambda authorizers: the `authorizerUri` as written (when given as a URI). */
  authorizerUri?: DefinitionString;
  /** The role API Gateway assumes to invoke the function (informational here). */
  authorizerCredentials?: DefinitionString;
  /** COGNITO_USER_POOLS: user pool ARNs (COG-01). */
  providerArns?: readonly DefinitionString[];
  /** JWT: issuer and audiences (HJWT-02). */
  issuer?: DefinitionString;
  audience?: readonly DefinitionString[];
  /** HTTP API Lambda authorizers (HL-01/03). */
  payloadFormatVersion?: '1.0' | '2.0';
  enableSimpleResponses?: boolean;
  /** JSON path of the definition this authorizer comes from. */
  source: string;
}

/** Everything about auth a definition says, in one shape whatever its format. */
export interface ApiDefinition {
  kind: ApiKind;
  /** What was read: `openapi-3`, `swagger-2`, `sam`, `cloudformation`. */
  format: 'openapi-3' | 'swagger-2' | 'sam' | 'cloudformation';
  /** The API's name or logical id, when known. */
  name?: string;
  routes: DefinitionRoute[];
  authorizers: DefinitionAuthorizer[];
  /** `x-amazon-apigateway-policy`, SAM `ResourcePolicy`, or the RestApi's `Policy`. */
  resourcePolicy?: { document: unknown; source: string };
  gatewayResponses?: GatewayResponsesOptions;
  /** `x-amazon-apigateway-api-key-source` / `ApiKeySourceType`; default HEADER (KEY-01). */
  apiKeySource: 'HEADER' | 'AUTHORIZER';
  /** Things read but not enforced, or read with a caveat: shown in reports, never fatal. */
  warnings: string[];
}

/** Every name an {@link Unresolved} among `values` needs, in order of first appearance. */
export function unresolvedNames(values: readonly unknown[]): string[] {
  const names: string[] = [];
  const visit = (value: unknown, depth: number): void => {
    if (depth > 64) return;
    if (value instanceof Unresolved) {
      for (const name of value.names) if (!names.includes(name)) names.push(name);
    } else if (Array.isArray(value)) {
      for (const item of value) visit(item, depth + 1);
    } else if (typeof value === 'object' && value !== null) {
      for (const item of Object.values(value)) visit(item, depth + 1);
    }
  };
  for (const value of values) visit(value, 0);
  return names;
}

/** A definition string as text: resolved as is, unresolved as `${Name}` placeholders. */
export function displayString(value: DefinitionString): string {
  return value instanceof Unresolved ? value.display : value;
}
