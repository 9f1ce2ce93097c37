/** Log levels, lowest first. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/**
 * Where the core writes structured records (one JSON object per event). Records never hold tokens,
 * signatures, secrets or raw Authorization headers.
 */
export interface Logger {
  log(level: LogLevel, event: string, fields?: Readonly<Record<string, unknown>>): void;
  /**
   * Whether records at `level` are written at all. Optional; when it answers `false` the core skips
   * building the record (the per-request decision log is on the hot path).
   */
  enabled?(level: LogLevel): boolean;
}

/** False only when the logger says records at `level` are dropped. */
export function logsAt(logger: Logger, level: LogLevel): boolean {
  return logger.enabled === undefined || logger.enabled(level);
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/**
 * A logger writing one JSON line per record to a stream (default stdout).
 * @param minLevel records below this level are dropped (default `info`).
 */
export function createJsonLogger(
  minLevel: LogLevel = 'info',
  write: (line: string) => void = (line) => process.stdout.write(line + '\n'),
): Logger {
  return {
    enabled: (level) => ORDER[level] >= ORDER[minLevel],
    log(level, event, fields) {
      if (ORDER[level] < ORDER[minLevel]) return;
      write(JSON.stringify({ time: new Date().toISOString(), level, event, ...fields }));
    },
  };
}

/** A logger that drops everything (tests, benchmarks). */
export const silentLogger: Logger = { log: () => undefined, enabled: () => false };
