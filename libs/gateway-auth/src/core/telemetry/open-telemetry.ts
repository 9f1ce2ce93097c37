import type * as OtelApi from '@opentelemetry/api';
import type {
  Attributes,
  Context,
  Counter,
  Histogram,
  Meter,
  ObservableResult,
  Span,
  Tracer,
} from '@opentelemetry/api';
import { ConfigError } from '../errors';
import { loadOptionalDependency } from '../optional-dependency';
import type { AuthModel, CacheLookup, CallTrace, DependencyCall } from './auth-telemetry';
import { METRIC_NAMES, type OpenTelemetryOptions } from './open-telemetry-options';

/** `@opentelemetry/api`, and what it answers when no SDK is registered. */
interface Api {
  readonly api: typeof OtelApi;
  /** The API's no-op meter class. */
  readonly noopMeter: new () => unknown;
  /** The tracer provider a `ProxyTracerProvider` delegates to without an SDK. */
  readonly noopTracers: unknown;
}

/**
 * `@opentelemetry/api` when the service has it installed (an optional peer dependency: the one a
 * service's OpenTelemetry SDK brings), else `null`. Loaded when a `GatewayAuth` with telemetry is
 * built, never when the package is imported (Node's module cache makes a second load free).
 */
export function loadOpenTelemetryApi(): Api | null {
  try {
    const api = loadOptionalDependency<typeof OtelApi>(
      '@opentelemetry/api',
      'telemetry.openTelemetry',
    );
    return {
      api,
      noopMeter: api.createNoopMeter().constructor as new () => unknown,
      noopTracers: new api.ProxyTracerProvider().getDelegate(),
    };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return null; // not installed: no SDK either, nothing to record
  }
}

const NO_ATTRIBUTES: Attributes = Object.freeze({});

/** Bucket boundaries in seconds: from 10 µs (a cached decision) to 10 s (the authorizer timeout). */
const DURATION_BUCKETS = [
  0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
  0.25, 0.5, 1, 2.5, 5, 10,
];

interface Instruments {
  authorizationDuration: Histogram;
  authorizerDuration: Histogram;
  cacheErrors: Counter;
  jwksFetches: Counter;
  dbOperationDuration: Histogram;
  rpcCallDuration: Histogram;
}

/** The decision of one authorization, as metric attributes see it. */
export interface DecisionRecord {
  model: AuthModel;
  authorizer: string | undefined;
  allowed: boolean;
  responseType: string | undefined;
  statusCode: number;
  latencyMs: number;
  /** For the span: why it was refused (never a token or secret), and whether infrastructure failed. */
  reason: string | undefined;
  infrastructure: boolean;
}

/** A count kept in process, reported by an observable counter at collection time. */
interface Count {
  readonly attributes: Attributes;
  value: number;
}

/**
 * gateway-auth's metrics and spans through `@opentelemetry/api` only: without an SDK every call is
 * the API's no-op. Instruments are created on first use, so an SDK started after the module was built
 * (but before traffic) is still used.
 *
 * Per-request cost, measured (bench/telemetry.bench.ts): an SDK `Counter.add` or `Histogram.record`
 * hashes its attributes on every call (~0.6 µs per attribute here), several times a cached
 * decision's own cost. So the decision and
 * cache-lookup counters are counted in process (one increment on an attribute set built once) and
 * reported by observable counters when the SDK collects; only the latency histogram records per
 * request, without attributes (~0.2 µs): its split by model and decision is in the spans and EMF.
 */
export class OpenTelemetryRecorder {
  private instruments: Instruments | undefined;
  private tracerValue: Tracer | undefined;
  /** Decision counts: allowed ones by model and authorizer, refusals by their attributes' key. */
  private readonly allowCounts = new Map<AuthModel, Map<string | undefined, Count>>();
  private readonly refusalCounts = new Map<string, Count>();
  private readonly cacheCounts = new Map<string, Map<string, [Count, Count]>>();
  private readonly spanAttributes = new Map<AuthModel, Map<string | undefined, Attributes>>();
  private readonly scopeName: string;
  private readonly metricsOn: boolean;
  private readonly tracesOn: boolean;

  /** Whether an SDK's meter / tracer provider is registered, as last checked. */
  private metricsLive = false;
  private tracesLive = false;
  private untilCheck = 0;

  constructor(
    private readonly otel: Api,
    options: OpenTelemetryOptions = {},
  ) {
    this.scopeName = options.scopeName ?? 'gateway-auth';
    this.metricsOn = options.metrics ?? true;
    this.tracesOn = options.traces ?? true;
  }

