import type { APIGatewayAuthorizerResult } from './types';

/**
 * A policy for every method of the stage the request came in on, built from its method ARN
 * (`arn:aws:execute-api:{region}:{account}:{api}/{stage}/{VERB}/{path}` → `.../{stage}/*`).
 *
 * Why not `Resource: event.methodArn`? API Gateway caches the returned policy for the token and
 * re-evaluates it on every method that uses the authorizer (LC-02): a policy naming only the first
 * method would refuse the others with 403 until the cache entry expires.
 */
export function stageWildcardArn(methodArn: string): string {
  const [apiPart, stage] = methodArn.split('/');
  return `${apiPart}/${stage}/*`;
}

/** An authorizer result with one statement on `execute-api:Invoke`. */
export function generatePolicy(
  principalId: string,
  effect: 'Allow' | 'Deny',
  resource: string | string[],
  context?: Record<string, string | number | boolean>,
): APIGatewayAuthorizerResult {
  return {
    principalId,
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: resource }],
    },
    ...(context === undefined ? {} : { context }),
  };
}
