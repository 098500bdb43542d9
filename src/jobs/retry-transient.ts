// Retries batch-job engine calls that were refused for a transient reason (OverloadedError: queue full, shutting down) with capped backoff.
import { OverloadedError } from '../errors';

export interface RetryPolicy {
  /** First wait; each further refusal doubles it (with jitter) up to maxMs. */
  initialMs: number;
  maxMs: number;
  /** After refusals for this long the refusal is thrown, failing the job (resumable), never a row. */
  maxTotalMs: number;
}

/** Online requests take precedence and can fill the queue for a while; a job waits them out instead of losing rows. */
export const DEFAULT_RETRY: RetryPolicy = { initialMs: 25, maxMs: 2000, maxTotalMs: 10 * 60_000 };

export async function retryTransient<T>(
  call: () => Promise<T>,
  policy: RetryPolicy = DEFAULT_RETRY,
  onRetry?: (e: OverloadedError, attempt: number, waitMs: number) => void,
): Promise<T> {
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (e) {
      if (!(e instanceof OverloadedError)) throw e;
      const elapsed = Date.now() - started;
      if (elapsed >= policy.maxTotalMs) {
        throw new OverloadedError(
          `the engine kept refusing batch rows for ${Math.round(elapsed / 1000)} s: ${e.message}`,
          {
            cause: e,
            retryAfterSeconds: e.retryAfterSeconds,
          },
        );
      }
      const base = Math.min(policy.maxMs, policy.initialMs * 2 ** (attempt - 1));
      const waitMs = Math.min(base * (0.5 + Math.random() / 2), policy.maxTotalMs - elapsed);
      onRetry?.(e, attempt, waitMs);
      await new Promise((r) => setTimeout(r, waitMs));
    }
  }
}
