import { generatePolicy, stageWildcardArn } from './policy';
import type { APIGatewayAuthorizerResult, APIGatewayTokenAuthorizerEvent } from './types';

/**
 * The `TOKEN` authorizer of the API Gateway developer guide, as an ordinary Lambda handler: the token
 * `allow` gets an Allow policy, `deny` a Deny policy (403), `unauthorized` (or empty) the special
 * `Unauthorized` error (401), anything else a plain error (500 AuthorizerConfigurationException).
 * Unlike the guide's version, the policy covers the whole stage so cached results work on every
 * method (LC-02).
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-use-lambda-authorizer.html
 */
// eslint-disable-next-line @typescript-eslint/require-await -- Lambda handlers are async by convention
export async function tokenAuthorizer(
  event: APIGatewayTokenAuthorizerEvent,
): Promise<APIGatewayAuthorizerResult> {
  const context = { stringKey: 'stringval', numberKey: 123, booleanKey: true };
  switch (event.authorizationToken) {
    case 'allow':
      return generatePolicy('user', 'Allow', stageWildcardArn(event.methodArn), context);
    case 'deny':
      return generatePolicy('user', 'Deny', stageWildcardArn(event.methodArn), context);
    case 'unauthorized':
    case '':
      throw new Error('Unauthorized');
    default:
      throw new Error('Error: Invalid token');
  }
}

export const handler = tokenAuthorizer;
