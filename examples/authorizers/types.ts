/**
 * The event and result shapes of API Gateway Lambda authorizers, as an ordinary Lambda function
 * sees them (the same names as the community `@types/aws-lambda` typings, so these handlers move to
 * a real Lambda function unchanged).
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-input.html
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-output.html
 */

/** REST `TOKEN` authorizer input (LT-01). */
export interface APIGatewayTokenAuthorizerEvent {
  type: 'TOKEN';
  authorizationToken: string;
  methodArn: string;
}

/** REST `REQUEST` authorizer input (LR-01); HTTP API payload 1.0 adds `version`/`identitySource`. */
export interface APIGatewayRequestAuthorizerEvent {
  type: 'REQUEST';
  version?: '1.0';
  methodArn: string;
  identitySource?: string;
  authorizationToken?: string;
  resource: string;
  path: string;
  httpMethod: string;
  headers: Record<string, string> | null;
  multiValueHeaders: Record<string, string[]> | null;
  queryStringParameters: Record<string, string> | null;
  multiValueQueryStringParameters: Record<string, string[]> | null;
  pathParameters: Record<string, string> | null;
  stageVariables: Record<string, string> | null;
  requestContext: Record<string, unknown>;
}

/** HTTP API payload 2.0 authorizer input (HL-01). */
export interface APIGatewayRequestAuthorizerEventV2 {
  version: '2.0';
  type: 'REQUEST';
  routeArn: string;
  identitySource: string[];
  routeKey: string;
  rawPath: string;
  rawQueryString: string;
  cookies?: string[];
  headers?: Record<string, string>;
  queryStringParameters?: Record<string, string>;
  pathParameters?: Record<string, string>;
  stageVariables?: Record<string, string>;
  requestContext: Record<string, unknown>;
}

/** One statement of the returned policy. */
export interface PolicyStatement {
  Action: string | string[];
  Effect: 'Allow' | 'Deny';
  Resource: string | string[];
}

/** The IAM policy response (LO-01). */
export interface APIGatewayAuthorizerResult {
  principalId: string;
  policyDocument: { Version: '2012-10-17'; Statement: PolicyStatement[] };
  context?: Record<string, string | number | boolean>;
  usageIdentifierKey?: string;
}

/** HTTP API 2.0 simple response (HL-03). */
export interface APIGatewaySimpleAuthorizerResult {
  isAuthorized: boolean;
  context?: Record<string, unknown>;
}

/** The part of Lambda's `context` argument these examples read. */
export interface LambdaContext {
  awsRequestId?: string;
  functionName?: string;
  getRemainingTimeInMillis?: () => number;
}
