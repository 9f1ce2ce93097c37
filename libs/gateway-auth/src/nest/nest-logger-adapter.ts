import { Logger as NestLogger, type LogLevel as NestLogLevel } from '@nestjs/common';
import type { Logger, LogLevel } from '../core/logger';

const NEST_LEVELS: Record<LogLevel, NestLogLevel & ('debug' | 'log' | 'warn' | 'error')> = {
  debug: 'debug',
  info: 'log',
  warn: 'warn',
  error: 'error',
};

/**
 * gateway-auth's records written through Nest's `Logger` (context `GatewayAuth`): the default logger
 * of `GatewayAuthModule`, so decisions follow the app's logger (`app.useLogger(...)`, log levels).
 * Each record is one line: the event, then its fields as JSON. Pass `logger: createJsonLogger()` in
 * the options for JSON lines on stdout instead.
 */
export class NestLoggerAdapter implements Logger {
  constructor(private readonly logger: NestLogger = new NestLogger('GatewayAuth')) {}

  enabled(level: LogLevel): boolean {
    return NestLogger.isLevelEnabled(NEST_LEVELS[level]);
  }

  log(level: LogLevel, event: string, fields?: Readonly<Record<string, unknown>>): void {
    const message = fields === undefined ? event : `${event} ${JSON.stringify(fields)}`;
    this.logger[NEST_LEVELS[level]](message);
  }
}
