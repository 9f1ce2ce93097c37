import type { ApiOptions } from '../api-options';
import type { AuthorizationRecord } from '../telemetry/authorization-record';
import { formatClfTime } from './clf-time';

/** One request as its access-log line sees it once the response has ended. */
export interface AccessLogEntry {
  api: ApiOptions;
  requestId: string;
  /** API Gateway's own id; the request id unless the client chose that one. */
  extendedRequestId: string;
  /** Epoch ms when the request arrived. */
  requestTimeEpochMs: number;
  httpMethod: string;
  /** The raw path, without the query string. */
  path: string;
  protocol: string;
  /** The `Host` header, or undefined. */
  domainName: string | undefined;
  sourceIp: string;
  userAgent: string | undefined;
  /** The route template the framework matched (`/pets/:id`), when known. */
  routePath: string | undefined;
  status: number;
  responseLength: number | undefined;
  responseLatencyMs: number;
  record: AuthorizationRecord;
}

/** Resolves one variable for an entry; `undefined` prints `-` (API Gateway's empty value). */
export type VariableResolver = (entry: AccessLogEntry) => string | number | undefined;

/**
 * Variables API Gateway has that a container cannot know (WAF, API keys, integrations, mTLS, VPC
 * endpoints, canaries): accepted in a format, always `-`.
 */
const ALWAYS_EMPTY = [
  'authorizer.requestId',
  'awsEndpointRequestId',
  'awsEndpointRequestId2',
  'customDomain.basePathMatched',
  'dataProcessed',
  'error.validationErrorString',
  'identity.apiKey',
  'identity.apiKeyId',
  'identity.vpcId',
  'identity.vpceId',
  'integrationLatency',
  'integrationStatus',
  'isCanaryRequest',
  'resourceId',
  'waf.error',
  'waf.latency',
  'waf.status',
  'wafResponseCode',
  'webaclArn',
];

/** Prefixes of variables that are always `-` here (`$context.integration.status`...). */
const EMPTY_PREFIXES = [
  'integration.',
  'identity.clientCert.',
  'requestOverride.',
  'responseOverride.',
];

const IAM_IDENTITY_FIELDS = [
  'accountId',
  'caller',
  'user',
  'userArn',
  'accessKey',
  'principalOrgId',
  'cognitoIdentityId',
  'cognitoIdentityPoolId',
  'cognitoAuthenticationType',
  'cognitoAuthenticationProvider',
] as const;

/**
 * Whether the caller was refused before being identified (401, a bad signature, an authorizer or
 * JWKS failure), as opposed to identified and then denied (`ACCESS_DENIED`).
 */
function refusedUnidentified(record: AuthorizationRecord): boolean {
  return record.error !== undefined && record.error.responseType !== 'ACCESS_DENIED';
}

function errorMessage(record: AuthorizationRecord): string | undefined {
  return record.error?.clientMessage ?? undefined;
}

/** `$context.authorizer.*` comes from a Cognito or Lambda authorizer; IAM has none. */
function hasAuthorizer(record: AuthorizationRecord): boolean {
  return record.model === 'cognito' || record.model === 'custom';
}

