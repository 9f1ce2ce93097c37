import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { DemoConfigError, type DemoEnv } from './config/demo-config';

/** The OpenTelemetry SDK the demo started. */
export interface DemoTelemetry {
  /** Where Prometheus scrapes, when the demo serves metrics itself. */
  prometheusUrl: string | undefined;
  shutdown(): Promise<void>;
}

/**
 * Starts the OpenTelemetry SDK for the demo process, configured by the standard `OTEL_*`
 * environment (`OTEL_SERVICE_NAME`, `OTEL_RESOURCE_ATTRIBUTES`, `OTEL_TRACES_EXPORTER`,
 * `OTEL_METRICS_EXPORTER`, `OTEL_EXPORTER_OTLP_ENDPOINT`, `OTEL_PROPAGATORS`,
 * `OTEL_TRACES_SAMPLER`, `OTEL_EXPORTER_PROMETHEUS_HOST`/`_PORT`...), read by the SDK itself.
 * The demo's choices where a variable is unset: metrics served for Prometheus on their own port
 * (`OTEL_EXPORTER_PROMETHEUS_PORT`, default 9464 — not the API's port), traces not exported (set
 * `OTEL_TRACES_EXPORTER=otlp` to send them), service name `gateway-auth-demo`.
 * `OTEL_SDK_DISABLED=true` starts nothing (gateway-auth then records through the API's no-op).
 * Call before the app is built: gateway-auth's instruments come from the global providers.
 * @throws DemoConfigError for an invalid `OTEL_EXPORTER_PROMETHEUS_PORT`.
 */
export function startTelemetry(env: DemoEnv): DemoTelemetry | undefined {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return undefined;
  const portText = env.OTEL_EXPORTER_PROMETHEUS_PORT?.trim();
  if (portText !== undefined && portText !== '' && !/^\d{1,5}$/.test(portText)) {
    throw new DemoConfigError([
      {
        variable: 'OTEL_EXPORTER_PROMETHEUS_PORT',
        message: `must be a port number, got ${JSON.stringify(portText)}`,
      },
    ]);
  }
  const metricsExporter = env.OTEL_METRICS_EXPORTER?.trim();
  let prometheus: PrometheusExporter | undefined;
  if (metricsExporter === undefined || metricsExporter === '') {
    const port = portText ? Number(portText) : 9464;
    const host = env.OTEL_EXPORTER_PROMETHEUS_HOST?.trim() || '0.0.0.0';
    prometheus = new PrometheusExporter({ port, host });
  }
  const tracesExporter = env.OTEL_TRACES_EXPORTER?.trim();
  const sdk = new NodeSDK({
    ...(env.OTEL_SERVICE_NAME ? {} : { serviceName: 'gateway-auth-demo' }),
    ...(prometheus === undefined ? {} : { metricReaders: [prometheus] }),
    ...(tracesExporter === undefined || tracesExporter === '' ? { spanProcessors: [] } : {}),
    instrumentations: [],
  });
  sdk.start();
  return {
    prometheusUrl:
      prometheus === undefined
        ? undefined
        : `http://127.0.0.1:${portText ? Number(portText) : 9464}/metrics`,
    shutdown: () => sdk.shutdown(),
  };
}