  /**
   * Whether an OpenTelemetry SDK is registered (a meter or tracer provider other than the API's
   * no-op). Without one, the facade skips telemetry entirely: the API's no-op calls still cost
   * ~1 µs per authorization (span, timestamps, attributes), measured in bench/telemetry.bench.ts.
   * Checked again every 1024 calls, so an SDK started after the module was built is picked up.
   */
  active(): boolean {
    if (--this.untilCheck <= 0) {
      this.untilCheck = 1024;
      this.metricsLive =
        this.metricsOn &&
        isLive(
          () => !(this.otel.api.metrics.getMeter(this.scopeName) instanceof this.otel.noopMeter),
        );
      this.tracesLive =
        this.tracesOn &&
        isLive(() => {
          const provider = this.otel.api.trace.getTracerProvider();
          return !(
            provider instanceof this.otel.api.ProxyTracerProvider &&
            provider.getDelegate() === this.otel.noopTracers
          );
        });
    }
    return this.metricsLive || this.tracesLive;
  }

  /** The span of one authorization, or `undefined` when traces are off. */
  startAuthorizationSpan(model: AuthModel, authorizer: string | undefined): Span | undefined {
    if (!this.tracesLive) return undefined;
    const attributes = nested(this.spanAttributes, model, authorizer, () =>
      Object.freeze({
        'gateway_auth.model': model,
        ...(authorizer === undefined ? {} : { 'gateway_auth.authorizer': authorizer }),
      }),
    );
    return this.tracer().startSpan(`authorize ${model}`, {
      kind: this.otel.api.SpanKind.INTERNAL,
      attributes,
    });
  }

  /** Records one decision's metrics and ends its span. */
  recordDecision(record: DecisionRecord, span: Span | undefined): void {
    if (this.metricsLive) {
      const m = this.metrics();
      const count = record.allowed
        ? nested(this.allowCounts, record.model, record.authorizer, () => ({
            attributes: allowAttributes(record.model, record.authorizer),
            value: 0,
          }))
        : this.refusalCount(record);
      count.value += 1;
      // No attributes: the SDK hashes each attribute on every record (~0.6 µs apiece, measured in
      // bench/telemetry.bench.ts), and this is the one instrument recorded per request.
      m.authorizationDuration.record(record.latencyMs / 1000, NO_ATTRIBUTES);
    }
    if (span !== undefined) {
      if (span.isRecording()) {
        span.setAttribute('gateway_auth.decision', record.allowed ? 'allow' : 'deny');
        span.setAttribute('http.response.status_code', record.statusCode);
        if (record.responseType !== undefined) {
          span.setAttribute('gateway_auth.response_type', record.responseType);
        }
        if (record.reason !== undefined) span.setAttribute('gateway_auth.reason', record.reason);
        // A refusal is an answer, not a failure; a dependency that failed is one.
        if (record.infrastructure) {
          span.setStatus({
            code: this.otel.api.SpanStatusCode.ERROR,
            message: record.responseType,
          });
        }
      }
      span.end();
    }
  }

  recordCacheLookup(lookup: CacheLookup): void {
    if (!this.metricsLive) return;
    this.metrics();
    let byStore = this.cacheCounts.get(lookup.authorizer);
    if (byStore === undefined) {
      byStore = new Map();
      this.cacheCounts.set(lookup.authorizer, byStore);
    }
    let pair = byStore.get(lookup.store);
    if (pair === undefined) {
      const count = (result: 'hit' | 'miss'): Count => ({
        attributes: Object.freeze({
          'gateway_auth.authorizer': lookup.authorizer,
          'gateway_auth.cache.store': lookup.store,
          'gateway_auth.cache.result': result,
        }),
        value: 0,
      });
      pair = [count('miss'), count('hit')];
      byStore.set(lookup.store, pair);
    }
    pair[lookup.hit ? 1 : 0].value += 1;
  }

  recordDependencyError(kind: 'redis', operation: string, error: unknown): void {
    if (!this.active() || !this.metricsLive) return;
    this.metrics().cacheErrors.add(1, {
      'gateway_auth.cache.store': kind,
      'db.operation.name': operation,
      'error.type': errorType(error),
    });
  }

