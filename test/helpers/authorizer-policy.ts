// The Lambda authorizer response the suites' in-process TOKEN authorizers return: one statement
// allowing or denying execute-api:Invoke on every method.

/** `{ principalId, policyDocument }` with one `effect` statement on `*` (and `context` if given). */
export function authorizerPolicy(
  effect: 'Allow' | 'Deny',
  principalId = 'user-1',
  context?: Record<string, string | number | boolean>,
): Record<string, unknown> {
  return {
    principalId,
    ...(context === undefined ? {} : { context }),
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Effect: effect, Action: 'execute-api:Invoke', Resource: '*' }],
    },
  };
}
