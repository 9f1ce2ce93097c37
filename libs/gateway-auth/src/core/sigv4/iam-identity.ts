import type { IamAuthContext } from '../auth-context';
import { type HttpRequest, headerText } from '../http-request';
import type { CallerIdentity } from '../identity/identity-source';

/**
 * `$context.identity` after AWS_IAM authorization (CTX-01): `accountId`, `caller`/`user` (the unique
 * id, `AIDA...` or `AROA...:session`), `userArn`, `accessKey`, `sourceIp`, `userAgent`; Cognito
 * identity-pool fields are `null` (identity pools are not emulated).
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html#context-variable-reference
 */
export function buildIamIdentity(request: HttpRequest, caller: CallerIdentity): IamAuthContext {
  const { principal } = caller;
  return {
    type: 'AWS_IAM',
    identity: {
      accountId: principal.accountId,
      caller: principal.userId,
      user: principal.userId,
      userArn: principal.arn,
      accessKey: caller.accessKeyId,
      principalOrgId: principal.orgId ?? null,
      sourceIp: request.sourceIp,
      userAgent: headerText(request.headers['user-agent']) ?? null,
      cognitoIdentityId: null,
      cognitoIdentityPoolId: null,
      cognitoAuthenticationType: null,
      cognitoAuthenticationProvider: null,
    },
  };
}