  /**
   * Runs `body` in a child span of the active context and records the call's duration and outcome.
   * The trace handed to `body` injects that span's context with the global propagator.
   */
  call<T>(call: DependencyCall, body: (trace: CallTrace) => Promise<T>): Promise<T> {
    this.active();
    const started = performance.now();
    const span = this.tracesLive
      ? this.tracer().startSpan(spanName(call), {
          kind:
            call.kind === 'authorizer' && call.target === 'in-process'
              ? this.otel.api.SpanKind.INTERNAL
              : this.otel.api.SpanKind.CLIENT,
          attributes: spanAttributes(call),
        })
      : undefined;
    const active: Context =
      span === undefined
        ? this.otel.api.context.active()
        : this.otel.api.trace.setSpan(this.otel.api.context.active(), span);
    let headers: Record<string, string> | undefined;
    const propagation = this.otel.api.propagation;
    const callTrace: CallTrace = {
      get headers() {
        if (headers === undefined) {
          headers = {};
          propagation.inject(active, headers);
        }
        return headers;
      },
    };
    const finish = (error: unknown): void => {
      try {
        this.recordCall(call, (performance.now() - started) / 1000, error);
        if (span !== undefined) {
          if (error !== undefined) {
            span.setAttribute('error.type', errorType(error));
            span.setStatus({
              code: this.otel.api.SpanStatusCode.ERROR,
              message: errorMessage(error),
            });
          }
          span.end();
        }
      } catch {
        // Telemetry never changes the call's outcome.
      }
    };
    let running: Promise<T>;
    try {
      running = this.otel.api.context.with(active, body, undefined, callTrace);
    } catch (error) {
      running = Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    return running.then(
      (value) => {
        finish(undefined);
        return value;
      },
      (error: unknown) => {
        finish(error ?? new Error('rejected'));
        throw error;
      },
    );
  }

  /** Runs `fn` with `span` as the active span when it records (children attach to it). */
  runInSpan<T>(span: Span | undefined, fn: () => T): T {
    if (span === undefined || !span.isRecording()) return fn();
    const { context, trace } = this.otel.api;
    return context.with(trace.setSpan(context.active(), span), fn);
  }

  private recordCall(call: DependencyCall, seconds: number, error: unknown): void {
    if (!this.metricsLive) return;
    const m = this.metrics();
    const failed = error !== undefined;
    switch (call.kind) {
      case 'authorizer':
        m.authorizerDuration.record(seconds, {
          'gateway_auth.authorizer': call.authorizer,
          'gateway_auth.authorizer.target': call.target,
          ...(failed ? { 'error.type': errorType(error) } : {}),
        });
        return;
      case 'jwks':
        m.jwksFetches.add(1, {
          'server.address': hostOf(call.url),
          'gateway_auth.outcome': failed ? 'failure' : 'success',
          ...(failed ? { 'error.type': errorType(error) } : {}),
        });
        return;
      case 'redis':
        m.dbOperationDuration.record(seconds, {
          'db.system.name': 'redis',
          'db.operation.name': call.operation,
          ...(failed ? { 'error.type': errorType(error) } : {}),
        });
        return;
      case 'aws':
        m.rpcCallDuration.record(seconds, {
          'rpc.system': 'aws-api',
          'rpc.service': call.service,
          'rpc.method': call.operation,
          ...(failed ? { 'error.type': errorType(error) } : {}),
        });
        return;
    }
  }

  private refusalCount(record: DecisionRecord): Count {
    const key = `${record.model}\u0000${record.authorizer ?? ''}\u0000${record.responseType ?? ''}\u0000${record.statusCode}`;
    let count = this.refusalCounts.get(key);
    if (count === undefined) {
      count = { attributes: Object.freeze(refusalAttributes(record)), value: 0 };
      this.refusalCounts.set(key, count);
    }
    return count;
  }

  /** Reports the in-process counts (called by the SDK at collection). */
  private observeDecisions(result: ObservableResult): void {
    for (const byAuthorizer of this.allowCounts.values()) {
      for (const count of byAuthorizer.values()) result.observe(count.value, count.attributes);
    }
    for (const count of this.refusalCounts.values()) result.observe(count.value, count.attributes);
  }

  private observeCacheLookups(result: ObservableResult): void {
    for (const byStore of this.cacheCounts.values()) {
      for (const [miss, hit] of byStore.values()) {
        result.observe(miss.value, miss.attributes);
        result.observe(hit.value, hit.attributes);
      }
    }
  }

  private tracer(): Tracer {
    // A ProxyTracer: it follows a TracerProvider registered later.
    this.tracerValue ??= this.otel.api.trace.getTracer(this.scopeName);
    return this.tracerValue;
  }

  private metrics(): Instruments {
    if (this.instruments === undefined) {
      const meter = this.otel.api.metrics.getMeter(this.scopeName);
      this.instruments = createInstruments(meter);
      meter
        .createObservableCounter(METRIC_NAMES.decisions, {
          description: 'Authorization decisions, by model, authorizer, decision and response type',
          unit: '{decision}',
        })
        .addCallback((result) => this.observeDecisions(result));
      meter
        .createObservableCounter(METRIC_NAMES.cacheLookups, {
          description:
            'Lambda-authorizer decision cache lookups, by store and result (hit or miss)',
          unit: '{lookup}',
        })
        .addCallback((result) => this.observeCacheLookups(result));
    }
    return this.instruments;
  }
}

function createInstruments(meter: Meter): Instruments {
  const seconds = (name: string, description: string): Histogram =>
    meter.createHistogram(name, {
      description,
      unit: 's',
      advice: { explicitBucketBoundaries: DURATION_BUCKETS },
    });
  return {
    authorizationDuration: seconds(
      METRIC_NAMES.authorizationDuration,
      'Time to decide one authorization (cache lookups and authorizer invocations included)',
    ),
    authorizerDuration: seconds(
      METRIC_NAMES.authorizerDuration,
      'Lambda authorizer invocations (API Gateway: $context.authorizer.integrationLatency)',
    ),
    cacheErrors: meter.createCounter(METRIC_NAMES.cacheErrors, {
      description: 'Shared decision cache failures (the authorizer is invoked instead)',
      unit: '{error}',
    }),
    jwksFetches: meter.createCounter(METRIC_NAMES.jwksFetches, {
      description: 'JWKS document fetches, by outcome',
      unit: '{fetch}',
    }),
    dbOperationDuration: seconds(
      METRIC_NAMES.dbOperationDuration,
      'Redis commands of the shared decision cache (OpenTelemetry database semantic conventions)',
    ),
    rpcCallDuration: seconds(
      METRIC_NAMES.rpcCallDuration,
      'AWS API calls (STS, IAM), OpenTelemetry RPC semantic conventions',
    ),
  };
}

/** A provider check that cannot throw into the caller (a broken provider counts as absent). */
function isLive(check: () => boolean): boolean {
  try {
    return check();
  } catch {
    return false;
  }
}

/** Looks up `outer[a][b]`, creating it with `create` on first use. */
function nested<A, B, V>(outer: Map<A, Map<B, V>>, a: A, b: B, create: () => V): V {
  let inner = outer.get(a);
  if (inner === undefined) {
    inner = new Map();
    outer.set(a, inner);
  }
  let value = inner.get(b);
  if (value === undefined) {
    value = create();
    inner.set(b, value);
  }
  return value;
}

function allowAttributes(model: AuthModel, authorizer: string | undefined): Attributes {
  return Object.freeze({
    'gateway_auth.model': model,
    ...(authorizer === undefined ? {} : { 'gateway_auth.authorizer': authorizer }),
    'gateway_auth.decision': 'allow',
    'http.response.status_code': 200,
  });
}

function refusalAttributes(record: DecisionRecord): Attributes {
  const attributes: Attributes = {
    'gateway_auth.model': record.model,
    'gateway_auth.decision': 'deny',
    'http.response.status_code': record.statusCode,
  };
  if (record.authorizer !== undefined) attributes['gateway_auth.authorizer'] = record.authorizer;
  if (record.responseType !== undefined) {
    attributes['gateway_auth.response_type'] = record.responseType;
  }
  return attributes;
}

function spanName(call: DependencyCall): string {
  switch (call.kind) {
    case 'authorizer':
      return `authorizer ${call.authorizer}`;
    case 'jwks':
      return 'GET jwks';
    case 'redis':
      return call.operation;
    case 'aws':
      return `${call.service}.${call.operation}`;
  }
}

function spanAttributes(call: DependencyCall): Attributes {
  switch (call.kind) {
    case 'authorizer':
      return {
        'gateway_auth.authorizer': call.authorizer,
        'gateway_auth.authorizer.target': call.target,
        ...(call.functionName === undefined
          ? {}
          : { 'faas.invoked_name': call.functionName, 'faas.invoked_provider': 'aws' }),
      };
    case 'jwks':
      return {
        'http.request.method': 'GET',
        'url.full': call.url,
        'server.address': hostOf(call.url),
      };
    case 'redis':
      return { 'db.system.name': 'redis', 'db.operation.name': call.operation };
    case 'aws':
      return {
        'rpc.system': 'aws-api',
        'rpc.service': call.service,
        'rpc.method': call.operation,
        ...(call.region === undefined ? {} : { 'cloud.region': call.region }),
      };
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'invalid';
  }
}

/** A low-cardinality name for a failure (`error.type`): the error class, never its message. */
function errorType(error: unknown): string {
  return error instanceof Error ? error.name : '_OTHER';
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message.slice(0, 256) : 'failed';
}
