// Customer texts as received (or redacted, or only hashed): what every score and feedback row refers to.
import { randomUUID } from 'node:crypto';
import type { Statement } from 'better-sqlite3';
import type { Executor } from './executor';
import type { TextInput, TextRecord, TextSource } from './records';
import { translateConstraint } from './sqlite-errors';
import type { TextRepository } from './types';
import { optionalId, optionalText, requireId, requireOneOf, timestamp } from './values';

export const textSources: readonly TextSource[] = ['feedback', 'review', 'chat', 'ticket'];

interface TextRow {
  id: string;
  customer_id: string | null;
  source: TextSource;
  text: string | null;
  hash: string;
  created_at: string;
}

export class SqliteTextRepository implements TextRepository {
  private readonly insertStmt: Statement;
  private readonly getStmt: Statement<[string], TextRow>;

  constructor(private readonly ex: Executor) {
    this.insertStmt = ex.db.prepare(`
      INSERT INTO texts (id, customer_id, source, text, hash, created_at)
      VALUES (@id, @customerId, @source, @text, @hash, @createdAt)`);
    this.getStmt = ex.db.prepare('SELECT * FROM texts WHERE id = ?');
  }

  async insert(input: TextInput): Promise<string> {
    const params = {
      id: input?.id === undefined ? randomUUID() : requireId(input.id, 'id'),
      customerId: optionalId(input.customerId, 'customerId'),
      source: requireOneOf(input.source, textSources, 'source'),
      text: optionalText(input.text, 'text'),
      hash: requireId(input.hash, 'hash'),
      createdAt: timestamp(input.createdAt, 'createdAt'),
    };
    await this.ex.write(() => {
      try {
        this.insertStmt.run(params);
      } catch (e) {
        translateConstraint(e, { duplicate: `text ${params.id} already exists`, field: 'id' });
      }
    });
    return params.id;
  }

  async get(id: string): Promise<TextRecord | null> {
    requireId(id, 'id');
    return this.ex.read(() => {
      const row = this.getStmt.get(id);
      if (!row) return null;
      return { id: row.id, customerId: row.customer_id, source: row.source, text: row.text, hash: row.hash, createdAt: row.created_at };
    });
  }
}
