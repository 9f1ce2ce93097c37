// Example Lambda authorizers: ordinary Lambda handlers, usable in-process by gateway-auth or deployed
// to AWS Lambda unchanged.
export { tokenAuthorizer } from './token-authorizer';
export { requestAuthorizer } from './request-authorizer';
export { createSimpleHttpAuthorizer } from './simple-http-authorizer';
export {
  createOidcTokenAuthorizer,
  type OidcTokenAuthorizerOptions,
} from './oidc-token-authorizer';
export { generatePolicy, stageWildcardArn } from './policy';
export type {
  APIGatewayAuthorizerResult,
  APIGatewayRequestAuthorizerEvent,
  APIGatewayRequestAuthorizerEventV2,
  APIGatewaySimpleAuthorizerResult,
  APIGatewayTokenAuthorizerEvent,
} from './types';
