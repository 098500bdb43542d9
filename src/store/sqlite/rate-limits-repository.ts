// Rate-limit counters on SQLite: the same fixed windows as on PostgreSQL, for a contract both keep.
import type { Statement } from 'better-sqlite3';
import { rateWindow } from '../query-params';
import type { RateLimitRepository } from '../types';
import { requireId, timestamp } from '../values';
import type { Executor } from './executor';

export class SqliteRateLimitRepository implements RateLimitRepository {
  private readonly hitStmt: Statement<{ key: string; start: string }, { hits: number }>;
  private readonly undoStmt: Statement<{ key: string; start: string }>;
  private readonly resetStmt: Statement<[string]>;
  private readonly pruneStmt: Statement<[string]>;

  constructor(private readonly ex: Executor) {
    const db = ex.db;
    this.hitStmt = db.prepare(`
      INSERT INTO rate_limits (key, window_start, hits) VALUES (@key, @start, 1)
      ON CONFLICT (key) DO UPDATE SET
        hits = CASE WHEN rate_limits.window_start = excluded.window_start THEN rate_limits.hits + 1 ELSE 1 END,
        window_start = excluded.window_start
      RETURNING hits`);
    this.undoStmt = db.prepare(
      'UPDATE rate_limits SET hits = MAX(hits - 1, 0) WHERE key = @key AND window_start = @start',
    );
    this.resetStmt = db.prepare('DELETE FROM rate_limits WHERE key = ?');
    this.pruneStmt = db.prepare('DELETE FROM rate_limits WHERE window_start < ?');
  }

  async hit(key: string, windowMs: number, now?: Date): Promise<{ hits: number; resetAt: string }> {
    const w = rateWindow(key, windowMs, now);
    const row = await this.ex.write(() => this.hitStmt.get({ key: w.key, start: w.start })!);
    return { hits: row.hits, resetAt: w.resetAt };
  }

  async undo(key: string, windowMs: number, now?: Date): Promise<void> {
    const w = rateWindow(key, windowMs, now);
    await this.ex.write(() => this.undoStmt.run({ key: w.key, start: w.start }));
  }

  async reset(key: string): Promise<void> {
    requireId(key, 'key');
    await this.ex.write(() => this.resetStmt.run(key));
  }

  async prune(before: Date): Promise<number> {
    const cutoff = timestamp(before, 'before');
    return this.ex.write(() => this.pruneStmt.run(cutoff).changes);
  }
}
