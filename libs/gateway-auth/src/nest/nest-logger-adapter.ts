import { Logger as NestLogger } from '@nestjs/common';
import type { Logger, LogLevel } from '../core/logger';

const NEST_LEVELS: Record<LogLevel, 'debug' | 'log' | 'warn' | 'error'> = {
  debug: 'debug',
  info: 'log',
  warn: 'warn',
  error: 'error',
};

/**
 * gateway-auth's records written through Nest's `Logger` (context `GatewayAuth`): the default logger
 * of `GatewayAuthModule`, so decisions follow the app's logger (`app.useLogger(...)`, log levels).
 * Each record is one line: the event, then its fields as JSON. Pass `logger: createJsonLogger()` in
 * the options for JSON lines on stdout instead. It has no `enabled()`: Nest filters by level in the
 * logger the app installed (its static `Logger.isLevelEnabled` answers false unless levels were set
 * explicitly), so records are built and handed over; `createJsonLogger(level)` skips them earlier.
 */
export class NestLoggerAdapter implements Logger {
  constructor(private readonly logger: NestLogger = new NestLogger('GatewayAuth')) {}

  log(level: LogLevel, event: string, fields?: Readonly<Record<string, unknown>>): void {
    const message = fields === undefined ? event : `${event} ${JSON.stringify(fields)}`;
    this.logger[NEST_LEVELS[level]](message);
  }
}
