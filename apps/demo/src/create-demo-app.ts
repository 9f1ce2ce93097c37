import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Http2ServerRequest } from 'node:http2';
import { ConsoleLogger, type INestApplication, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { AccessLog, GatewayAuth } from 'api-gateway-auth';
import { AppModule } from './app.module';
import type { DemoConfig } from './config/demo-config';
import { buildGatewayAuthOptions, type DemoOverrides } from './gateway-auth-options';

const NEST_LEVELS: Record<DemoConfig['logLevel'], LogLevel[]> = {
  debug: ['fatal', 'error', 'warn', 'log', 'debug'],
  info: ['fatal', 'error', 'warn', 'log'],
  warn: ['fatal', 'error', 'warn'],
  error: ['fatal', 'error'],
};

/** Options of {@link createDemoApp}. */
export interface CreateDemoAppOptions extends DemoOverrides {
  /** Nest's own log output; default JSON lines at the configured level. `false` silences it. */
  nestLogger?: false;
  /** Where access-log lines go (`ACCESS_LOG_FORMAT`); default stdout. */
  accessLogWrite?: (line: string) => void;
}

/**
 * Builds (but does not start) the demo on the configured platform, with raw bodies captured (SigV4
 * hashes the body) and access logs in the configured API Gateway format (`ACCESS_LOG_FORMAT`).
 * @throws DemoConfigError or ConfigError when the configuration is invalid.
 */
export async function createDemoApp(
  config: DemoConfig,
  options: CreateDemoAppOptions = {},
): Promise<INestApplication> {
  const module = AppModule.forOptions(buildGatewayAuthOptions(config, options));
  const logger =
    options.nestLogger === false
      ? false
      : new ConsoleLogger({ json: true, logLevels: NEST_LEVELS[config.logLevel] });
  const app =
    config.platform === 'fastify'
      ? await NestFactory.create(
          module,
          // Fastify's request.id is the id the access log gave the raw request ($context.requestId).
          new FastifyAdapter({
            genReqId: (raw: IncomingMessage | Http2ServerRequest) =>
              (raw as IncomingMessage & { id?: string }).id ?? randomUUID(),
          }),
          { logger, abortOnError: false },
        )
      : await NestFactory.create(module, { logger, abortOnError: false });
  app.enableShutdownHooks();
  if (config.accessLogFormat !== undefined) {
    new AccessLog(app.get(GatewayAuth), {
      format: config.accessLogFormat,
      ...(options.accessLogWrite === undefined ? {} : { write: options.accessLogWrite }),
    }).attach(app.getHttpServer() as Server);
  }
  return app;
}

/** A running demo. */
export interface RunningDemo {
  app: INestApplication;
  /** Base URL, e.g. `http://127.0.0.1:3000`. */
  url: string;
  close(): Promise<void>;
}

/** Creates the demo and listens on `config.host`:`config.port` (port 0 picks a free port). */
export async function startDemo(
  config: DemoConfig,
  options: CreateDemoAppOptions = {},
): Promise<RunningDemo> {
  const app = await createDemoApp(config, options);
  await app.listen(config.port, config.host);
  const { port } = (app.getHttpServer() as Server).address() as { port: number };
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  return {
    app,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    close: () => app.close(),
  };
}
