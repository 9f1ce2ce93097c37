import type { AuthError } from './errors';

/**
 * API Gateway's gateway-response types (REST).
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html
 */
export type GatewayResponseType =
  | 'ACCESS_DENIED'
  | 'API_CONFIGURATION_ERROR'
  | 'AUTHORIZER_CONFIGURATION_ERROR'
  | 'AUTHORIZER_FAILURE'
  | 'BAD_REQUEST_PARAMETERS'
  | 'BAD_REQUEST_BODY'
  | 'DEFAULT_4XX'
  | 'DEFAULT_5XX'
  | 'EXPIRED_TOKEN'
  | 'INTEGRATION_FAILURE'
  | 'INTEGRATION_TIMEOUT'
  | 'INVALID_API_KEY'
  | 'INVALID_SIGNATURE'
  | 'MISSING_AUTHENTICATION_TOKEN'
  | 'QUOTA_EXCEEDED'
  | 'REQUEST_TOO_LARGE'
  | 'RESOURCE_NOT_FOUND'
  | 'THROTTLED'
  | 'UNAUTHORIZED'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'WAF_FILTERED';

interface ResponseTypeDefault {
  status: number;
  errorType: string;
}

/** GR-01 default status codes; GR-06 observed `x-amzn-ErrorType` values. */
export const GATEWAY_RESPONSE_DEFAULTS: Readonly<Record<GatewayResponseType, ResponseTypeDefault>> =
  {
    ACCESS_DENIED: { status: 403, errorType: 'AccessDeniedException' },
    API_CONFIGURATION_ERROR: { status: 500, errorType: 'InternalServerErrorException' },
    AUTHORIZER_CONFIGURATION_ERROR: { status: 500, errorType: 'AuthorizerConfigurationException' },
    AUTHORIZER_FAILURE: { status: 500, errorType: 'AuthorizerConfigurationException' },
    BAD_REQUEST_PARAMETERS: { status: 400, errorType: 'BadRequestException' },
    BAD_REQUEST_BODY: { status: 400, errorType: 'BadRequestException' },
    DEFAULT_4XX: { status: 400, errorType: 'BadRequestException' },
    DEFAULT_5XX: { status: 500, errorType: 'InternalServerErrorException' },
    EXPIRED_TOKEN: { status: 403, errorType: 'ExpiredTokenException' },
    INTEGRATION_FAILURE: { status: 504, errorType: 'InternalServerErrorException' },
    INTEGRATION_TIMEOUT: { status: 504, errorType: 'InternalServerErrorException' },
    INVALID_API_KEY: { status: 403, errorType: 'ForbiddenException' },
    INVALID_SIGNATURE: { status: 403, errorType: 'InvalidSignatureException' },
    MISSING_AUTHENTICATION_TOKEN: { status: 403, errorType: 'MissingAuthenticationTokenException' },
    QUOTA_EXCEEDED: { status: 429, errorType: 'LimitExceededException' },
    REQUEST_TOO_LARGE: { status: 413, errorType: 'RequestTooLargeException' },
    RESOURCE_NOT_FOUND: { status: 404, errorType: 'NotFoundException' },
    THROTTLED: { status: 429, errorType: 'TooManyRequestsException' },
    UNAUTHORIZED: { status: 401, errorType: 'UnauthorizedException' },
    UNSUPPORTED_MEDIA_TYPE: { status: 415, errorType: 'UnsupportedMediaTypeException' },
    WAF_FILTERED: { status: 403, errorType: 'ForbiddenException' },
  };

/**
 * A customised gateway response, as API Gateway's `PutGatewayResponse`: status, static headers and a
 * body template. Templates substitute `$context.error.message`, `$context.error.messageString`
 * (the message in double quotes), `$context.error.responseType`, `$context.requestId` and
 * `$context.authorizer.<key>` — no VTL, like API Gateway (GR-05).
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-gatewayResponse-definition.html
 */
export interface GatewayResponseOverride {
  statusCode?: number;
  headers?: Readonly<Record<string, string>>;
  /** Body template for `application/json`. */
  bodyTemplate?: string;
}

/** Customisations by response type; `DEFAULT_4XX`/`DEFAULT_5XX` apply to uncustomised types (GR-02/03). */
export type GatewayResponsesOptions = Partial<Record<GatewayResponseType, GatewayResponseOverride>>;

/** What the adapter writes to the wire. */
export interface RenderedResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

/** Per-request values templates may use. */
export interface RenderContext {
  requestId?: string;
  authorizer?: Readonly<Record<string, string | number | boolean>>;
}

/**
 * Renders an {@link AuthError} as API Gateway would: status, JSON body (`message` or `Message`,
 * GR-09), `x-amzn-ErrorType` and `x-amzn-RequestId` headers, after applying customisations.
 */
export function renderGatewayResponse(
  error: AuthError,
  overrides: GatewayResponsesOptions = {},
  context: RenderContext = {},
): RenderedResponse {
  const defaults = GATEWAY_RESPONSE_DEFAULTS[error.responseType];
  const override = overrideFor(error, overrides);
  const statusCode = error.statusCode ?? override?.statusCode ?? defaults.status;
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-amzn-ErrorType': error.errorType ?? defaults.errorType,
    ...error.headers,
    ...(override?.headers ?? {}),
  };
  if (context.requestId) headers['x-amzn-RequestId'] = context.requestId;
  const body =
    override?.bodyTemplate !== undefined
      ? renderTemplate(override.bodyTemplate, error, context)
      : defaultBody(error);
  return { statusCode, headers, body };
}

/** The status a refusal is answered with, after customisation (no headers or body built). */
export function responseStatus(error: AuthError, overrides: GatewayResponsesOptions = {}): number {
  return (
    error.statusCode ??
    overrideFor(error, overrides)?.statusCode ??
    GATEWAY_RESPONSE_DEFAULTS[error.responseType].status
  );
}

/** The customisation of the error's type, else of its status class (GR-02/03). */
function overrideFor(
  error: AuthError,
  overrides: GatewayResponsesOptions,
): GatewayResponseOverride | undefined {
  const defaults = GATEWAY_RESPONSE_DEFAULTS[error.responseType];
  const classFallback = defaults.status >= 500 ? overrides.DEFAULT_5XX : overrides.DEFAULT_4XX;
  return overrides[error.responseType] ?? classFallback;
}

function defaultBody(error: AuthError): string {
  if (error.clientMessage === null) return `{"${error.bodyKey}": null}`;
  return JSON.stringify({ [error.bodyKey]: error.clientMessage });
}

function renderTemplate(template: string, error: AuthError, context: RenderContext): string {
  const message = error.clientMessage;
  return template.replace(/\$context\.([A-Za-z0-9_.]+)/g, (whole, name: string) => {
    switch (name) {
      case 'error.message':
        return message === null ? '' : jsonEscape(message);
      case 'error.messageString':
        return message === null ? 'null' : JSON.stringify(message);
      case 'error.responseType':
        return error.responseType;
      case 'requestId':
        return context.requestId ?? '';
      default:
        if (name.startsWith('authorizer.')) {
          const value = context.authorizer?.[name.slice('authorizer.'.length)];
          return value === undefined ? '' : jsonEscape(String(value));
        }
        return whole;
    }
  });
}

function jsonEscape(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}
