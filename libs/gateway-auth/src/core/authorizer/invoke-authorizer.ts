/**
 * Invokes an authorizer for one request: builds its event (TOKEN, REQUEST, HTTP API 1.0 or 2.0),
 * calls the function through its bounded invoker inside a telemetry span, records the outcome for
 * health and the access log, and validates the response into an answer. Every failure is a
 * refusal: `Unauthorized` → 401 (LO-05), anything else → 500 (LO-05/06/07, HL-06).
 */
import type { Clock } from '../clock';
import type { AuthTelemetry } from '../telemetry/auth-telemetry';
import type { AuthorizerAnswer } from './authorizer-answers';
import type { AuthorizerDefinition } from './authorizer-definitions';
import { authorizerFailure, unauthorized } from './authorizer-outcomes';
import { MalformedAuthorizerResponseError } from './authorizer-response';
import { buildRequestEvent } from './events/request-event';
import { buildRequestEventV2 } from './events/request-event-v2';
import { buildTokenEvent } from './events/token-event';
import { AuthorizerUnauthorizedError } from './invokers/authorizer-invoker';
import type { RequestView } from './request-view';

/** What an invocation uses besides the authorizer and the request. */
export interface InvocationServices {
  telemetry: AuthTelemetry;
  clock: Clock;
  stageVariables: Readonly<Record<string, string>>;
}

/**
 * The authorizer's answer for this request, not interned (the caller decides whether it is cached).
 * @param values the identity-source values in configured order.
 * @throws AuthError 401 when the function failed with `Unauthorized`; 500 for every other failure,
 * a timeout or a malformed response (never cached, LC-03).
 */
export async function invokeAuthorizer(
  definition: AuthorizerDefinition,
  view: RequestView,
  values: readonly string[],
  services: InvocationServices,
): Promise<AuthorizerAnswer> {
  const event = buildEvent(definition, view, values, services.stageVariables);
  let response: unknown;
  const started = performance.now();
  try {
    response = await services.telemetry.call(definition.call, (trace) =>
      definition.invoker.invoke(event, {
        requestId: view.requestId,
        // Read only by invokers that forward trace context (Lambda, HTTP).
        get traceHeaders() {
          return trace.headers;
        },
      }),
    );
    recordInvocation(definition, view, started, undefined, services);
  } catch (error) {
    recordInvocation(definition, view, started, error, services);
    if (error instanceof AuthorizerUnauthorizedError) {
      throw unauthorized('the authorizer function failed with "Unauthorized" (LO-05)');
    }
    throw failure(definition, error instanceof Error ? error.message : 'unknown failure', error);
  }
  try {
    return definition.answers.parse(response);
  } catch (error) {
    const detail =
      error instanceof MalformedAuthorizerResponseError ? error.message : 'invalid response';
    throw failure(definition, detail, error);
  }
}

/** The event the function receives, per the authorizer's type and payload format. */
function buildEvent(
  definition: AuthorizerDefinition,
  view: RequestView,
  values: readonly string[],
  stageVariables: Readonly<Record<string, string>>,
): unknown {
  switch (definition.event) {
    case 'TOKEN':
      return buildTokenEvent(values[0] ?? '', view.methodArn);
    case 'REQUEST':
      return buildRequestEvent(view, view.methodArn, stageVariables);
    case '1.0':
      return buildRequestEvent(view, view.methodArn, stageVariables, values);
    case '2.0':
      return buildRequestEventV2(view, view.methodArn, stageVariables, values);
  }
}

/** Tells the health state and telemetry (the access log's `$context.authorizer.*`) how it went. */
function recordInvocation(
  definition: AuthorizerDefinition,
  view: RequestView,
  started: number,
  error: unknown,
  services: InvocationServices,
): void {
  const answered = definition.health.record(error, services.clock.now());
  services.telemetry.authorizerInvoked(view.request, {
    latencyMs: performance.now() - started,
    status: answered ? 200 : undefined,
  });
}

/** 500 in the authorizer's API flavour, naming the authorizer in the logged reason. */
function failure(definition: AuthorizerDefinition, detail: string, cause: unknown): Error {
  return authorizerFailure(definition.flavour, `authorizer "${definition.name}": ${detail}`, cause);
}
