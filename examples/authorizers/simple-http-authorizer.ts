import type { APIGatewayRequestAuthorizerEventV2, APIGatewaySimpleAuthorizerResult } from './types';

/**
 * The HTTP API (payload 2.0) simple-response authorizer of the API Gateway developer guide:
 * `isAuthorized` is true when the `authorization` header is `secretToken`. The secret here is a
 * fixed demo value; read yours from the environment or a secrets store.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-lambda-authorizer.html
 */
export function createSimpleHttpAuthorizer(
  secretToken = 'secretToken',
): (event: APIGatewayRequestAuthorizerEventV2) => Promise<APIGatewaySimpleAuthorizerResult> {
  return async (event) => {
    await Promise.resolve();
    return {
      isAuthorized: event.headers?.authorization === secretToken,
      context: {
        stringKey: 'value',
        numberKey: 1,
        booleanKey: true,
        arrayKey: ['value1', 'value2'],
      },
    };
  };
}

export const handler = createSimpleHttpAuthorizer();
