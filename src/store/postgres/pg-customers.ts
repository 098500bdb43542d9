// Customers on PostgreSQL: upsert with ON CONFLICT, all-or-nothing import, and erase of everything about one.
import type { CustomerInput, CustomerRecord, Page } from '../records';
import type { CustomerRepository } from '../types';
import { customerParams, customerRows, type CustomerParams } from '../input-params';
import { pageOf, requireId } from '../values';
import type { PgExecutor } from './pg-executor';
import { purgeDeleted } from './pg-purge';

interface CustomerRow {
  id: string;
  features: Record<string, unknown>;
  segment: string | null;
  created_at: string;
  updated_at: string;
}

function toRecord(row: CustomerRow): CustomerRecord {
  return {
    id: row.id,
    features: row.features,
    segment: row.segment,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

// One statement, so two replicas upserting the same customer cannot both insert.
const UPSERT = `
  INSERT INTO customers (id, features, segment, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)
  ON CONFLICT (id) DO UPDATE SET
    features = excluded.features,
    segment = CASE WHEN $5 THEN customers.segment ELSE excluded.segment END,
    updated_at = excluded.updated_at
  RETURNING *`;

const values = (p: CustomerParams) => [p.id, p.features, p.segment, p.now, p.keepSegment];

// Children first; scores, and the feedback and deliveries tied to a text, also cascade from texts.
const OF_CUSTOMER_TEXTS = 'SELECT id FROM texts WHERE customer_id = $1';
const ERASE = [
  `DELETE FROM alert_log WHERE customer_id = $1 OR text_id IN (${OF_CUSTOMER_TEXTS})`,
  `DELETE FROM feedback WHERE customer_id = $1 OR text_id IN (${OF_CUSTOMER_TEXTS})`,
  `DELETE FROM scores WHERE text_id IN (${OF_CUSTOMER_TEXTS})`,
  `DELETE FROM shadow_scores WHERE text_id IN (${OF_CUSTOMER_TEXTS})`,
  'DELETE FROM texts WHERE customer_id = $1',
  'DELETE FROM customers WHERE id = $1',
];

export class PgCustomerRepository implements CustomerRepository {
  constructor(private readonly ex: PgExecutor) {}

  async upsert(input: CustomerInput): Promise<CustomerRecord> {
    const params = customerParams(input, new Date().toISOString());
    const [row] = (await this.ex.statement<CustomerRow>(UPSERT, values(params))).rows;
    return toRecord(row);
  }

  async get(id: string): Promise<CustomerRecord | null> {
    requireId(id, 'id');
    const [row] = await this.ex.rows<CustomerRow>('SELECT * FROM customers WHERE id = $1', [id]);
    return row ? toRecord(row) : null;
  }

  async list(page: Page): Promise<CustomerRecord[]> {
    const { limit, offset } = pageOf(page);
    // Byte order, as SQLite sorts: the database's locale must not decide the order of ids.
    const rows = await this.ex.rows<CustomerRow>('SELECT * FROM customers ORDER BY id COLLATE "C" LIMIT $1 OFFSET $2', [
      limit,
      offset,
    ]);
    return rows.map(toRecord);
  }

  async erase(id: string): Promise<boolean> {
    requireId(id, 'id');
    const removed = await this.ex.write(async () => {
      let n = 0;
      for (const sql of ERASE) n += (await this.ex.query(sql, [id])).rowCount ?? 0;
      return n;
    });
    if (removed === 0) return false;
    await purgeDeleted(this.ex, 'erase');
    this.ex.logger.info({ customerId: id, rows: removed }, 'customer erased');
    return true;
  }

  async importMany(rows: readonly CustomerInput[]): Promise<number> {
    const params = customerRows(rows, new Date().toISOString());
    return this.ex.write(async () => {
      for (const p of params) await this.ex.query(UPSERT, values(p));
      return params.length;
    });
  }
}
