// Queued jobs' data on PostgreSQL: the upload in chunks and each row's result, written once however often a chunk runs.
import { NotFoundError } from '../../errors';
import type { JobPatch, JobRecord } from '../records';
import type { JobChunkInput, JobChunkRecord, JobResultInput, JobTally } from '../types';
import { requireId } from '../values';
import type { PgExecutor } from './pg-executor';
import type { PgJobRepository } from './pg-jobs';

interface ChunkRow {
  job_id: string;
  chunk_index: number;
  first_row: number;
  rows: unknown[];
  done: boolean;
}

interface ResultRow {
  row_index: number;
  line: number;
  output: Record<string, unknown> | null;
  error: string | null;
}

/** Rows per INSERT of results: 5 parameters each, far below PostgreSQL's 65,535. */
const RESULTS_PER_INSERT = 2000;

export class PgJobChunks {
  constructor(
    private readonly ex: PgExecutor,
    private readonly jobs: PgJobRepository,
  ) {}

  async add(jobId: string, chunks: readonly JobChunkInput[]): Promise<void> {
    requireId(jobId, 'jobId');
    if (chunks.length === 0) return;
    const params: unknown[] = [jobId];
    const values = chunks.map((c) => {
      params.push(c.index, c.firstRow, c.rows.length, JSON.stringify(c.rows));
      const n = params.length;
      return `($1, $${n - 3}, $${n - 2}, $${n - 1}, $${n}::json)`;
    });
    await this.ex.statement(
      `INSERT INTO job_chunks (job_id, chunk_index, first_row, row_count, rows) VALUES ${values.join(', ')}
       ON CONFLICT (job_id, chunk_index) DO NOTHING`,
      params,
    );
  }

  async get(jobId: string, index: number): Promise<JobChunkRecord | null> {
    const [row] = await this.ex.rows<ChunkRow>(
      'SELECT job_id, chunk_index, first_row, rows, done FROM job_chunks WHERE job_id = $1 AND chunk_index = $2',
      [jobId, index],
    );
    return row
      ? { jobId: row.job_id, index: row.chunk_index, firstRow: row.first_row, rows: row.rows, done: row.done }
      : null;
  }

  async commit(
    jobId: string,
    index: number,
    results: readonly JobResultInput[],
    patch: (job: JobRecord, tally: JobTally) => JobPatch,
  ): Promise<JobRecord | null> {
    requireId(jobId, 'jobId');
    return this.ex.transaction(async () => {
      // The job's row lock orders the commits of all workers: each one's tally counts every commit before it, and
      // exactly one sees no chunk left. A cancel takes the same lock, so no chunk is written after it.
      const [locked] = await this.ex.rows<{ state: string }>('SELECT state FROM jobs WHERE id = $1 FOR UPDATE', [
        jobId,
      ]);
      if (!locked) throw new NotFoundError(`job ${jobId} does not exist`, { field: 'jobId' });
      if (locked.state !== 'queued' && locked.state !== 'running') return null;
      for (let i = 0; i < results.length; i += RESULTS_PER_INSERT)
        await this.insertResults(jobId, results.slice(i, i + RESULTS_PER_INSERT));
      const scored = results.filter((r) => r.error === null).length;
      // A chunk committed before keeps its first counts, which describe the rows that were kept.
      await this.ex.query(
        `UPDATE job_chunks SET done = TRUE, scored = $3, errors = $4 WHERE job_id = $1 AND chunk_index = $2 AND NOT done`,
        [jobId, index, scored, results.length - scored],
      );
      const [t] = await this.ex.rows<{ rows: number; scored: number; errors: number; left: number }>(
        `SELECT COALESCE(sum(row_count) FILTER (WHERE done), 0)::int AS rows, COALESCE(sum(scored), 0)::int AS scored,
                COALESCE(sum(errors), 0)::int AS errors, count(*) FILTER (WHERE NOT done)::int AS left
         FROM job_chunks WHERE job_id = $1`,
        [jobId],
      );
      const job = (await this.jobs.get(jobId))!;
      const tally = { rows: t.rows, scored: t.scored, errors: t.errors, chunksLeft: t.left };
      return this.jobs.update(jobId, patch(job, tally));
    });
  }

  async cancel(jobId: string): Promise<JobRecord | null> {
    requireId(jobId, 'jobId');
    return this.ex.transaction(async () => {
      const [locked] = await this.ex.rows<{ state: string }>('SELECT state FROM jobs WHERE id = $1 FOR UPDATE', [
        jobId,
      ]);
      if (!locked || (locked.state !== 'queued' && locked.state !== 'running')) return null;
      return this.jobs.update(jobId, { state: 'cancelled' });
    });
  }

  async results(jobId: string, opts: { from: number; limit: number }): Promise<JobResultInput[]> {
    requireId(jobId, 'jobId');
    const rows = await this.ex.rows<ResultRow>(
      `SELECT row_index, line, output, error FROM job_results
       WHERE job_id = $1 AND row_index >= $2
         AND row_index < COALESCE((SELECT min(first_row) FROM job_chunks WHERE job_id = $1 AND NOT done), 2147483647)
       ORDER BY row_index LIMIT $3`,
      [jobId, opts.from, opts.limit],
    );
    return rows.map((r) => ({ rowIndex: r.row_index, line: r.line, output: r.output, error: r.error }));
  }

  private async insertResults(jobId: string, results: readonly JobResultInput[]): Promise<void> {
    if (results.length === 0) return;
    const params: unknown[] = [jobId];
    const values = results.map((r) => {
      params.push(r.rowIndex, r.line, r.output === null ? null : JSON.stringify(r.output), r.error);
      const n = params.length;
      return `($1, $${n - 3}, $${n - 2}, $${n - 1}::json, $${n})`;
    });
    // A row another delivery of this chunk already wrote stays as it was: exactly one output per input row.
    await this.ex.query(
      `INSERT INTO job_results (job_id, row_index, line, output, error) VALUES ${values.join(', ')}
       ON CONFLICT (job_id, row_index) DO NOTHING`,
      params,
    );
  }
}
