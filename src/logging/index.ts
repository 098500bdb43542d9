// Logger contract: library code receives a pino logger through its options and never writes to the console.
import { destination as fileDestination, pino, type Logger } from 'pino';
import pretty from 'pino-pretty';

export type { Logger };

/** json: one object per line (for log shippers); pretty: readable lines for a person at a terminal. */
export type LogFormat = 'json' | 'pretty';

export interface LoggerOptions {
  level?: string;
  /** Where logs go; stderr by default so that CLI output on stdout stays machine-readable. */
  destination?: NodeJS.WritableStream;
  /** Default: pretty when logging to a terminal's stderr, JSON otherwise (pipes, files, containers). */
  format?: LogFormat;
}

export function createLogger(opts: LoggerOptions = {}): Logger {
  const base = { level: opts.level ?? 'info', base: { svc: 'churnscope' } };
  const format = opts.format ?? (opts.destination === undefined && process.stderr.isTTY ? 'pretty' : 'json');
  if (format === 'pretty') {
    // Synchronous on purpose: a worker-thread transport would drop the last lines when a command exits with code 2.
    const stream = pretty({
      destination: opts.destination ?? 2,
      sync: true,
      colorize: opts.destination === undefined,
      ignore: 'pid,hostname,svc',
      singleLine: true,
    });
    return pino(base, stream);
  }
  return pino(base, opts.destination ?? fileDestination(2));
}

/** For tests and callers that do not care: drops everything. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
