// Batch jobs kept in the database (PostgreSQL): the accepting replica stores the upload in chunks and enqueues them;
// `churnscope worker` processes score them; any replica reports, streams and cancels them from the database.
import { z } from 'zod';
import { isChurnscopeError } from '../errors';
import { readRows, type RowItem } from '../ingest';
import type { Logger } from '../logging';
import type { JobChunkInput, JobQueue, JobRecord, Store } from '../store';
import { countsOf } from './job-status';
import type { JobSpec } from './job-spec';

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
});
export type QueuedCursor = z.infer<typeof queuedCursorSchema>;

/** Chunks written to the database per INSERT while an upload is stored. */
const CHUNKS_PER_WRITE = 8;

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
      const cursor: QueuedCursor = { chunks, columns };
      const counts = { ...countsOf(rec), rowsTotal: rows };
      await store.jobs.update(id, { cursor, counts, state: chunks === 0 ? 'succeeded' : 'queued' });
      if (chunks > 0) await queue.enqueue(id, chunks);
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

  private async storeChunks(id: string, spec: JobSpec) {
    const size = this.o.chunkSize ?? 256;
    let columns: string[] | null = null;
    const pending: JobChunkInput[] = [];
    let current: RowItem[] = [];
    let rows = 0;
    let chunks = 0;
    const close = async (force: boolean) => {
      if (current.length) {
        pending.push({ index: chunks++, firstRow: rows - current.length, rows: current });
        current = [];
      }
      if (pending.length >= CHUNKS_PER_WRITE || (force && pending.length))
        await this.o.queue.addChunks(id, pending.splice(0));
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
