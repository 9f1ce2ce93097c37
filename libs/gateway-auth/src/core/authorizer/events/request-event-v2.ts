/**
 * The HTTP API authorizer event, payload format 2.0 (HL-01/HL-02).
 */
import type { RequestView } from '../request-view';
import { formatRequestTime } from '../request-view';

/**
 * The HTTP API Lambda authorizer event, payload format 2.0 (HL-01/HL-02). Optional maps are left
 * out when empty, as in API Gateway's 2.0 payloads.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-lambda-authorizer.html
 */
export interface RequestAuthorizerEventV2 {
  version: '2.0';
  type: 'REQUEST';
  routeArn: string;
  identitySource: string[];
  routeKey: string;
  rawPath: string;
  rawQueryString: string;
  cookies?: string[];
  headers: Record<string, string>;
  queryStringParameters?: Record<string, string>;
  requestContext: {
    accountId: string;
    apiId: string;
    domainName: string;
    domainPrefix: string;
    http: { method: string; path: string; protocol: string; sourceIp: string; userAgent: string };
    requestId: string;
    routeKey: string;
    stage: string;
    time: string;
    timeEpoch: number;
  };
  pathParameters?: Record<string, string>;
  stageVariables?: Record<string, string>;
}

/**
 * Builds the 2.0 event: lowercase header names, repeated headers and query parameters joined with
 * `,`, cookies split out of the `cookie` header into `cookies` (HL-02).
 */
export function buildRequestEventV2(
  view: RequestView,
  routeArn: string,
  stageVariables: Readonly<Record<string, string>>,
  identityValues: readonly string[],
): RequestAuthorizerEventV2 {
  const { request, api } = view;
  const headers: Record<string, string> = {};
  let cookies: string[] | undefined;
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    const values = typeof value === 'string' ? [value] : value;
    if (name === 'cookie') {
      cookies = values.flatMap((v) => v.split(/;\s*/)).filter((c) => c !== '');
      continue;
    }
    headers[name] = values.join(',');
  }
  let queryStringParameters: Record<string, string> | undefined;
  for (const [name, value] of view.query) {
    queryStringParameters ??= {};
    const previous = queryStringParameters[name];
    queryStringParameters[name] = previous === undefined ? value : `${previous},${value}`;
  }
  const domainName = view.domainName;
  const routeKey = view.routeKey;
  const pathParameters = request.pathParameters;
  return {
    version: '2.0',
    type: 'REQUEST',
    routeArn,
    identitySource: [...identityValues],
    routeKey,
    rawPath: request.path,
    rawQueryString: request.rawQuery,
    ...(cookies && cookies.length > 0 ? { cookies } : {}),
    headers,
    ...(queryStringParameters ? { queryStringParameters } : {}),
    requestContext: {
      accountId: api.accountId,
      apiId: api.apiId,
      domainName,
      domainPrefix: domainName.split('.')[0] ?? domainName,
      http: {
        method: request.method,
        path: request.path,
        protocol: request.protocol ?? 'HTTP/1.1',
        sourceIp: request.sourceIp,
        userAgent: view.header('user-agent') ?? '',
      },
      requestId: view.requestId,
      routeKey,
      stage: api.stage,
      time: formatRequestTime(view.now),
      timeEpoch: view.now,
    },
    ...(pathParameters && Object.keys(pathParameters).length > 0
      ? { pathParameters: { ...pathParameters } }
      : {}),
    ...(Object.keys(stageVariables).length > 0 ? { stageVariables: { ...stageVariables } } : {}),
  };
}
