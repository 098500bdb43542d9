// Logger contract: library code receives a pino logger through its options and never writes to the console.
import { destination as fileDestination, pino, type Logger } from 'pino';

export type { Logger };

export interface LoggerOptions {
  level?: string;
  /** Where logs go; stderr by default so that CLI output on stdout stays machine-readable. */
  destination?: NodeJS.WritableStream;
}

export function createLogger(opts: LoggerOptions = {}): Logger {
  const destination = opts.destination ?? fileDestination(2);
  return pino({ level: opts.level ?? 'info', base: { svc: 'churnscope' } }, destination);
}

/** For tests and callers that do not care: drops everything. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
