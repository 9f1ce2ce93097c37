import type { Span } from '@opentelemetry/api';
import type { ApiOptions } from '../api-options';
import type { HttpRequest } from '../http-request';
import type { Logger } from '../logger';
import type {
  AuthModel,
  AuthorizationOutcome,
  AuthorizationScope,
  AuthorizerInvocation,
  AuthTelemetry,
  CacheLookup,
  CallTrace,
  DependencyCall,
} from './auth-telemetry';
import { EmfMetrics, type EmfOptions } from './emf-metrics';
import { loadOpenTelemetryApi, OpenTelemetryRecorder } from './open-telemetry';
import type { OpenTelemetryOptions } from './open-telemetry-options';

/**
 * The part of an OpenTelemetry `Span` read outside the recorder. Public signatures name this, not
 * `Span`: the package's declarations must compile without the optional `@opentelemetry/api`.
 */
export interface TelemetrySpan {
  spanContext(): { traceId: string };
  isRecording(): boolean;
}

/**
 * The `telemetry` section of the gateway-auth options.
 * @example telemetry: { emf: { namespace: 'PetStore' } }   // OpenTelemetry stays on
 */
export interface TelemetryOptions {
  /**
   * Metrics and spans through `@opentelemetry/api` (no-op unless the service starts an SDK).
   * Default on; `false` turns it off.
   */
  openTelemetry?: OpenTelemetryOptions | boolean;
  /** CloudWatch Embedded Metric Format lines on stdout. Default off. */
  emf?: EmfOptions | boolean;
}

/**
 * The core's {@link AuthTelemetry}: fans each named point out to OpenTelemetry, EMF and the request's
 * access-log record. Every sink runs inside a `try`: a telemetry failure is logged once and never
 * reaches the authorization.
 */
export class GatewayTelemetry implements AuthTelemetry {
  private readonly otel: OpenTelemetryRecorder | undefined;
  private readonly emf: EmfMetrics | undefined;
  private recordsRequests = false;
  private failureLogged = false;

  constructor(
    api: ApiOptions,
    options: TelemetryOptions | false | undefined,
    private readonly logger: Logger,
  ) {
    const otel = options === false ? false : (options?.openTelemetry ?? true);
    // `@opentelemetry/api` is an optional peer: without it (no SDK either), nothing is recorded.
    const otelApi = otel === false ? null : loadOpenTelemetryApi();
    if (otel !== false && otelApi !== null) {
      this.otel = new OpenTelemetryRecorder(otelApi, otel === true ? {} : otel);
    }
    const emf = options === false ? false : (options?.emf ?? false);
    if (emf !== false) this.emf = new EmfMetrics(api, emf === true ? {} : emf);
  }

  /**
   * True when anything listens — an OpenTelemetry SDK is registered, EMF is on, or an access log is
   * installed: the facade skips every telemetry call otherwise.
   */
  get enabled(): boolean {
    return (
      this.emf !== undefined ||
      this.recordsRequests ||
      (this.otel !== undefined && this.otel.active())
    );
  }

  /** Called by an access log: from now on, requests carrying a record get it filled. */
  fillRequestRecords(): void {
    this.recordsRequests = true;
  }

  startAuthorization(
    request: HttpRequest,
    model: AuthModel,
    authorizer: string | undefined,
  ): AuthorizationScope {
    let span: Span | undefined;
    try {
      span = this.otel?.startAuthorizationSpan(model, authorizer);
    } catch (error) {
      this.failed(error);
    }
    return new AuthorizationRun(this, request, model, authorizer, span);
  }

  cacheLookup(request: HttpRequest, lookup: CacheLookup): void {
    try {
      const record = request.record;
      if (record !== undefined) record.cacheHit = lookup.hit;
      this.otel?.recordCacheLookup(lookup);
      this.emf?.recordCacheLookup(lookup);
    } catch (error) {
      this.failed(error);
    }
  }

  authorizerInvoked(request: HttpRequest, invocation: AuthorizerInvocation): void {
    try {
      const record = request.record;
      if (record !== undefined) record.invocation = invocation;
    } catch (error) {
      this.failed(error);
    }
  }

  call<T>(call: DependencyCall, body: (trace: CallTrace) => Promise<T>): Promise<T> {
    const emf = this.emf;
    const timed =
      emf === undefined
        ? body
        : (trace: CallTrace): Promise<T> => {
            const started = performance.now();
            const done = (failed: boolean): void => {
              try {
                emf.recordCall(call, performance.now() - started, failed);
              } catch (error) {
                this.failed(error);
              }
            };
            return body(trace).then(
              (value) => {
                done(false);
                return value;
              },
              (error: unknown) => {
                done(true);
                throw error;
              },
            );
          };
    if (this.otel === undefined) return timed({ headers: {} });
    return this.otel.call(call, timed);
  }

  dependencyError(kind: 'redis', operation: string, error: unknown): void {
    try {
      this.otel?.recordDependencyError(kind, operation, error);
      this.emf?.recordDependencyError();
    } catch (failure) {
      this.failed(failure);
    }
  }

  /** Flushes EMF aggregates and stops its timer. */
  close(): void {
    this.emf?.close();
  }

  /** @internal one authorization's end, from {@link AuthorizationRun}. */
  finish(
    run: AuthorizationRun,
    outcome: AuthorizationOutcome,
    latencyMs: number,
    span: TelemetrySpan | undefined,
  ): void {
    try {
      const { request, model, authorizer } = run;
      const error = outcome.error;
      const record = request.record;
      if (record !== undefined) {
        record.model = model;
        record.authorizer = authorizer;
        record.context = outcome.context;
        record.error = error;
        record.statusCode = outcome.statusCode;
        record.latencyMs = latencyMs;
        record.routePath = request.routePath;
        const traceId = span?.spanContext().traceId;
        if (traceId !== undefined && span?.isRecording()) record.traceId = traceId;
      }
      this.otel?.recordDecision(
        {
          model,
          authorizer,
          allowed: error === undefined,
          responseType: error?.responseType,
          statusCode: outcome.statusCode,
          latencyMs,
          reason: error?.reason,
          infrastructure: error?.category === 'infrastructure',
        },
        span as Span | undefined,
      );
      this.emf?.recordDecision(
        model,
        authorizer,
        outcome.statusCode,
        latencyMs,
        error?.responseType,
      );
    } catch (failure) {
      this.failed(failure);
    }
  }

  /** @internal */
  runInSpan<T>(span: TelemetrySpan | undefined, fn: () => T): T {
    return this.otel === undefined ? fn() : this.otel.runInSpan(span as Span | undefined, fn);
  }

  private failed(error: unknown): void {
    if (this.failureLogged) return;
    this.failureLogged = true;
    this.logger.log('error', 'telemetry.failed', {
      message: 'a telemetry sink failed; decisions are unaffected (logged once)',
      error: error instanceof Error ? error.message : String(error),
    });
  }
}

/** One authorization in flight. */
class AuthorizationRun implements AuthorizationScope {
  private readonly started = performance.now();
  private ended = false;

  constructor(
    private readonly telemetry: GatewayTelemetry,
    readonly request: HttpRequest,
    readonly model: AuthModel,
    readonly authorizer: string | undefined,
    private readonly span: TelemetrySpan | undefined,
  ) {}

  run<T>(fn: () => T): T {
    return this.telemetry.runInSpan(this.span, fn);
  }

  end(outcome: AuthorizationOutcome): void {
    if (this.ended) return;
    this.ended = true;
    this.telemetry.finish(this, outcome, performance.now() - this.started, this.span);
  }
}
