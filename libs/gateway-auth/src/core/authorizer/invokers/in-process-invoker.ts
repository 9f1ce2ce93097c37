/**
 * Runs an authorizer handler in this process with Lambda's calling conventions (async or callback,
 * a `context` argument).
 */
import {
  AuthorizerFunctionError,
  AuthorizerUnauthorizedError,
  isUnauthorizedMessage,
  type AuthorizerInvoker,
  type InvocationOptions,
} from './authorizer-invoker';

/** Lambda's `context` argument, as much of it as an authorizer can use in process. */
export interface LambdaContextLike {
  awsRequestId: string;
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  memoryLimitInMB: string;
  logGroupName: string;
  logStreamName: string;
  callbackWaitsForEmptyEventLoop: boolean;
  /**
   * Lambda's client context; `Custom` holds the caller's trace context (`traceparent`...) when the
   * invocation is traced, as OpenTelemetry's AWS SDK instrumentation passes it to a deployed function.
   */
  clientContext?: { Custom: Readonly<Record<string, string>> };
  getRemainingTimeInMillis(): number;
}

/** Node.js Lambda callback: `callback(error)` or `callback(null, result)`. */
export type LambdaCallback = (error?: unknown, result?: unknown) => void;

/**
 * A Lambda handler: `async (event, context) => result`, or the callback style
 * `(event, context, callback) => void` of older authorizers (`callback('Unauthorized')`).
 */
export type LambdaHandler = (
  event: never,
  context: LambdaContextLike,
  callback: LambdaCallback,
) => unknown;

/**
 * Runs an authorizer handler in this process with Lambda's calling convention, so a function
 * written for Lambda runs unchanged. A throw or callback error whose message is exactly
 * `Unauthorized` becomes {@link AuthorizerUnauthorizedError}; anything else thrown becomes
 * {@link AuthorizerFunctionError}.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html
 */
export class InProcessInvoker implements AuthorizerInvoker {
  constructor(
    private readonly handler: LambdaHandler,
    private readonly functionName = 'in-process-authorizer',
  ) {}

  async invoke(event: unknown, options: InvocationOptions): Promise<unknown> {
    const deadline = performance.now() + options.timeoutMs;
    const context: LambdaContextLike = {
      awsRequestId: options.requestId,
      functionName: this.functionName,
      functionVersion: '$LATEST',
      invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${this.functionName}`,
      memoryLimitInMB: '128',
      logGroupName: `/aws/lambda/${this.functionName}`,
      logStreamName: 'in-process',
      callbackWaitsForEmptyEventLoop: false,
      getRemainingTimeInMillis: () => Math.max(0, Math.round(deadline - performance.now())),
    };
    const traceHeaders = options.traceHeaders;
    if (traceHeaders !== undefined && Object.keys(traceHeaders).length > 0) {
      context.clientContext = { Custom: traceHeaders };
    }
    try {
      return await new Promise<unknown>((resolve, reject) => {
        const callback: LambdaCallback = (error, result) =>
          error === undefined || error === null ? resolve(result) : reject(toError(error));
        const returned = this.handler(event as never, context, callback);
        if (isPromiseLike(returned)) returned.then(resolve, reject);
        else if (this.handler.length < 3) resolve(returned);
      });
    } catch (error) {
      if (isUnauthorizedMessage(error instanceof Error ? error.message : error)) {
        throw new AuthorizerUnauthorizedError();
      }
      throw new AuthorizerFunctionError('the authorizer handler threw', { cause: error });
    }
  }
}

function toError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
