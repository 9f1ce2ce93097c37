/**
 * Runs an authorizer over HTTP (a sidecar or the Lambda runtime emulator), answering as Lambda's
 * Invoke API does.
 */
import {
  AuthorizerFunctionError,
  AuthorizerUnauthorizedError,
  isUnauthorizedMessage,
  type AuthorizerInvoker,
  type InvocationOptions,
} from './authorizer-invoker';
import { errorMessageOf } from './lambda-invoker';

/** Options of {@link HttpInvoker}. */
export interface HttpInvokerOptions {
  /**
   * Where to POST the event, e.g. a sidecar `http://127.0.0.1:9001/authorize` or the Lambda runtime
   * interface emulator `http://127.0.0.1:9000/2015-03-31/functions/function/invocations`.
   */
  url: string;
  /** Extra request headers (e.g. a shared secret for the sidecar). */
  headers?: Readonly<Record<string, string>>;
}

/**
 * Invokes an authorizer run as a sidecar by POSTing the event as JSON. The answer follows Lambda's
 * Invoke API: 200 with the response as the body; a function error is flagged by the
 * `X-Amz-Function-Error` header with a `{"errorMessage": ...}` body (`Unauthorized` → 401). Any other
 * status, or a body that is not JSON, is a failure (500). The trace context travels as HTTP headers
 * (`traceparent`, or `X-Amzn-Trace-Id` with the X-Ray propagator).
 * @see https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html
 */
export class HttpInvoker implements AuthorizerInvoker {
  constructor(private readonly options: HttpInvokerOptions) {}

  async invoke(event: unknown, options: InvocationOptions): Promise<unknown> {
    let response: Response;
    let text: string;
    try {
      response = await fetch(this.options.url, {
        method: 'POST',
        // Trace context first: configured headers win over it.
        headers: {
          ...options.traceHeaders,
          'content-type': 'application/json',
          ...this.options.headers,
        },
        body: JSON.stringify(event),
        signal: options.signal,
      });
      text = await response.text();
    } catch (error) {
      throw new AuthorizerFunctionError('authorizer HTTP call failed', { cause: error });
    }
    if (response.headers.get('x-amz-function-error')) {
      if (isUnauthorizedMessage(errorMessageOf(text))) throw new AuthorizerUnauthorizedError();
      throw new AuthorizerFunctionError('the authorizer reported a function error');
    }
    if (response.status !== 200) {
      throw new AuthorizerFunctionError(`authorizer HTTP call answered ${response.status}`);
    }
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw new AuthorizerFunctionError('the authorizer answered a body that is not JSON', {
        cause: error,
      });
    }
  }
}
