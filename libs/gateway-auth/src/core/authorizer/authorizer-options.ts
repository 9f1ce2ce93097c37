/**
 * The options of one Lambda authorizer (`authorizers.<name>`) and their validation: every problem
 * at once, each naming its field and the fix.
 */
import type { ConfigIssue } from '../errors';
import type { AuthorizerInvoker } from './invokers/authorizer-invoker';
import type { LambdaHandler } from './invokers/in-process-invoker';

/**
 * One Lambda authorizer, configured like API Gateway's `CreateAuthorizer` plus where the function
 * runs. Exactly one of `handler`, `functionName`, `url` or `invoker` says how it is invoked.
 * @example
 * authorizers: {
 *   orders: { type: 'TOKEN', handler: ordersAuthorizer, ttlSeconds: 300 },
 *   partners: { type: 'REQUEST', functionName: 'partner-authorizer',
 *               identitySource: 'method.request.header.x-api-token,context.httpMethod' },
 * }
 * @see https://docs.aws.amazon.com/apigateway/latest/api/API_CreateAuthorizer.html
 * @see https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/apis-apiid-authorizers.html
 */
export interface AuthorizerOptions {
  /** `TOKEN` (REST only) or `REQUEST`. */
  type: 'TOKEN' | 'REQUEST';
  /**
   * Absent: a REST API authorizer. `'1.0'`/`'2.0'`: an HTTP API Lambda authorizer with that payload
   * format (HL-01); HTTP API authorizers are always `REQUEST`.
   */
  payloadFormatVersion?: '1.0' | '2.0';
  /**
   * Where the identity comes from (LR-02/HL-04): a comma-separated string or a list.
   * REST: `method.request.header.<name>`, `method.request.querystring.<name>`,
   * `stageVariables.<name>`, `context.<variable>`. HTTP API: `$request.header.<name>`,
   * `$request.querystring.<name>`, `$stageVariables.<name>`, `$context.<variable>`.
   * Default for `TOKEN`: `method.request.header.Authorization`; for `REQUEST`: none (then
   * `ttlSeconds` must be 0, LR-04/HL-05).
   */
  identitySource?: string | readonly string[];
  /** `TOKEN` only: a regex the token must match, else 401 without invoking (LT-03). */
  identityValidationExpression?: string;
  /** Result cache TTL in seconds: default 300, 0 disables, at most 3600 (LC-01). */
  ttlSeconds?: number;
  /** HTTP API 2.0 only: the function answers `{ isAuthorized, context }` (HL-03). Default false. */
  enableSimpleResponses?: boolean;
  /** In-process handler with the Lambda signature (`async (event, context) => result`). */
  handler?: LambdaHandler;
  /** A deployed Lambda function (name or ARN), invoked with `@aws-sdk/client-lambda`. */
  functionName?: string;
  /** Version or alias of `functionName`. */
  qualifier?: string;
  /**
   * SDK client settings for `functionName` (`LambdaClientConfig` of `@aws-sdk/client-lambda`:
   * region, credentials, endpoint...).
   */
  lambdaClientConfig?: object;
  /** A sidecar answering like Lambda's Invoke API: the event is POSTed there as JSON. */
  url?: string;
  /** Any other way to run the function. */
  invoker?: AuthorizerInvoker;
  /** Milliseconds the function may take before the request fails with 500. Default 10,000 (HL-06). */
  timeoutMs?: number;
  /** Most invocations of this authorizer running at once; others wait (within the timeout). Default 100. */
  maxConcurrency?: number;
  /**
   * Deny body style (Q-L-1). `'Message'` (default) matches captured responses:
   * `{"Message":"User is not authorized to access this resource with an explicit deny"}`;
   * `'message'` matches the knowledge-center examples. HTTP APIs always answer
   * `{"message":"Forbidden"}`.
   */
  denyBodyKey?: 'Message' | 'message';
}

/** Identity-source and context variables understood here (REST `context.x` / HTTP `$context.x`). */
export const CONTEXT_VARIABLES = [
  'accountId',
  'apiId',
  'domainName',
  'httpMethod',
  'identity.sourceIp',
  'identity.userAgent',
  'path',
  'protocol',
  'requestId',
  'resourcePath',
  'routeKey',
  'stage',
] as const;

