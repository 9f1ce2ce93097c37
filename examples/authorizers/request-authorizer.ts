import { generatePolicy, stageWildcardArn } from './policy';
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from './types';

/**
 * The `REQUEST` authorizer of the API Gateway developer guide, as an ordinary Lambda handler: allows
 * when the `HeaderAuth1` header is `headerValue1`, the `QueryString1` query parameter is
 * `queryValue1` and (when stage variables are configured) `StageVar1` is `stageValue1`; otherwise
 * `Unauthorized` (401). Header names are matched case-insensitively, as HTTP requires (REST events
 * keep the client's casing; HTTP API 2.0 lowercases them).
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-use-lambda-authorizer.html
 */
// eslint-disable-next-line @typescript-eslint/require-await -- Lambda handlers are async by convention
export async function requestAuthorizer(
  event: APIGatewayRequestAuthorizerEvent,
): Promise<APIGatewayAuthorizerResult> {
  const headers = event.headers ?? {};
  const header = Object.keys(headers).find((name) => name.toLowerCase() === 'headerauth1');
  const query = event.queryStringParameters ?? {};
  const stage = event.stageVariables;
  if (
    header !== undefined &&
    headers[header] === 'headerValue1' &&
    query.QueryString1 === 'queryValue1' &&
    (stage === null || stage.StageVar1 === undefined || stage.StageVar1 === 'stageValue1')
  ) {
    return generatePolicy('me', 'Allow', stageWildcardArn(event.methodArn), {
      sourceIp: String(
        (event.requestContext.identity as { sourceIp?: string } | undefined)?.sourceIp,
      ),
    });
  }
  throw new Error('Unauthorized');
}

export const handler = requestAuthorizer;
