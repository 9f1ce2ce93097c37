import type { GatewayResponseType } from './gateway-responses';

/** Whether a failure is the caller's (a refused request) or ours (a dependency failed). */
export type ErrorCategory = 'client' | 'infrastructure';

/** What an {@link AuthError} answers with, before gateway-response customisation. */
export interface AuthErrorOptions {
  /** The API Gateway gateway-response type this failure is reported as (customisation key). */
  responseType: GatewayResponseType;
  /**
   * The client-facing message exactly as API Gateway words it; `null` renders `{"message": null}`
   * (LO-05). Never contains tokens, secrets or policy details unless API Gateway itself echoes them.
   */
  message: string | null;
  /**
   * A status API Gateway answers outside its gateway-response types (414 for an over-long method
   * ARN, PIPE-08). Wins over the type's default and any customised status.
   */
  statusCode?: number;
  /** Overrides the response type's `x-amzn-ErrorType` (e.g. `IncompleteSignatureException`). */
  errorType?: string;
  /** `Message` for IAM-evaluated denials, `message` for gateway messages (GR-09). Default `message`. */
  bodyKey?: 'message' | 'Message';
  /** Extra response headers, e.g. `www-authenticate` for the HTTP API JWT authorizer (HJWT-03). */
  headers?: Readonly<Record<string, string>>;
  /** Why, for logs only: never sent to the client. Must not hold tokens or secrets. */
  reason: string;
  /** Defaults to `client`. */
  category?: ErrorCategory;
  cause?: unknown;
}

/**
 * The one error class every refusal in the core throws. `code` is stable (documented per model);
 * the HTTP rendering happens once, in {@link renderGatewayResponse}.
 */
export class AuthError extends Error {
  readonly code: string;
  readonly responseType: GatewayResponseType;
  readonly clientMessage: string | null;
  readonly errorType: string | undefined;
  readonly statusCode: number | undefined;
  readonly bodyKey: 'message' | 'Message';
  readonly headers: Readonly<Record<string, string>>;
  readonly reason: string;
  readonly category: ErrorCategory;

  constructor(code: string, options: AuthErrorOptions) {
    super(options.reason, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AuthError';
    this.code = code;
    this.responseType = options.responseType;
    this.clientMessage = options.message;
    this.errorType = options.errorType;
    this.statusCode = options.statusCode;
    this.bodyKey = options.bodyKey ?? 'message';
    this.headers = options.headers ?? {};
    this.reason = options.reason;
    this.category = options.category ?? 'client';
  }
}

/** One problem found in configuration or a policy document, with where it is. */
export interface ConfigIssue {
  /** JSON path of the offending value, e.g. `$.Statement[1].Condition.StringEquals`. */
  path: string;
  /** What is wrong and how to fix it. */
  message: string;
}

/**
 * Invalid configuration or policy document, raised at startup/load time (never per request).
 * The message lists every issue with its path.
 */
export class ConfigError extends Error {
  readonly issues: readonly ConfigIssue[];

  constructor(subject: string, issues: readonly ConfigIssue[]) {
    super(
      `${subject}: ${issues.length} problem${issues.length === 1 ? '' : 's'}\n` +
        issues.map((i) => `  ${i.path}: ${i.message}`).join('\n'),
    );
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

/** Wraps anything thrown into an infrastructure AuthError (500) so auth paths always fail closed. */
export function toAuthError(error: unknown, reason: string): AuthError {
  if (error instanceof AuthError) return error;
  const detail = error instanceof Error ? error.message : String(error);
  return new AuthError('INTERNAL_ERROR', {
    responseType: 'AUTHORIZER_CONFIGURATION_ERROR',
    message: null,
    errorType: 'AuthorizerConfigurationException',
    reason: `${reason}: ${detail}`,
    category: 'infrastructure',
    cause: error,
  });
}
