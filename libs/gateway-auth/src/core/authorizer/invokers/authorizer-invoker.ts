/**
 * How an authorizer function is run: the invoker interface every way of running one implements,
 * and the errors it reports (`Unauthorized` apart, LO-05).
 */

/** What an invoker is told besides the event. */
export interface InvocationOptions {
  /** Aborted when the authorizer's timeout passes; invokers stop waiting (and cancel I/O). */
  signal: AbortSignal;
  /** Milliseconds left before the timeout, for Lambda's `context.getRemainingTimeInMillis()`. */
  timeoutMs: number;
  /** Correlates logs with the request. */
  requestId: string;
  /**
   * The trace context of the invocation as propagation headers (`traceparent`/`tracestate`,
   * `X-Amzn-Trace-Id`... as the service's OpenTelemetry propagators write them); empty or absent
   * when nothing is traced. Invokers hand it to the function as AWS's instrumentation does.
   */
  traceHeaders?: Readonly<Record<string, string>>;
}

/**
 * Runs a Lambda authorizer: in process, through AWS Lambda's Invoke API, or over HTTP. Resolves with
 * the function's response (any JSON value; validated by the caller). Rejects with
 * {@link AuthorizerUnauthorizedError} when the function failed with exactly `Unauthorized` (LO-05)
 * and with any other error for every other failure.
 */
export interface AuthorizerInvoker {
  invoke(event: unknown, options: InvocationOptions): Promise<unknown>;
  /** Releases clients and sockets. */
  close?(): Promise<void>;
}

/** The function failed with exactly the message `Unauthorized`: API Gateway answers 401 (LO-05). */
export class AuthorizerUnauthorizedError extends Error {
  constructor() {
    super('the authorizer function reported Unauthorized');
    this.name = 'AuthorizerUnauthorizedError';
  }
}

/** The function failed (threw, returned a function error, or the invocation failed). */
export class AuthorizerFunctionError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AuthorizerFunctionError';
  }
}

/** True for the one function error API Gateway turns into a 401: the message `Unauthorized`. */
export function isUnauthorizedMessage(message: unknown): boolean {
  return message === 'Unauthorized';
}
