// API keys on PostgreSQL: public id, name, scopes and the hash of the secret; revocation is one idempotent UPDATE.
import { NotFoundError } from '../../errors';
import { apiKeyParams } from '../admin-params';
import type { ApiKeyCredential, ApiKeyInput, ApiKeyRecord, ApiKeyScope } from '../records';
import type { ApiKeyRepository } from '../types';
import { requireId, timestamp } from '../values';
import { translateConstraint } from './pg-errors';
import type { PgExecutor } from './pg-executor';

interface ApiKeyRow {
  id: string;
  hash: string;
  name: string;
  scopes: ApiKeyScope[];
  rate_limit: number | null;
  created_at: string;
  revoked_at: string | null;
}

const toRecord = (r: ApiKeyRow): ApiKeyRecord => ({
  id: r.id,
  name: r.name,
  scopes: r.scopes,
  rateLimit: r.rate_limit,
  createdAt: r.created_at,
  revokedAt: r.revoked_at,
});

const COLUMNS = 'id, hash, name, scopes, rate_limit, created_at, revoked_at';

export class PgApiKeyRepository implements ApiKeyRepository {
  constructor(private readonly ex: PgExecutor) {}

  async create(input: ApiKeyInput): Promise<ApiKeyRecord> {
    const p = apiKeyParams(input);
    try {
      const { rows } = await this.ex.statement<ApiKeyRow>(
        `INSERT INTO api_keys (id, hash, name, scopes, rate_limit, created_at, revoked_at)
         VALUES ($1, $2, $3, $4, $5, $6, NULL) RETURNING ${COLUMNS}`,
        [p.id, p.hash, p.name, p.scopes, p.rateLimit, p.createdAt],
      );
      return toRecord(rows[0]);
    } catch (e) {
      return translateConstraint(e, { duplicate: `API key ${p.id} already exists`, field: 'id' });
    }
  }

  async list(): Promise<ApiKeyRecord[]> {
    const rows = await this.ex.rows<ApiKeyRow>(
      `SELECT ${COLUMNS} FROM api_keys WHERE id IS NOT NULL ORDER BY created_at, seq`,
    );
    return rows.map(toRecord);
  }

  async get(id: string): Promise<ApiKeyRecord | null> {
    const credential = await this.credential(id);
    if (!credential) return null;
    const { hash: _hash, ...record } = credential;
    return record;
  }

  async credential(id: string): Promise<ApiKeyCredential | null> {
    requireId(id, 'id');
    const [row] = await this.ex.rows<ApiKeyRow>(`SELECT ${COLUMNS} FROM api_keys WHERE id = $1`, [id]);
    return row ? { ...toRecord(row), hash: row.hash } : null;
  }

  async revoke(id: string, at?: string | Date): Promise<ApiKeyRecord> {
    requireId(id, 'id');
    const { rows } = await this.ex.statement<ApiKeyRow>(
      `UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $2) WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, timestamp(at, 'at')],
    );
    if (rows.length === 0) throw new NotFoundError(`API key ${id} does not exist`, { field: 'id' });
    return toRecord(rows[0]);
  }

  async any(): Promise<boolean> {
    const [row] = await this.ex.rows<{ found: boolean }>('SELECT EXISTS (SELECT 1 FROM api_keys) AS found');
    return row.found;
  }
}
