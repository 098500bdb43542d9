// Bounded retry for writes that find the database locked by another connection: back off without blocking the loop.
import { setTimeout as sleep } from 'node:timers/promises';
import { OverloadedError } from '../../errors';
import type { Logger } from '../../logging';
import { isBusy } from './sqlite-errors';

export interface BusyRetryOptions {
  /** Tries in all, the first included. */
  attempts: number;
  /** Wait after the first busy try; doubled after each further one, with jitter. */
  baseDelayMs: number;
  logger: Logger;
}

export const defaultBusyRetry = { attempts: 5, baseDelayMs: 25 } as const;

/**
 * SQLite's own busy_timeout already waits inside each try, but synchronously (better-sqlite3 blocks the event
 * loop); keeping that short and waiting between tries here lets the server go on answering meanwhile.
 */
export async function retryBusy<T>(fn: () => T, opts: BusyRetryOptions): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return fn();
    } catch (e) {
      if (!isBusy(e)) throw e;
      if (attempt >= opts.attempts) {
        opts.logger.warn({ attempts: attempt, err: e }, 'database still locked after retries');
        throw new OverloadedError(`the database is locked by another writer (tried ${attempt} times); retry later`, {
          cause: e,
        });
      }
      const delay = opts.baseDelayMs * 2 ** (attempt - 1) * (0.75 + Math.random() * 0.5);
      opts.logger.debug({ attempt, delayMs: Math.round(delay) }, 'database locked; retrying');
      await sleep(delay);
    }
  }
}
