/**
 * The REST `TOKEN` authorizer event: exactly three fields (LT-01). The token is the complete header
 * value — no `Bearer ` stripping.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-input.html
 */
export interface TokenAuthorizerEvent {
  type: 'TOKEN';
  authorizationToken: string;
  methodArn: string;
}

/** Builds the `TOKEN` event. */
export function buildTokenEvent(token: string, methodArn: string): TokenAuthorizerEvent {
  return { type: 'TOKEN', authorizationToken: token, methodArn };
}
