// Rate-limit counters on PostgreSQL: one upsert per request, so replicas sharing the database count together.
import { rateWindow } from '../query-params';
import type { RateLimitRepository } from '../types';
import { requireId, timestamp } from '../values';
import type { PgExecutor } from './pg-executor';

// A row from an earlier window starts over at 1; the row lock the upsert takes orders concurrent hits on one key.
const HIT = `
  INSERT INTO rate_limits (key, window_start, hits) VALUES ($1, $2, 1)
  ON CONFLICT (key) DO UPDATE SET
    hits = CASE WHEN rate_limits.window_start = excluded.window_start THEN rate_limits.hits + 1 ELSE 1 END,
    window_start = excluded.window_start
  RETURNING hits`;

export class PgRateLimitRepository implements RateLimitRepository {
  constructor(private readonly ex: PgExecutor) {}

  async hit(key: string, windowMs: number, now?: Date): Promise<{ hits: number; resetAt: string }> {
    const w = rateWindow(key, windowMs, now);
    const { rows } = await this.ex.statement<{ hits: number }>(HIT, [w.key, w.start]);
    return { hits: rows[0].hits, resetAt: w.resetAt };
  }

  async undo(key: string, windowMs: number, now?: Date): Promise<void> {
    const w = rateWindow(key, windowMs, now);
    await this.ex.statement(
      'UPDATE rate_limits SET hits = GREATEST(hits - 1, 0) WHERE key = $1 AND window_start = $2',
      [w.key, w.start],
    );
  }

  async reset(key: string): Promise<void> {
    await this.ex.statement('DELETE FROM rate_limits WHERE key = $1', [requireId(key, 'key')]);
  }

  async prune(before: Date): Promise<number> {
    const r = await this.ex.statement('DELETE FROM rate_limits WHERE window_start < $1', [timestamp(before, 'before')]);
    return r.rowCount ?? 0;
  }
}
