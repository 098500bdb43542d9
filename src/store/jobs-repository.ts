// Long-running jobs (batch scoring): state, input, a resumable cursor and progress counts, all JSON.
import { randomUUID } from 'node:crypto';
import type { Statement } from 'better-sqlite3';
import { NotFoundError } from '../errors';
import type { Executor } from './executor';
import type { JobInput, JobPatch, JobRecord, JobState } from './records';
import { translateConstraint } from './sqlite-errors';
import type { JobRepository } from './types';
import { fromJson, optionalText, pageOf, requireId, requireOneOf, requirePlainObject, toJson } from './values';

const states: readonly JobState[] = ['queued', 'running', 'succeeded', 'failed', 'cancelled'];

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
    const params = {
      id: input?.id === undefined ? randomUUID() : requireId(input.id, 'id'),
      state: input?.state === undefined ? 'queued' : requireOneOf(input.state, states, 'state'),
      input: toJson(input?.input ?? null, 'input'),
      now: new Date().toISOString(),
    };
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
      this.updateStmt.run({
        id,
        state: patch.state === undefined ? current.state : requireOneOf(patch.state, states, 'state'),
        cursor: patch.cursor === undefined ? current.cursor : toJson(patch.cursor, 'cursor'),
        counts: patch.counts === undefined ? current.counts : toJson(patch.counts, 'counts'),
        error: patch.error === undefined ? current.error : optionalText(patch.error, 'error'),
        now: new Date().toISOString(),
      });
      return toRecord(this.getStmt.get(id)!);
    });
  }

  async delete(id: string): Promise<boolean> {
    requireId(id, 'id');
    return this.ex.write(() => this.deleteStmt.run(id).changes > 0);
  }

  async list(opts: { state?: JobState; limit: number }): Promise<JobRecord[]> {
    const { limit } = pageOf(opts);
    const state = opts.state === undefined ? null : requireOneOf(opts.state, states, 'state');
    return this.ex.read(() => this.listStmt.all({ state, limit }).map(toRecord));
  }
}
