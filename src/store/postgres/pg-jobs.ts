// Jobs on PostgreSQL: state, input, resumable cursor and counts; updates lock the row, so replicas cannot lose one.
import { NotFoundError } from '../../errors';
import { jobParams, jobPatchParams, jobStates } from '../admin-params';
import type { JobInput, JobPatch, JobRecord, JobState } from '../records';
import type { JobRepository } from '../types';
import { pageOf, requireId, requireOneOf, requirePlainObject } from '../values';
import { translateConstraint } from './pg-errors';
import type { PgExecutor } from './pg-executor';

interface JobRow {
  id: string;
  state: JobState;
  input: unknown;
  cursor: unknown;
  counts: unknown;
  error: string | null;
  created_at: string;
  updated_at: string;
}

const toRecord = (r: JobRow): JobRecord => ({
  id: r.id,
  state: r.state,
  input: r.input,
  cursor: r.cursor,
  counts: r.counts,
  error: r.error,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const COLUMNS = 'id, state, input, cursor, counts, error, created_at, updated_at';

export class PgJobRepository implements JobRepository {
  constructor(private readonly ex: PgExecutor) {}

  async create(input: JobInput): Promise<JobRecord> {
    const p = jobParams(input);
    try {
      const { rows } = await this.ex.statement<JobRow>(
        `INSERT INTO jobs (id, state, input, cursor, counts, error, created_at, updated_at)
         VALUES ($1, $2, $3, NULL, NULL, NULL, $4, $4) RETURNING ${COLUMNS}`,
        [p.id, p.state, p.input, p.now],
      );
      return toRecord(rows[0]);
    } catch (e) {
      return translateConstraint(e, { duplicate: `job ${p.id} already exists`, field: 'id' });
    }
  }

  async get(id: string): Promise<JobRecord | null> {
    requireId(id, 'id');
    const [row] = await this.ex.rows<JobRow>(`SELECT ${COLUMNS} FROM jobs WHERE id = $1`, [id]);
    return row ? toRecord(row) : null;
  }

  async update(id: string, patch: JobPatch): Promise<JobRecord> {
    requireId(id, 'id');
    requirePlainObject(patch, 'patch');
    return this.ex.write(async () => {
      const [current] = await this.ex.rows<JobRow>(`SELECT ${COLUMNS} FROM jobs WHERE id = $1 FOR UPDATE`, [id]);
      if (!current) throw new NotFoundError(`job ${id} does not exist`, { field: 'id' });
      const p = jobPatchParams(current, patch);
      // A cursor or counts the patch leaves out keep the stored JSON as it is (NULL parameter: keep).
      const [row] = await this.ex.rows<JobRow>(
        `UPDATE jobs SET state = $2, cursor = COALESCE($3::json, cursor), counts = COALESCE($4::json, counts),
           error = $5, updated_at = $6
         WHERE id = $1 RETURNING ${COLUMNS}`,
        [id, p.state, p.cursor ?? null, p.counts ?? null, p.error, p.now],
      );
      return toRecord(row);
    });
  }

  async delete(id: string): Promise<boolean> {
    requireId(id, 'id');
    return ((await this.ex.statement('DELETE FROM jobs WHERE id = $1', [id])).rowCount ?? 0) > 0;
  }

  async list(opts: { state?: JobState; limit: number }): Promise<JobRecord[]> {
    const { limit } = pageOf(opts);
    const state = opts.state === undefined ? null : requireOneOf(opts.state, jobStates, 'state');
    const rows = await this.ex.rows<JobRow>(
      `SELECT ${COLUMNS} FROM jobs WHERE $1::text IS NULL OR state = $1 ORDER BY created_at DESC, seq DESC LIMIT $2`,
      [state, limit],
    );
    return rows.map(toRecord);
  }
}
