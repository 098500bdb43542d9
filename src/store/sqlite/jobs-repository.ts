// Long-running jobs (batch scoring): state, input, a resumable cursor and progress counts, all JSON.
import type { Statement } from 'better-sqlite3';
import { NotFoundError } from '../../errors';
import type { Executor } from './executor';
import type { JobInput, JobPatch, JobRecord, JobState } from '../records';
import { translateConstraint } from './sqlite-errors';
import type { JobRepository } from '../types';
import { jobParams, jobPatchParams, jobStates } from '../admin-params';
import { fromJson, pageOf, requireId, requireOneOf, requirePlainObject } from '../values';

interface JobRow {
  id: string;
  state: JobState;
  input: string;
  cursor: string | null;
  counts: string | null;
  error: string | null;
  created_at: string;
  updated_at: string;
}

function toRecord(row: JobRow): JobRecord {
  return {
    id: row.id,
    state: row.state,
    input: fromJson(row.input),
    cursor: fromJson(row.cursor),
    counts: fromJson(row.counts),
    error: row.error,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export class SqliteJobRepository implements JobRepository {
  private readonly insertStmt: Statement;
  private readonly updateStmt: Statement;
  private readonly getStmt: Statement<[string], JobRow>;
  private readonly listStmt: Statement<{ state: string | null; limit: number }, JobRow>;
  private readonly deleteStmt: Statement<[string]>;

  constructor(private readonly ex: Executor) {
    const db = ex.db;
    this.insertStmt = db.prepare(`
      INSERT INTO jobs (id, state, input, cursor, counts, error, created_at, updated_at)
      VALUES (@id, @state, @input, NULL, NULL, NULL, @now, @now)`);
    this.updateStmt = db.prepare(`
      UPDATE jobs SET state = @state, cursor = @cursor, counts = @counts, error = @error, updated_at = @now WHERE id = @id`);
    this.getStmt = db.prepare('SELECT * FROM jobs WHERE id = ?');
    this.deleteStmt = db.prepare('DELETE FROM jobs WHERE id = ?');
    this.listStmt = db.prepare(`
      SELECT * FROM jobs WHERE @state IS NULL OR state = @state ORDER BY created_at DESC, rowid DESC LIMIT @limit`);
  }

  async create(input: JobInput): Promise<JobRecord> {
    const params = jobParams(input);
    return this.ex.write(() => {
      try {
        this.insertStmt.run(params);
      } catch (e) {
        translateConstraint(e, { duplicate: `job ${params.id} already exists`, field: 'id' });
      }
      return toRecord(this.getStmt.get(params.id)!);
    });
  }

  async get(id: string): Promise<JobRecord | null> {
    requireId(id, 'id');
    return this.ex.read(() => {
      const row = this.getStmt.get(id);
      return row ? toRecord(row) : null;
    });
  }

  async update(id: string, patch: JobPatch): Promise<JobRecord> {
    requireId(id, 'id');
    requirePlainObject(patch, 'patch');
    return this.ex.write(() => {
      const current = this.getStmt.get(id);
      if (!current) throw new NotFoundError(`job ${id} does not exist`, { field: 'id' });
      const p = jobPatchParams(current, patch);
      this.updateStmt.run({ ...p, id, cursor: p.cursor ?? current.cursor, counts: p.counts ?? current.counts });
      return toRecord(this.getStmt.get(id)!);
    });
  }

  async delete(id: string): Promise<boolean> {
    requireId(id, 'id');
    return this.ex.write(() => this.deleteStmt.run(id).changes > 0);
  }

  async list(opts: { state?: JobState; limit: number }): Promise<JobRecord[]> {
    const { limit } = pageOf(opts);
    const state = opts.state === undefined ? null : requireOneOf(opts.state, jobStates, 'state');
    return this.ex.read(() => this.listStmt.all({ state, limit }).map(toRecord));
  }
}
