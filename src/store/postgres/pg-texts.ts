// Texts on PostgreSQL: inserts (strict, or idempotent by id with ON CONFLICT) and retention by age in batches.
import type { TextInput, TextRecord, TextSource } from '../records';
import type { TextRepository } from '../types';
import { textParams } from '../input-params';
import { requireCount, requireId, timestamp } from '../values';
import { translateConstraint } from './pg-errors';
import type { PgExecutor } from './pg-executor';
import { purgeDeleted } from './pg-purge';

interface TextRow {
  id: string;
  customer_id: string | null;
  source: TextSource;
  text: string | null;
  hash: string;
  snippet: string | null;
  created_at: string;
}

const INSERT = `
  INSERT INTO texts (id, customer_id, source, text, hash, snippet, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`;

// Scores, and feedback and alert deliveries naming the text, go with it (ON DELETE CASCADE). SKIP LOCKED lets two
// replicas purge at once without waiting on each other's batch.
const DELETE_OLDER = `
  DELETE FROM texts WHERE id IN (
    SELECT id FROM texts WHERE created_at < $1 ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED)`;

export class PgTextRepository implements TextRepository {
  constructor(private readonly ex: PgExecutor) {}

  async insert(input: TextInput): Promise<string> {
    const p = textParams(input);
    try {
      await this.ex.statement(INSERT, [p.id, p.customerId, p.source, p.text, p.hash, p.snippet, p.createdAt]);
    } catch (e) {
      translateConstraint(e, { duplicate: `text ${p.id} already exists`, field: 'id' });
    }
    return p.id;
  }

  async insertIfAbsent(input: TextInput): Promise<boolean> {
    const p = textParams(input);
    const result = await this.ex.statement(`${INSERT} ON CONFLICT (id) DO NOTHING`, [
      p.id,
      p.customerId,
      p.source,
      p.text,
      p.hash,
      p.snippet,
      p.createdAt,
    ]);
    return result.rowCount === 1;
  }

  async get(id: string): Promise<TextRecord | null> {
    requireId(id, 'id');
    const [row] = await this.ex.rows<TextRow>('SELECT * FROM texts WHERE id = $1', [id]);
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
  }

  async deleteOlderThan(cutoff: Date, opts: { batchSize?: number } = {}): Promise<number> {
    const before = timestamp(cutoff, 'cutoff');
    const limit = requireCount(opts.batchSize ?? 500, 'batchSize', 1);
    let deleted = 0;
    // One batch per transaction, so scoring requests are not held up behind a large purge.
    for (;;) {
      const n = await this.ex.write(async () => (await this.ex.query(DELETE_OLDER, [before, limit])).rowCount ?? 0);
      deleted += n;
      if (n < limit) break;
    }
    if (deleted > 0)
      await purgeDeleted(this.ex, 'retention', ['texts', 'scores', 'shadow_scores', 'feedback', 'alert_log']);
    return deleted;
  }
}
