// The real OpenTelemetry SDK with in-memory exporters, registered globally the way a service's
// `tracing.ts` does it (AsyncLocalStorage context manager, W3C propagator). Tests read the metric
// points and finished spans it collected.
import {
  context,
  metrics,
  propagation,
  trace,
  type Attributes,
  type TextMapPropagator,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  AggregationTemporality,
  DataPointType,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';

/** One data point: a counter's sum or a histogram's count and sum. */
export interface Point {
  attributes: Attributes;
  /** Counter: the sum. Histogram: the number of recorded values. */
  value: number;
  /** Histogram only: the sum of recorded values. */
  sum?: number;
}

export interface OtelSdk {
  /** Collects now and returns the points of `name` (cumulative since install). */
  points(name: string): Promise<Point[]>;
  /** Finished spans so far. */
  spans(): ReadableSpan[];
  /** Forgets the spans collected so far. */
  resetSpans(): void;
  shutdown(): Promise<void>;
}

/** Installs the SDK globally; `propagator` defaults to W3C Trace Context. */
export function installOtelSdk(
  propagator: TextMapPropagator = new W3CTraceContextPropagator(),
): OtelSdk {
  const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({
    exporter: metricExporter,
    exportIntervalMillis: 3_600_000,
  });
  const meterProvider = new MeterProvider({ readers: [reader] });
  const spanExporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(spanExporter)],
  });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  propagation.setGlobalPropagator(propagator);
  metrics.setGlobalMeterProvider(meterProvider);
  trace.setGlobalTracerProvider(tracerProvider);
  return {
    async points(name) {
      metricExporter.reset();
      await reader.forceFlush();
      const out: Point[] = [];
      for (const resource of metricExporter.getMetrics()) {
        for (const scope of resource.scopeMetrics) {
          for (const metric of scope.metrics) {
            if (metric.descriptor.name !== name) continue;
            for (const point of metric.dataPoints) {
              if (metric.dataPointType === DataPointType.HISTOGRAM) {
                const h = point.value as { count: number; sum?: number };
                out.push({ attributes: point.attributes, value: h.count, sum: h.sum });
              } else {
                out.push({ attributes: point.attributes, value: point.value as number });
              }
            }
          }
        }
      }
      return out;
    },
    spans: () => spanExporter.getFinishedSpans(),
    resetSpans: () => spanExporter.reset(),
    async shutdown() {
      await meterProvider.shutdown();
      await tracerProvider.shutdown();
      metrics.disable();
      trace.disable();
      propagation.disable();
      context.disable();
    },
  };
}

/** The value of the point whose attributes include `match` (0 when there is none). */
export function valueOf(points: readonly Point[], match: Attributes): number {
  return points
    .filter((p) => Object.entries(match).every(([k, v]) => p.attributes[k] === v))
    .reduce((sum, p) => sum + p.value, 0);
}
