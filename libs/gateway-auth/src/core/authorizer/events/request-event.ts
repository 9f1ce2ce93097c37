/**
 * The REST `REQUEST` authorizer event and the HTTP API payload format 1.0 (LR-01, HL-01).
 */
import type { HttpRequest } from '../../http-request';
import type { RequestView } from '../request-view';
import { formatRequestTime } from '../request-view';

/** `requestContext.identity` of REST events (the proxy integration's shape, LR-01). */
export interface RequestEventIdentity {
  cognitoIdentityPoolId: null;
  accountId: null;
  cognitoIdentityId: null;
  caller: null;
  sourceIp: string;
  principalOrgId: null;
  accessKey: null;
  cognitoAuthenticationType: null;
  cognitoAuthenticationProvider: null;
  userArn: null;
  userAgent: string | null;
  user: null;
  apiKey: string | null;
  apiKeyId: null;
  clientCert: null;
}

/**
 * The REST `REQUEST` authorizer event (LR-01), and with `version`, `identitySource` and
 * `authorizationToken` the HTTP API payload format 1.0 (HL-01).
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-input.html
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-lambda-authorizer.html
 */
export interface RequestAuthorizerEvent {
  version?: '1.0';
  type: 'REQUEST';
  methodArn: string;
  identitySource?: string;
  authorizationToken?: string;
  resource: string;
  path: string;
  httpMethod: string;
  headers: Record<string, string>;
  multiValueHeaders: Record<string, string[]>;
  queryStringParameters: Record<string, string>;
  multiValueQueryStringParameters: Record<string, string[]>;
  pathParameters: Record<string, string>;
  stageVariables: Record<string, string>;
  requestContext: {
    resourceId: string;
    resourcePath: string;
    httpMethod: string;
    extendedRequestId: string;
    requestTime: string;
    path: string;
    accountId: string;
    protocol: string;
    stage: string;
    domainPrefix: string;
    requestTimeEpoch: number;
    requestId: string;
    identity: RequestEventIdentity;
    domainName: string;
    apiId: string;
  };
}

/**
 * `headers` (last value of a repeated name) and `multiValueHeaders` (all values), with the client's
 * header-name casing when the adapter passed `rawHeaders` (the first casing seen wins), else
 * lowercase.
 */
function headerMaps(request: HttpRequest): {
  headers: Record<string, string>;
  multiValueHeaders: Record<string, string[]>;
} {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  const raw = request.rawHeaders;
  if (raw && raw.length > 0) {
    const casing = new Map<string, string>();
    for (let i = 0; i + 1 < raw.length; i += 2) {
      const name = raw[i] as string;
      const lower = name.toLowerCase();
      let key = casing.get(lower);
      if (key === undefined) {
        key = name;
        casing.set(lower, name);
      }
      const value = raw[i + 1] as string;
      (multiValueHeaders[key] ??= []).push(value);
      headers[key] = value;
    }
    return { headers, multiValueHeaders };
  }
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    const values = typeof value === 'string' ? [value] : [...value];
    multiValueHeaders[name] = values;
    headers[name] = values[values.length - 1] ?? '';
  }
  return { headers, multiValueHeaders };
}

/**
 * Builds the REST `REQUEST` event; pass `identityValues` to get the HTTP API 1.0 form. `headers`
 * and `queryStringParameters` hold the last value of a repeated name, the `multiValue*` maps all of
 * them; empty maps are `{}` (LR-01). Header names keep the client's casing when known.
 */
export function buildRequestEvent(
  view: RequestView,
  methodArn: string,
  stageVariables: Readonly<Record<string, string>>,
  identityValues?: readonly string[],
): RequestAuthorizerEvent {
  const { request, api } = view;
  const { headers, multiValueHeaders } = headerMaps(request);
  const queryStringParameters: Record<string, string> = {};
  const multiValueQueryStringParameters: Record<string, string[]> = {};
  for (const [name, value] of view.query) {
    queryStringParameters[name] = value;
    (multiValueQueryStringParameters[name] ??= []).push(value);
  }
  const requestId = view.requestId;
  const domainName = view.domainName;
  const joined = identityValues?.join(',');
  return {
    ...(identityValues === undefined
      ? {}
      : { version: '1.0' as const, identitySource: joined, authorizationToken: joined }),
    type: 'REQUEST',
    methodArn,
    resource: view.resourcePath,
    path: request.path,
    httpMethod: request.method,
    headers,
    multiValueHeaders,
    queryStringParameters,
    multiValueQueryStringParameters,
    pathParameters: { ...request.pathParameters },
    stageVariables: { ...stageVariables },
    requestContext: {
      resourceId: view.resourceId,
      resourcePath: view.resourcePath,
      httpMethod: request.method,
      extendedRequestId: requestId,
      requestTime: formatRequestTime(view.now),
      path: request.path,
      accountId: api.accountId,
      protocol: request.protocol ?? 'HTTP/1.1',
      stage: api.stage,
      domainPrefix: domainName.split('.')[0] ?? domainName,
      requestTimeEpoch: view.now,
      requestId,
      identity: {
        cognitoIdentityPoolId: null,
        accountId: null,
        cognitoIdentityId: null,
        caller: null,
        sourceIp: request.sourceIp,
        principalOrgId: null,
        accessKey: null,
        cognitoAuthenticationType: null,
        cognitoAuthenticationProvider: null,
        userArn: null,
        userAgent: view.header('user-agent') ?? null,
        user: null,
        apiKey: view.header('x-api-key') ?? null,
        apiKeyId: null,
        clientCert: null,
      },
      domainName,
      apiId: api.apiId,
    },
  };
}
