// The public API definitions under test/fixtures/api-definitions (origins and licences in the README
// there), each with its route table checked by hand against the template and the documentation of
// what API Gateway / SAM make of it. Rows: `METHOD PATH AUTH AUTHORIZER SCOPES... [key]`.
import { join } from 'node:path';

export const FIXTURES = join(__dirname, '..', 'fixtures', 'api-definitions');

export interface CatalogueEntry {
  /** Path under test/fixtures/api-definitions. */
  file: string;
  /** What it exercises. */
  features: string;
  /** Parameters a deployment would resolve (function and pool ARNs...). */
  parameters?: Record<string, string>;
  /** `METHOD PATH AUTH AUTHORIZER [SCOPES] [key]`, `-` for no authorizer. */
  routes: string[];
  /** `NAME TYPE TTL SOURCE,SOURCE`. */
  authorizers: string[];
  /** What reading it without `parameters` leaves unresolved. */
  unresolved: string[];
  /** For SAM translator tests: SAM's own expected output, whose route table must be the same. */
  samOutput?: string;
}

export const CATALOGUE: CatalogueEntry[] = [
  {
    file: 'aws-sam/api_cognito_auth.template.yaml',
    features:
      'SAM REST API, Cognito user pool authorizer (UserPoolArn !GetAtt → parameter), DefaultAuthorizer, Auth: NONE per event, ANY /{proxy+}, Cors preflights with the default authorizer',
    parameters: {
      'MyCognitoUserPool.Arn':
        'arn:aws:cognito-idp:us-east-1:111122223333:userpool/us-east-1_SamPool1',
    },
    routes: [
      'GET / NONE -',
      'OPTIONS / COGNITO_USER_POOLS MyCognitoAuthorizer',
      'ANY /{proxy+} NONE -',
      'OPTIONS /{proxy+} COGNITO_USER_POOLS MyCognitoAuthorizer',
      'GET /users NONE -',
      'POST /users COGNITO_USER_POOLS MyCognitoAuthorizer',
      'OPTIONS /users COGNITO_USER_POOLS MyCognitoAuthorizer',
      'GET /users/{userId} NONE -',
      'DELETE /users/{userId} COGNITO_USER_POOLS MyCognitoAuthorizer',
      'PUT /users/{userId} COGNITO_USER_POOLS MyCognitoAuthorizer',
      'OPTIONS /users/{userId} COGNITO_USER_POOLS MyCognitoAuthorizer',
    ],
    authorizers: [
      'MyCognitoAuthorizer COGNITO_USER_POOLS null method.request.header.Authorization',
    ],
    unresolved: ['MyCognitoUserPool.Arn'],
  },
  {
    file: 'aws-sam/api_lambda_token_auth.template.yaml',
    features: 'SAM REST API, Lambda TOKEN authorizer as DefaultAuthorizer (FunctionArn !GetAtt)',
    parameters: {
      'MyAuthFunction.Arn': 'arn:aws:lambda:us-east-1:111122223333:function:token-authorizer',
    },
    routes: ['GET / CUSTOM MyLambdaTokenAuthorizer', 'GET /users CUSTOM MyLambdaTokenAuthorizer'],
    authorizers: ['MyLambdaTokenAuthorizer TOKEN 300 method.request.header.Authorization'],
    unresolved: ['MyAuthFunction.Arn'],
  },
  {
    file: 'aws-sam/api_lambda_request_auth.template.yaml',
    features:
      'SAM REST API, Lambda REQUEST authorizer reading a query string (Identity.QueryStrings)',
    parameters: {
      'MyAuthFunction.Arn': 'arn:aws:lambda:us-east-1:111122223333:function:request-authorizer',
    },
    routes: [
      'GET / CUSTOM MyLambdaRequestAuthorizer',
      'GET /users CUSTOM MyLambdaRequestAuthorizer',
    ],
    authorizers: ['MyLambdaRequestAuthorizer REQUEST 300 method.request.querystring.auth'],
    unresolved: ['MyAuthFunction.Arn'],
  },
  {
    file: 'aws-sam/api_aws_iam_auth.template.yaml',
    features: 'SAM REST API, DefaultAuthorizer: AWS_IAM (InvokeRole CALLER_CREDENTIALS)',
    routes: ['GET / AWS_IAM -'],
    authorizers: [],
    unresolved: [],
  },
  {
    file: 'aws-sam-translator/api_with_auth_all_maximum.input.yaml',
    samOutput: 'aws-sam-translator/api_with_auth_all_maximum.output.json',
    features:
      'SAM REST API, every REST authorizer kind: Cognito with one and several pools and custom headers + validation expressions, TOKEN (custom header, TTL 20, TTL 0), REQUEST (headers, query strings, stage variables, context), ANY methods, Auth.ApiKeyRequired on every method; SAM translator test with its expected output',
    routes: [
      'GET / NONE - key',
      'ANY /any/noauth NONE - key',
      'POST /users COGNITO_USER_POOLS MyCognitoAuthMultipleUserPools key',
      'GET /users CUSTOM MyLambdaTokenAuth key',
      'PATCH /users CUSTOM MyLambdaTokenAuthNoneFunctionInvokeRole key',
      'DELETE /users CUSTOM MyLambdaRequestAuth key',
      'PUT /users COGNITO_USER_POOLS MyCognitoAuth key',
      'ANY /any/cognitomultiple COGNITO_USER_POOLS MyCognitoAuthMultipleUserPools key',
      'ANY /any/lambdatoken CUSTOM MyLambdaTokenAuth key',
      'ANY /any/lambdatokennone CUSTOM MyLambdaTokenAuthNoneFunctionInvokeRole key',
      'ANY /any/lambdarequest CUSTOM MyLambdaRequestAuth key',
      'ANY /any/default COGNITO_USER_POOLS MyCognitoAuth key',
    ],
    authorizers: [
      'MyCognitoAuth COGNITO_USER_POOLS null method.request.header.MyAuthorizationHeader',
      'MyCognitoAuthMultipleUserPools COGNITO_USER_POOLS null method.request.header.MyAuthorizationHeader2',
      'MyLambdaTokenAuth TOKEN 20 method.request.header.MyCustomAuthHeader',
      'MyLambdaTokenAuthNoneFunctionInvokeRole TOKEN 0 method.request.header.Authorization',
      'MyLambdaRequestAuth REQUEST 0 method.request.header.Authorization1,method.request.querystring.Authorization2,stageVariables.Authorization3,context.Authorization4',
    ],
    unresolved: [],
  },
  {
    file: 'aws-sam-translator/api_with_cors_and_auth_preflight_auth.input.yaml',
    samOutput: 'aws-sam-translator/api_with_cors_and_auth_preflight_auth.output.json',
    features:
      'SAM Globals.Api.Cors, REQUEST authorizer as DefaultAuthorizer added to the CORS preflight (AddDefaultAuthorizerToCorsPreflight default); SAM translator test with its expected output',
    parameters: {
      'MyAuthFn.Arn': 'arn:aws:lambda:us-east-1:111122223333:function:cors-authorizer',
    },
    routes: [
      'GET / CUSTOM MyLambdaRequestAuth',
      'POST / CUSTOM MyLambdaRequestAuth',
      'OPTIONS / CUSTOM MyLambdaRequestAuth',
    ],
    authorizers: ['MyLambdaRequestAuth REQUEST 300 method.request.header.Authorization1'],
    unresolved: ['MyAuthFn.Arn'],
  },
  {
    file: 'aws-sam-translator/http_api_lambda_auth_full.input.yaml',
    samOutput: 'aws-sam-translator/http_api_lambda_auth_full.output.json',
    features:
      'SAM HTTP API, Lambda authorizer payload 2.0 with simple responses, identity from context, header, query string and stage variable, TTL 60, DefaultAuthorizer, an event without Path/Method ($default); SAM translator test with its expected output',
    parameters: {
      'MyAuthFn.Arn': 'arn:aws:lambda:us-east-1:111122223333:function:http-authorizer',
    },
    routes: [
      'POST /basic CUSTOM LambdaAuth',
      'GET /basic CUSTOM LambdaAuth',
      'ANY $default CUSTOM LambdaAuth',
    ],
    authorizers: [
      'LambdaAuth REQUEST 60 $context.contextVar,$request.header.Authorization,$request.querystring.petId,$stageVariables.stageVar',
    ],
    unresolved: ['MyAuthFn.Arn'],
  },
  {
    file: 'aws-sam-translator/http_api_existing_openapi.input.yaml',
    samOutput: 'aws-sam-translator/http_api_existing_openapi.output.json',
    features:
      'SAM HTTP API with an inline OpenAPI 3 DefinitionBody: two JWT authorizers (oauth2 and openIdConnect schemes), token from a query string, scopes per route, $default route; SAM translator test with its expected output',
    routes: [
      'POST /basic JWT OpenIdAuth scope3',
      'POST /integration JWT OpenIdAuth scope1 scope2',
      'ANY $default JWT OpenIdAuth scope1 scope2',
      'POST /oauth2 JWT oauth2Auth scope4',
    ],
    authorizers: [
      'oauth2Auth JWT null $request.querystring.param',
      'OpenIdAuth JWT null $request.querystring.param',
    ],
    unresolved: [],
  },
  {
    file: 'awsdocs-apigateway-guide/rest-with-auth.yaml',
    features:
      'CloudFormation REST API: AWS::ApiGateway::Authorizer (REQUEST, header + query string identity), Method on the root resource (AuthorizationType CUSTOM, AuthorizerId !Ref), AuthorizerUri !Sub',
    parameters: {
      'MyAuthFunction.Arn': 'arn:aws:lambda:us-east-1:111122223333:function:docs-authorizer',
    },
    routes: ['GET / CUSTOM my-authorizer'],
    authorizers: [
      'my-authorizer REQUEST 300 method.request.header.HeaderAuth1,method.request.querystring.QueryString1',
    ],
    unresolved: ['MyAuthFunction.Arn'],
  },
  {
    file: 'awsdocs-apigateway-guide/http-with-jwt-auth.yaml',
    features:
      'CloudFormation HTTP API (quick create with Target) and ApiGatewayManagedOverrides putting a JWT authorizer (Cognito issuer !Sub, audience !Ref) on the $default route, token read from a query string',
    parameters: {
      'AWS::Region': 'us-east-1',
      UserPool: 'us-east-1_DocsPool1',
      AppClient: 'docsappclient0000000000001',
    },
    routes: ['ANY $default JWT test-jwt-authorizer'],
    authorizers: ['test-jwt-authorizer JWT null $request.querystring.access_token'],
    // The issuer is !Sub https://cognito-idp.${AWS::Region}.amazonaws.com/${UserPool}.
    unresolved: ['AWS::Region', 'UserPool', 'AppClient'],
  },
  {
    file: 'awsdocs-apigateway-guide/s3-proxy-export.swagger2.json',
    features:
      'An OpenAPI 2.0 (Swagger) export of a REST API with the sigv4 (awsSigv4) scheme on every method, path parameters, HEAD',
    routes: [
      'GET / AWS_IAM -',
      'GET /{folder} AWS_IAM -',
      'PUT /{folder} AWS_IAM -',
      'DELETE /{folder} AWS_IAM -',
      'GET /{folder}/{item} AWS_IAM -',
      'HEAD /{folder}/{item} AWS_IAM -',
      'PUT /{folder}/{item} AWS_IAM -',
      'DELETE /{folder}/{item} AWS_IAM -',
    ],
    authorizers: [],
    unresolved: [],
  },
  {
    file: 'awsdocs-apigateway-guide/http-api-open-api.example.json',
    features:
      'An OpenAPI 3.0 HTTP API definition (x-amazon-apigateway-cors) with routes open to all (no security)',
    routes: ['GET /pets NONE -', 'POST /pets NONE -', 'GET /pets/{petId} NONE -'],
    authorizers: [],
    unresolved: [],
  },
  {
    file: 'aws-serverless-patterns/apigw-iam.template.yaml',
    features: 'SAM REST API with DefaultAuthorizer: AWS_IAM (serverless-patterns apigw-iam)',
    routes: ['GET / AWS_IAM -'],
    authorizers: [],
    unresolved: [],
  },
  {
    file: 'aws-serverless-patterns/apigw-lambda-authorizer.template.yaml',
    features:
      'CloudFormation REST API inside a SAM template: AWS::ApiGateway::Authorizer TOKEN with a custom header, AuthorizerUri built with !Join, Method on the root resource',
    parameters: {
      'TokenAuthorizerFunction.Arn':
        'arn:aws:lambda:us-east-1:111122223333:function:patterns-token-authorizer',
    },
    routes: ['GET / CUSTOM LambdaAuthorizerToken'],
    authorizers: ['LambdaAuthorizerToken TOKEN 300 method.request.header.authorizationToken'],
    unresolved: ['TokenAuthorizerFunction.Arn'],
  },
];

/** A route table row in the catalogue's notation. */
export function routeRow(r: {
  method: string;
  path: string;
  auth: string;
  authorizer: string | null;
  scopes: readonly string[];
  apiKeyRequired: boolean;
}): string {
  return [
    r.method,
    r.path,
    r.auth,
    r.authorizer ?? '-',
    ...r.scopes,
    ...(r.apiKeyRequired ? ['key'] : []),
  ].join(' ');
}

/** An authorizer row in the catalogue's notation. */
export function authorizerRow(a: {
  name: string;
  type: string;
  ttlSeconds: number | null;
  identitySource: readonly string[];
}): string {
  return `${a.name} ${a.type} ${a.ttlSeconds} ${a.identitySource.join(',')}`;
}
