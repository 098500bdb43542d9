// Batch jobs kept in the database (PostgreSQL): the accepting replica stores the upload in chunks and enqueues them;
// `churnscope worker` processes score them; any replica reports, streams and cancels them from the database.
import { z } from 'zod';
import { isChurnscopeError } from '../errors';
import { readRows, type RowItem } from '../ingest';
import type { Logger } from '../logging';
import type { JobChunkInput, JobQueue, JobRecord, Store } from '../store';
import { countsOf } from './job-status';
import { isQueuedSpec, type JobSpec } from './job-spec';

export interface QueuedJobsOptions {
  store: Store;
  queue: JobQueue;
  /** Records per chunk (one queue message each). Default 256, as for in-process jobs. */
  chunkSize?: number;
  logger: Logger;
}

/** What a queued job's row keeps besides its spec: how many chunks its upload became, and the input's columns. */
export const queuedCursorSchema = z.object({
  chunks: z.number().int().min(0),
  columns: z.array(z.string()).nullable(),
  /** True once every chunk's message is in the queue; until then a replica that stops leaves the job unworkable. */
  enqueued: z.boolean().optional(),
});
export type QueuedCursor = z.infer<typeof queuedCursorSchema>;

/** Chunks written to the database per INSERT while an upload is stored. */
const CHUNKS_PER_WRITE = 8;
/** While storing an upload the job's row is touched this often, so a sweep can tell a live upload from a dead one. */
const HEARTBEAT_MS = 5000;

export class QueuedJobs {
  constructor(private readonly o: QueuedJobsOptions) {}

  get queue(): JobQueue {
    return this.o.queue;
  }

  /**
   * Records the job, stores its input in chunks and enqueues them; the input file may be deleted once this returns.
   * An input that cannot be read fails the job with the reason, as in-process jobs do.
   */
  async submit(opts: { id: string; spec: JobSpec }): Promise<JobRecord> {
    const { store, queue, logger } = this.o;
    const { id, spec } = opts;
    const rec = await store.jobs.create({ id, input: { ...spec, queued: true }, state: 'queued' });
    const log = logger.child({ job: id });
    try {
      const { chunks, rows, columns } = await this.storeChunks(id, spec);
      const cursor: QueuedCursor = { chunks, columns, enqueued: false };
      const counts = { ...countsOf(rec), rowsTotal: rows };
      await store.jobs.update(id, { cursor, counts, state: chunks === 0 ? 'succeeded' : 'queued' });
      if (chunks > 0) await queue.enqueue(id, chunks);
      // The cursor alone: the counts may already be a worker's.
      await store.jobs.update(id, { cursor: { ...cursor, enqueued: true } });
      log.info({ chunks, rows }, 'batch job stored and enqueued');
    } catch (e) {
      const message = isChurnscopeError(e) ? e.message : `internal error: ${(e as Error).message}`;
      log.error({ err: isChurnscopeError(e) ? undefined : e, reason: message }, 'batch job failed');
      await store.jobs.update(id, { state: 'failed', error: message });
    }
    return (await store.jobs.get(id))!;
  }

  /** Cancels at once; chunks a worker holds are not written (workers check under the job's row lock). */
  async cancel(id: string): Promise<JobRecord | null> {
    return this.o.queue.cancel(id);
  }

  /**
   * Fails queued jobs whose upload stopped half-way (the accepting replica died): not all enqueued, and untouched
   * for `staleMs`. Returns their ids.
   */
  async failInterrupted(opts: { staleMs: number; now?: Date }): Promise<string[]> {
    const now = (opts.now ?? new Date()).getTime();
    const failed: string[] = [];
    for (const job of await this.o.store.jobs.list({ state: 'queued', limit: 1000 })) {
      if (!isQueuedSpec(job.input) || now - Date.parse(job.updatedAt) < opts.staleMs) continue;
      const cursor = queuedCursorSchema.safeParse(job.cursor);
      if (cursor.success && cursor.data.enqueued !== false) continue;
      await this.o.store.jobs.update(job.id, {
        state: 'failed',
        error:
          'the upload was interrupted before all of it was queued (the accepting replica stopped); submit it again',
      });
      failed.push(job.id);
    }
    if (failed.length) this.o.logger.warn({ jobs: failed }, 'failed queued jobs whose upload was interrupted');
    return failed;
  }

  private async storeChunks(id: string, spec: JobSpec) {
    const size = this.o.chunkSize ?? 256;
    let columns: string[] | null = null;
    const pending: JobChunkInput[] = [];
    let current: RowItem[] = [];
    let rows = 0;
    let chunks = 0;
    let beat = Date.now();
    const close = async (force: boolean) => {
      if (current.length) {
        pending.push({ index: chunks++, firstRow: rows - current.length, rows: current });
        current = [];
      }
      if (pending.length >= CHUNKS_PER_WRITE || (force && pending.length))
        await this.o.queue.addChunks(id, pending.splice(0));
      if (Date.now() - beat >= HEARTBEAT_MS) {
        beat = Date.now();
        await this.o.store.jobs.update(id, {});
      }
    };
    for await (const item of readRows({
      file: spec.inputPath,
      textColumn: spec.textCol,
      onHeader: (h) => (columns = h),
    })) {
      current.push(item);
      rows++;
      if (current.length >= size) await close(false);
    }
    await close(true);
    return { chunks, rows, columns: columns as string[] | null };
  }
}