const RESOLVERS: Readonly<Record<string, VariableResolver>> = {
  accountId: (e) => e.api.accountId,
  apiId: (e) => e.api.apiId,
  stage: (e) => e.api.stage,
  requestId: (e) => e.requestId,
  extendedRequestId: (e) => e.extendedRequestId,
  requestTime: (e) => formatClfTime(e.requestTimeEpochMs),
  requestTimeEpoch: (e) => e.requestTimeEpochMs,
  httpMethod: (e) => e.httpMethod,
  path: (e) => e.path,
  protocol: (e) => e.protocol,
  domainName: (e) => e.domainName,
  domainPrefix: (e) => e.domainName?.split('.')[0],
  resourcePath: (e) => apiGatewayTemplate(e.record.routePath ?? e.routePath),
  status: (e) => e.status,
  responseLength: (e) => e.responseLength,
  responseLatency: (e) => Math.round(e.responseLatencyMs),
  xrayTraceId: (e) => xrayTraceId(e.record.traceId),
  'identity.sourceIp': (e) => e.sourceIp,
  'identity.userAgent': (e) => e.userAgent,
  'authorizer.principalId': (e) =>
    e.record.context?.type === 'CUSTOM' ? (e.record.context.principalId ?? undefined) : undefined,
  'authorizer.claims': () => undefined, // API Gateway: "returns null"
  'authorizer.latency': (e) => (hasAuthorizer(e.record) ? ms(e.record.latencyMs) : undefined),
  'authorizer.status': (e) => (hasAuthorizer(e.record) ? e.record.statusCode : undefined),
  'authorizer.error': (e) =>
    hasAuthorizer(e.record) && refusedUnidentified(e.record) ? errorMessage(e.record) : undefined,
  'authorizer.integrationLatency': (e) => ms(e.record.invocation?.latencyMs),
  'authorizer.integrationStatus': (e) => e.record.invocation?.status,
  'authenticate.status': (e) =>
    e.record.model !== 'iam'
      ? undefined
      : refusedUnidentified(e.record)
        ? e.record.statusCode
        : 200,
  'authenticate.latency': (e) => (e.record.model === 'iam' ? ms(e.record.latencyMs) : undefined),
  'authenticate.error': (e) =>
    e.record.model === 'iam' && refusedUnidentified(e.record) ? errorMessage(e.record) : undefined,
  'authorize.status': (e) =>
    e.record.model === undefined || refusedUnidentified(e.record) ? undefined : e.record.statusCode,
  'authorize.latency': (e) =>
    e.record.model === undefined || refusedUnidentified(e.record)
      ? undefined
      : ms(e.record.latencyMs),
  'authorize.error': (e) =>
    e.record.error?.responseType === 'ACCESS_DENIED' ? errorMessage(e.record) : undefined,
  'error.message': (e) => errorMessage(e.record),
  'error.messageString': (e) => {
    const message = errorMessage(e.record);
    return message === undefined ? undefined : JSON.stringify(message);
  },
  'error.responseType': (e) => e.record.error?.responseType,
};

for (const field of IAM_IDENTITY_FIELDS) {
  (RESOLVERS as Record<string, VariableResolver>)[`identity.${field}`] = (e) =>
    e.record.context?.type === 'AWS_IAM'
      ? (e.record.context.identity[field] ?? undefined)
      : undefined;
}
for (const name of ALWAYS_EMPTY) {
  (RESOLVERS as Record<string, VariableResolver>)[name] = () => undefined;
}

/**
 * The resolver of one `$context` variable name (without `$context.`), or `undefined` when API
 * Gateway has no such variable. `authorizer.claims.<name>` and `authorizer.claims['<name>']` read a
 * Cognito/JWT claim; any other `authorizer.<key>` reads the Lambda authorizer's context.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-variables-for-access-logging.html
 */
export function resolverOf(name: string): VariableResolver | undefined {
  if (Object.hasOwn(RESOLVERS, name)) return RESOLVERS[name];
  if (EMPTY_PREFIXES.some((prefix) => name.startsWith(prefix))) return () => undefined;
  const claim = /^authorizer\.claims(?:\.([A-Za-z0-9_]+)|\['([^']*)'\])$/.exec(name);
  if (claim) {
    const key = claim[1] ?? claim[2] ?? '';
    return (e) => {
      const context = e.record.context;
      if (context?.type !== 'COGNITO_USER_POOLS' && context?.type !== 'JWT') return undefined;
      return Object.hasOwn(context.claims, key) ? context.claims[key] : undefined;
    };
  }
  const key = /^authorizer\.([A-Za-z0-9_]+)$/.exec(name)?.[1];
  if (key !== undefined) {
    return (e) => {
      const context = e.record.context;
      if (context?.type !== 'CUSTOM') return undefined;
      // HTTP API 2.0 authorizers keep their context under `lambda` (HL-07).
      const values = isRecord(context.authorizer.lambda)
        ? context.authorizer.lambda
        : context.authorizer;
      return Object.hasOwn(values, key) ? stringify(values[key]) : undefined;
    };
  }
  return undefined;
}

/** Express/Fastify `/pets/:id` as API Gateway's `/pets/{id}`. */
function apiGatewayTemplate(routePath: string | undefined): string | undefined {
  if (routePath === undefined) return undefined;
  return routePath.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

/** A W3C trace id as an X-Ray trace id (`1-{8 hex}-{24 hex}`), as the X-Ray propagator maps it. */
function xrayTraceId(traceId: string | undefined): string | undefined {
  if (traceId === undefined || traceId.length !== 32) return undefined;
  return `1-${traceId.slice(0, 8)}-${traceId.slice(8)}`;
}

function ms(value: number | undefined): number | undefined {
  return value === undefined ? undefined : Math.round(value);
}

function stringify(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
