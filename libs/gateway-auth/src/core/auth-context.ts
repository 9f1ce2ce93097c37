/**
 * What a handler learns about the caller, shaped like API Gateway's request context so code written
 * for Lambda proxy events reads the same fields.
 */
export type AuthContext = IamAuthContext | CognitoAuthContext | CustomAuthContext;

/** `$context.identity` after AWS_IAM authorization (CTX-01). */
export interface IamAuthContext {
  type: 'AWS_IAM';
  identity: {
    accountId: string | null;
    caller: string | null;
    user: string | null;
    userArn: string | null;
    accessKey: string | null;
    principalOrgId: string | null;
    sourceIp: string;
    userAgent: string | null;
    cognitoIdentityId: null;
    cognitoIdentityPoolId: null;
    cognitoAuthenticationType: null;
    cognitoAuthenticationProvider: null;
  };
}

/** `$context.authorizer.claims` after a Cognito user pool / JWT authorizer (COG-07, HJWT-05). */
export interface CognitoAuthContext {
  type: 'COGNITO_USER_POOLS' | 'JWT';
  /** Every claim as a string, as API Gateway renders them. */
  claims: Record<string, string>;
  /** Route scopes that matched (JWT authorizer's `jwt.scopes`), or null. */
  scopes: string[] | null;
  /** Which identity source verified the caller (`cognito` pool issuer, OIDC issuer, or `alb`). */
  issuer: string;
  sourceIp: string;
}

/** `$context.authorizer` after a Lambda authorizer (LO-02, LO-09). */
export interface CustomAuthContext {
  type: 'CUSTOM';
  authorizerName: string;
  principalId: string | null;
  /** The authorizer's `context`, values stringified as in REST proxy events (or raw for HTTP 2.0). */
  authorizer: Record<string, unknown>;
  usageIdentifierKey?: string;
  sourceIp: string;
}
