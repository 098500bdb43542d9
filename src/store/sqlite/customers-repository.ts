// Customers and their behavioural features; erase() is the right-to-be-forgotten path for everything about one.
import type { Statement } from 'better-sqlite3';
import type { Logger } from '../../logging';
import type { Executor } from './executor';
import type { CustomerInput, CustomerRecord, Page } from '../records';
import { truncateWal } from './truncate-wal';
import type { CustomerRepository } from '../types';
import { customerParams, customerRows, type CustomerParams } from '../input-params';
import { fromJson, pageOf, requireId } from '../values';

interface CustomerRow {
  id: string;
  features: string;
  segment: string | null;
  created_at: string;
  updated_at: string;
}

/** SQLite binds no booleans. */
function sqliteParams(p: CustomerParams) {
  return { ...p, keepSegment: p.keepSegment ? 1 : 0 };
}

function toRecord(row: CustomerRow): CustomerRecord {
  return {
    id: row.id,
    features: fromJson(row.features) as Record<string, unknown>,
    segment: row.segment,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export class SqliteCustomerRepository implements CustomerRepository {
  private readonly upsertStmt: Statement;
  private readonly getStmt: Statement<[string], CustomerRow>;
  private readonly listStmt: Statement<[number, number], CustomerRow>;
  private readonly eraseStmts: Statement<{ id: string }>[];

  constructor(
    private readonly ex: Executor,
    private readonly logger: Logger,
  ) {
    const db = ex.db;
    this.upsertStmt = db.prepare(`
      INSERT INTO customers (id, features, segment, created_at, updated_at)
      VALUES (@id, @features, @segment, @now, @now)
      ON CONFLICT (id) DO UPDATE SET
        features = excluded.features,
        segment = CASE WHEN @keepSegment THEN customers.segment ELSE excluded.segment END,
        updated_at = excluded.updated_at`);
    this.getStmt = db.prepare('SELECT * FROM customers WHERE id = ?');
    this.listStmt = db.prepare('SELECT * FROM customers ORDER BY id LIMIT ? OFFSET ?');
    // Children first; scores, and the feedback and deliveries tied to a text, also cascade from texts.
    const ofCustomerTexts = 'SELECT id FROM texts WHERE customer_id = @id';
    this.eraseStmts = [
      `DELETE FROM alert_log WHERE customer_id = @id OR text_id IN (${ofCustomerTexts})`,
      `DELETE FROM feedback WHERE customer_id = @id OR text_id IN (${ofCustomerTexts})`,
      `DELETE FROM scores WHERE text_id IN (${ofCustomerTexts})`,
      `DELETE FROM shadow_scores WHERE text_id IN (${ofCustomerTexts})`,
      'DELETE FROM texts WHERE customer_id = @id',
      'DELETE FROM customers WHERE id = @id',
    ].map((sql) => db.prepare<{ id: string }>(sql));
  }

  async upsert(input: CustomerInput): Promise<CustomerRecord> {
    const params = sqliteParams(customerParams(input, new Date().toISOString()));
    return this.ex.write(() => {
      this.upsertStmt.run(params);
      return toRecord(this.getStmt.get(params.id)!);
    });
  }

  async get(id: string): Promise<CustomerRecord | null> {
    requireId(id, 'id');
    return this.ex.read(() => {
      const row = this.getStmt.get(id);
      return row ? toRecord(row) : null;
    });
  }

  async list(page: Page): Promise<CustomerRecord[]> {
    const { limit, offset } = pageOf(page);
    return this.ex.read(() => this.listStmt.all(limit, offset).map(toRecord));
  }

  async erase(id: string): Promise<boolean> {
    requireId(id, 'id');
    const removed = await this.ex.write(() => this.eraseStmts.reduce((n, stmt) => n + stmt.run({ id }).changes, 0));
    if (removed === 0) return false;
    await truncateWal(this.ex, this.logger, 'erase');
    this.logger.info({ customerId: id, rows: removed }, 'customer erased');
    return true;
  }

  async importMany(rows: readonly CustomerInput[]): Promise<number> {
    const params = customerRows(rows, new Date().toISOString()).map(sqliteParams);
    return this.ex.write(() => {
      for (const p of params) this.upsertStmt.run(p);
      return params.length;
    });
  }
}
