/**
 * Runs a deployed AWS Lambda function through `@aws-sdk/client-lambda` (an optional peer
 * dependency, loaded when a `functionName` authorizer is configured).
 */
import type * as LambdaSdk from '@aws-sdk/client-lambda';
import { loadOptionalDependency } from '../../optional-dependency';
import {
  AuthorizerFunctionError,
  AuthorizerUnauthorizedError,
  isUnauthorizedMessage,
  type AuthorizerInvoker,
  type InvocationOptions,
} from './authorizer-invoker';

type LambdaModule = typeof LambdaSdk;

/**
 * The part of `@aws-sdk/client-lambda`'s `LambdaClient` the invoker uses (a `LambdaClient` is one);
 * the package's types do not depend on the SDK being installed.
 */
export interface LambdaClientLike {
  send(command: object, options?: { abortSignal?: AbortSignal }): Promise<unknown>;
  destroy(): void;
}

/** What an `InvokeCommand` answers (the fields read here). */
interface InvokeOutput {
  Payload?: Uint8Array;
  FunctionError?: string;
}

/** Options of {@link LambdaInvoker}. */
export interface LambdaInvokerOptions {
  /** Function name, ARN or partial ARN (with an optional `:alias`/`:version` qualifier). */
  functionName: string;
  /** Version or alias to invoke. Default: none (`$LATEST` or the qualifier in the name). */
  qualifier?: string;
  /**
   * SDK client settings (`LambdaClientConfig` of `@aws-sdk/client-lambda`). Default: the standard AWS SDK resolution — region from `AWS_REGION`/profile,
   * the default credential chain, endpoint overrides such as `AWS_ENDPOINT_URL_LAMBDA` (how local
   * Lambda emulators are reached) — with `maxAttempts: 1`, since the authorizer timeout bounds the
   * whole call and API Gateway does not retry authorizers either.
   */
  clientConfig?: object;
  /** A `LambdaClient` you own (then `clientConfig` is ignored and `close()` leaves it open). */
  client?: LambdaClientLike;
}

/**
 * Invokes a deployed AWS Lambda authorizer (synchronous `RequestResponse` invocation), so existing
 * functions run unchanged. A function error whose `errorMessage` is exactly `Unauthorized` becomes
 * {@link AuthorizerUnauthorizedError} (401, LO-05); any other function error, a throttle
 * (`TooManyRequestsException`), a missing permission or a network failure becomes
 * {@link AuthorizerFunctionError} (500, LO-05/LO-06).
 *
 * A traced invocation carries its trace context as AWS's instrumentation sends it: in the
 * `ClientContext` as `{"Custom": {traceparent...}}` (OpenTelemetry's AWS SDK instrumentation; the
 * function reads `context.clientContext.Custom`), and, with the X-Ray propagator, as the
 * `X-Amzn-Trace-Id` header of the Invoke request (the X-Ray SDK's way, which Lambda's own tracing
 * continues).
 * @see https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html
 */
export class LambdaInvoker implements AuthorizerInvoker {
  private readonly client: LambdaClientLike;
  private readonly ownsClient: boolean;
  private readonly InvokeCommand: LambdaModule['InvokeCommand'];

  /**
   * @throws ConfigError when the optional peer dependency `@aws-sdk/client-lambda` is not installed.
   */
  constructor(private readonly options: LambdaInvokerOptions) {
    const sdk = loadOptionalDependency<LambdaModule>(
      '@aws-sdk/client-lambda',
      'authorizers.<name>.functionName',
    );
    this.InvokeCommand = sdk.InvokeCommand;
    this.ownsClient = options.client === undefined;
    this.client =
      options.client ??
      new sdk.LambdaClient({
        maxAttempts: 1,
        ...(options.clientConfig as LambdaSdk.LambdaClientConfig | undefined),
      });
  }

  async invoke(event: unknown, options: InvocationOptions): Promise<unknown> {
    let output: InvokeOutput;
    try {
      const traceHeaders = options.traceHeaders;
      const command = new this.InvokeCommand({
        FunctionName: this.options.functionName,
        Qualifier: this.options.qualifier,
        InvocationType: 'RequestResponse',
        Payload: Buffer.from(JSON.stringify(event)),
        ClientContext: clientContextOf(traceHeaders),
      });
      const xrayHeader = xrayTraceHeaderOf(traceHeaders);
      if (xrayHeader !== undefined) addXRayTraceHeader(command, xrayHeader);
      output = (await this.client.send(command, { abortSignal: options.signal })) as InvokeOutput;
    } catch (error) {
      const name = error instanceof Error ? error.name : 'Error';
      throw new AuthorizerFunctionError(`Lambda Invoke failed (${name})`, { cause: error });
    }
    const text = output.Payload ? Buffer.from(output.Payload).toString('utf8') : '';
    if (output.FunctionError) {
      const message = errorMessageOf(text);
      if (isUnauthorizedMessage(message)) throw new AuthorizerUnauthorizedError();
      throw new AuthorizerFunctionError(`the authorizer function failed (${output.FunctionError})`);
    }
    if (text === '') return null;
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw new AuthorizerFunctionError('the authorizer returned a payload that is not JSON', {
        cause: error,
      });
    }
  }

  close(): Promise<void> {
    if (this.ownsClient) this.client.destroy();
    return Promise.resolve();
  }
}

/** Lambda's limit on the base64 `ClientContext` of a RequestResponse invocation, bytes. */
const MAX_CLIENT_CONTEXT_BYTES = 3583;

/** `{"Custom": traceHeaders}` as base64 JSON, or undefined when there is nothing (or too much). */
function clientContextOf(
  headers: Readonly<Record<string, string>> | undefined,
): string | undefined {
  if (headers === undefined || Object.keys(headers).length === 0) return undefined;
  const encoded = Buffer.from(JSON.stringify({ Custom: headers })).toString('base64');
  return encoded.length <= MAX_CLIENT_CONTEXT_BYTES ? encoded : undefined;
}

function xrayTraceHeaderOf(
  headers: Readonly<Record<string, string>> | undefined,
): string | undefined {
  if (headers === undefined) return undefined;
  for (const name of Object.keys(headers)) {
    if (name.toLowerCase() === 'x-amzn-trace-id') return headers[name];
  }
  return undefined;
}

/** Sends `X-Amzn-Trace-Id` with the Invoke request (set before signing, so it is signed). */
function addXRayTraceHeader(command: LambdaSdk.InvokeCommand, value: string): void {
  command.middlewareStack.add(
    (next) => (args) => {
      const request = args.request as { headers?: Record<string, string> };
      if (request.headers !== undefined) request.headers['X-Amzn-Trace-Id'] = value;
      return next(args);
    },
    { step: 'build', name: 'gatewayAuthXRayTraceHeader' },
  );
}

/** `errorMessage` of a Lambda error payload (`{"errorType":...,"errorMessage":...}`). */
export function errorMessageOf(payload: string): unknown {
  try {
    const parsed = JSON.parse(payload) as unknown;
    if (typeof parsed === 'object' && parsed !== null) {
      return (parsed as { errorMessage?: unknown }).errorMessage;
    }
    return parsed;
  } catch {
    return undefined;
  }
}
