// API keys: public id, name, scopes and the hash of the secret; revoked keys stay so listings and audits keep them.
import type { Statement } from 'better-sqlite3';
import { NotFoundError } from '../../errors';
import type { Executor } from './executor';
import type { ApiKeyCredential, ApiKeyInput, ApiKeyRecord, ApiKeyScope } from '../records';
import { translateConstraint } from './sqlite-errors';
import type { ApiKeyRepository } from '../types';
import { apiKeyParams } from '../admin-params';
import { requireId, timestamp } from '../values';

interface ApiKeyRow {
  id: string;
  hash: string;
  name: string;
  scopes: string;
  rate_limit: number | null;
  created_at: string;
  revoked_at: string | null;
}

function toRecord(row: ApiKeyRow): ApiKeyRecord {
  return {
    id: row.id,
    name: row.name,
    scopes: JSON.parse(row.scopes) as ApiKeyScope[],
    rateLimit: row.rate_limit,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
  };
}

export class SqliteApiKeyRepository implements ApiKeyRepository {
  private readonly insertStmt: Statement;
  private readonly getStmt: Statement<[string], ApiKeyRow>;
  private readonly listStmt: Statement<[], ApiKeyRow>;
  private readonly revokeStmt: Statement<{ id: string; at: string }>;
  private readonly anyStmt: Statement<[], { found: number }>;

  constructor(private readonly ex: Executor) {
    const db = ex.db;
    this.insertStmt = db.prepare(`
      INSERT INTO api_keys (id, hash, name, scopes, rate_limit, created_at, revoked_at)
      VALUES (@id, @hash, @name, @scopes, @rateLimit, @createdAt, NULL)`);
    this.getStmt = db.prepare(
      'SELECT id, hash, name, scopes, rate_limit, created_at, revoked_at FROM api_keys WHERE id = ?',
    );
    this.listStmt = db.prepare(`
      SELECT id, hash, name, scopes, rate_limit, created_at, revoked_at FROM api_keys
      WHERE id IS NOT NULL ORDER BY created_at, rowid`);
    this.revokeStmt = db.prepare('UPDATE api_keys SET revoked_at = COALESCE(revoked_at, @at) WHERE id = @id');
    this.anyStmt = db.prepare('SELECT EXISTS (SELECT 1 FROM api_keys) AS found');
  }

  async create(input: ApiKeyInput): Promise<ApiKeyRecord> {
    const params = apiKeyParams(input);
    return this.ex.write(() => {
      try {
        this.insertStmt.run(params);
      } catch (e) {
        translateConstraint(e, { duplicate: `API key ${params.id} already exists`, field: 'id' });
      }
      return toRecord(this.getStmt.get(params.id)!);
    });
  }

  async list(): Promise<ApiKeyRecord[]> {
    return this.ex.read(() => this.listStmt.all().map(toRecord));
  }

  async get(id: string): Promise<ApiKeyRecord | null> {
    const credential = await this.credential(id);
    if (!credential) return null;
    const { hash: _hash, ...record } = credential;
    return record;
  }

  async credential(id: string): Promise<ApiKeyCredential | null> {
    requireId(id, 'id');
    return this.ex.read(() => {
      const row = this.getStmt.get(id);
      return row ? { ...toRecord(row), hash: row.hash } : null;
    });
  }

  async revoke(id: string, at?: string | Date): Promise<ApiKeyRecord> {
    requireId(id, 'id');
    const params = { id, at: timestamp(at, 'at') };
    return this.ex.write(() => {
      if (this.revokeStmt.run(params).changes === 0)
        throw new NotFoundError(`API key ${id} does not exist`, { field: 'id' });
      return toRecord(this.getStmt.get(id)!);
    });
  }

  async any(): Promise<boolean> {
    return this.ex.read(() => this.anyStmt.get()!.found === 1);
  }
}
