// express-rate-limit's counter store over the database: replicas sharing one PostgreSQL count each key together.
import type { ClientRateLimitInfo, Options, Store } from 'express-rate-limit';
import type { Logger } from '../logging';
import type { RateLimitRepository } from '../store';

// One stale-key sweep per this many hits: the table holds one row per key, so it only grows with distinct callers.
const PRUNE_EVERY = 1000;

export class SharedRateLimitStore implements Store {
  /** Counters are shared: a key counted here counts on every replica. */
  readonly localKeys = false;
  readonly prefix = 'churnscope:';
  private windowMs = 60_000;
  private hits = 0;

  constructor(
    private readonly counters: RateLimitRepository,
    private readonly logger: Logger,
  ) {}

  init(options: Options): void {
    this.windowMs = options.windowMs;
  }

  async increment(key: string): Promise<ClientRateLimitInfo> {
    const { hits, resetAt } = await this.counters.hit(this.prefix + key, this.windowMs);
    if (++this.hits % PRUNE_EVERY === 0) {
      this.counters
        .prune(new Date(Date.now() - this.windowMs))
        .catch((err: unknown) => this.logger.warn({ err }, 'rate-limit counters: pruning old windows failed'));
    }
    return { totalHits: hits, resetTime: new Date(resetAt) };
  }

  async decrement(key: string): Promise<void> {
    await this.counters.undo(this.prefix + key, this.windowMs);
  }

  async resetKey(key: string): Promise<void> {
    await this.counters.reset(this.prefix + key);
  }
}