/** Every problem with one authorizer's options, with its path (`authorizers.<name>.<field>`). */
export function validateAuthorizerOptions(name: string, options: unknown): ConfigIssue[] {
  const at = (field: string): string => `authorizers.${name}${field ? '.' + field : ''}`;
  if (typeof options !== 'object' || options === null) {
    return [{ path: at(''), message: 'must be an object' }];
  }
  const o = options as Partial<Record<keyof AuthorizerOptions, unknown>>;
  const issues: ConfigIssue[] = [];
  if (!/^[A-Za-z0-9_.-]{1,128}$/.test(name)) {
    issues.push({
      path: at(''),
      message: 'the name must be 1-128 letters, digits, ".", "-" or "_"',
    });
  }
  if (o.type !== 'TOKEN' && o.type !== 'REQUEST') {
    issues.push({ path: at('type'), message: 'must be "TOKEN" or "REQUEST"' });
  }
  if (o.payloadFormatVersion !== undefined) {
    if (o.payloadFormatVersion !== '1.0' && o.payloadFormatVersion !== '2.0') {
      issues.push({ path: at('payloadFormatVersion'), message: 'must be "1.0" or "2.0"' });
    } else if (o.type === 'TOKEN') {
      issues.push({ path: at('type'), message: 'HTTP API Lambda authorizers are REQUEST only' });
    }
  }
  if (o.enableSimpleResponses === true && o.payloadFormatVersion !== '2.0') {
    issues.push({
      path: at('enableSimpleResponses'),
      message: 'simple responses need payloadFormatVersion "2.0" (HL-03)',
    });
  }
  const ttl = o.ttlSeconds ?? 300;
  if (typeof ttl !== 'number' || !Number.isInteger(ttl) || ttl < 0 || ttl > 3600) {
    issues.push({ path: at('ttlSeconds'), message: 'must be an integer from 0 to 3600 (LC-01)' });
  }
  const sources = o.identitySource;
  const hasSources =
    o.type === 'TOKEN' ||
    (typeof sources === 'string' && sources.trim() !== '') ||
    (Array.isArray(sources) && sources.length > 0);
  if (!hasSources && ttl !== 0) {
    issues.push({
      path: at('identitySource'),
      message: 'caching (ttlSeconds > 0) needs at least one identity source (LR-04, HL-05)',
    });
  }
  if (o.identityValidationExpression !== undefined) {
    if (o.type !== 'TOKEN') {
      issues.push({
        path: at('identityValidationExpression'),
        message: 'applies to TOKEN authorizers only (LR-05)',
      });
    } else if (typeof o.identityValidationExpression !== 'string') {
      issues.push({ path: at('identityValidationExpression'), message: 'must be a string' });
    } else {
      try {
        new RegExp(o.identityValidationExpression);
      } catch (error) {
        issues.push({
          path: at('identityValidationExpression'),
          message: `not a valid regular expression: ${(error as Error).message}`,
        });
      }
    }
  }
  const targets = (['handler', 'functionName', 'url', 'invoker'] as const).filter(
    (k) => o[k] !== undefined,
  );
  if (targets.length !== 1) {
    issues.push({
      path: at('handler'),
      message: `set exactly one of handler, functionName, url or invoker (got ${targets.length === 0 ? 'none' : targets.join(', ')})`,
    });
  }
  if (o.handler !== undefined && typeof o.handler !== 'function') {
    issues.push({ path: at('handler'), message: 'must be a function (event, context) => result' });
  }
  if (o.functionName !== undefined && (typeof o.functionName !== 'string' || !o.functionName)) {
    issues.push({ path: at('functionName'), message: 'must be a function name or ARN' });
  }
  if (o.url !== undefined && (typeof o.url !== 'string' || !URL.canParse(o.url))) {
    issues.push({ path: at('url'), message: 'must be an absolute http(s) URL' });
  }
  for (const field of ['timeoutMs', 'maxConcurrency'] as const) {
    const value = o[field];
    if (value !== undefined && (typeof value !== 'number' || !(value >= 1))) {
      issues.push({ path: at(field), message: 'must be a number ≥ 1' });
    }
  }
  if (o.denyBodyKey !== undefined && o.denyBodyKey !== 'Message' && o.denyBodyKey !== 'message') {
    issues.push({ path: at('denyBodyKey'), message: 'must be "Message" or "message"' });
  }
  return issues;
}
