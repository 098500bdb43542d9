// Customer texts as received (or redacted, or only hashed): what every score and feedback row refers to.
import type { Statement } from 'better-sqlite3';
import type { Logger } from '../../logging';
import type { Executor } from './executor';
import type { TextInput, TextRecord, TextSource } from '../records';
import { translateConstraint } from './sqlite-errors';
import { truncateWal } from './truncate-wal';
import type { TextRepository } from '../types';
import { textParams } from '../input-params';
import { requireCount, requireId, timestamp } from '../values';

interface TextRow {
  id: string;
  customer_id: string | null;
  source: TextSource;
  text: string | null;
  hash: string;
  snippet: string | null;
  created_at: string;
}

export class SqliteTextRepository implements TextRepository {
  private readonly insertStmt: Statement;
  private readonly insertIfAbsentStmt: Statement;
  private readonly getStmt: Statement<[string], TextRow>;
  private readonly deleteOlderStmt: Statement<{ cutoff: string; limit: number }>;

  constructor(
    private readonly ex: Executor,
    private readonly logger: Logger,
  ) {
    this.insertStmt = ex.db.prepare(`
      INSERT INTO texts (id, customer_id, source, text, hash, snippet, created_at)
      VALUES (@id, @customerId, @source, @text, @hash, @snippet, @createdAt)`);
    this.insertIfAbsentStmt = ex.db.prepare(`
      INSERT INTO texts (id, customer_id, source, text, hash, snippet, created_at)
      VALUES (@id, @customerId, @source, @text, @hash, @snippet, @createdAt) ON CONFLICT (id) DO NOTHING`);
    this.getStmt = ex.db.prepare('SELECT * FROM texts WHERE id = ?');
    // Scores, and feedback and alert deliveries naming the text, go with it (ON DELETE CASCADE).
    this.deleteOlderStmt = ex.db.prepare(
      'DELETE FROM texts WHERE id IN (SELECT id FROM texts WHERE created_at < @cutoff ORDER BY created_at LIMIT @limit)',
    );
  }

  async insert(input: TextInput): Promise<string> {
    const params = textParams(input);
    await this.ex.write(() => {
      try {
        this.insertStmt.run(params);
      } catch (e) {
        translateConstraint(e, { duplicate: `text ${params.id} already exists`, field: 'id' });
      }
    });
    return params.id;
  }

  async insertIfAbsent(input: TextInput): Promise<boolean> {
    const params = textParams(input);
    return this.ex.write(() => this.insertIfAbsentStmt.run(params).changes === 1);
  }

  async get(id: string): Promise<TextRecord | null> {
    requireId(id, 'id');
    return this.ex.read(() => {
      const row = this.getStmt.get(id);
      if (!row) return null;
      return {
        id: row.id,
        customerId: row.customer_id,
        source: row.source,
        text: row.text,
        hash: row.hash,
        ...(row.snippet === null ? {} : { snippet: row.snippet }),
        createdAt: row.created_at,
      };
    });
  }

  async deleteOlderThan(cutoff: Date, opts: { batchSize?: number } = {}): Promise<number> {
    const before = timestamp(cutoff, 'cutoff');
    const limit = requireCount(opts.batchSize ?? 500, 'batchSize', 1);
    let deleted = 0;
    // One batch per write transaction, so scoring requests are not held up behind a large purge.
    for (;;) {
      const n = await this.ex.write(() => this.deleteOlderStmt.run({ cutoff: before, limit }).changes);
      deleted += n;
      if (n < limit) break;
    }
    if (deleted > 0) await truncateWal(this.ex, this.logger, 'retention');
    return deleted;
  }
}
