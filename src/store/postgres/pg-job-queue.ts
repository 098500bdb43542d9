// JobQueue on PostgreSQL: chunks and results in churnscope's tables, one pg-boss message per chunk with a lease.
import PgBoss from 'pg-boss';
import { ConfigError } from '../../errors';
import type { Logger } from '../../logging';
import type { JobPatch, JobRecord } from '../records';
import type {
  ChunkDelivery,
  JobChunkInput,
  JobChunkRecord,
  JobQueue,
  JobQueueOptions,
  JobResultInput,
  JobTally,
} from '../types';
import type { PgExecutor } from './pg-executor';
import type { PgJobChunks } from './pg-job-chunks';

export const CHUNK_QUEUE = 'churnscope-job-chunks';
const MESSAGES_PER_INSERT = 1000;

interface ChunkMessage {
  jobId: string;
  chunk: number;
}

export interface PgJobQueueOptions extends JobQueueOptions {
  url: string;
  ex: PgExecutor;
  chunks: PgJobChunks;
  logger: Logger;
}

/**
 * Processes starting together create the queue at once, and pg-boss's create_queue can deadlock against itself
 * (PostgreSQL then aborts one of them). It is idempotent: try again until the queue exists.
 */
async function createQueueOnce(boss: PgBoss, retryLimit: number, expireInSeconds: number): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await boss.createQueue(CHUNK_QUEUE, { name: CHUNK_QUEUE, expireInSeconds, retryLimit, retryDelay: 0 });
      return;
    } catch (e) {
      if (await boss.getQueue(CHUNK_QUEUE)) return;
      if (attempt >= 10) throw e;
      await new Promise((r) => setTimeout(r, 100 * attempt));
    }
  }
}

export class PgJobQueue implements JobQueue {
  readonly retryLimit: number;
  private disposed = false;

  private constructor(
    private readonly boss: PgBoss,
    private readonly o: PgJobQueueOptions,
    private readonly leaseSeconds: number,
  ) {
    this.retryLimit = o.retryLimit ?? 5;
  }

  /** Installs pg-boss's schema (pgboss) on first use and creates the chunk queue; both are idempotent. */
  static async create(o: PgJobQueueOptions): Promise<PgJobQueue> {
    const leaseSeconds = o.leaseSeconds ?? 25;
    const maintenance = o.maintenanceSeconds ?? 5;
    if (!Number.isInteger(leaseSeconds) || leaseSeconds < 1 || leaseSeconds > 3600)
      throw new ConfigError(`leaseSeconds must be an integer from 1 to 3600, got ${leaseSeconds}`, {
        field: 'leaseSeconds',
      });
    const boss = new PgBoss({
      connectionString: o.url,
      max: 4,
      application_name: 'churnscope-queue',
      // Expired leases are failed back to 'retry' by the maintenance pass; one process per interval runs it.
      supervise: true,
      maintenanceIntervalSeconds: maintenance,
      schedule: false,
      migrate: true,
    });
    boss.on('error', (err) => o.logger.warn({ err }, 'job queue maintenance failed; it runs again next interval'));
    await boss.start();
    const queue = new PgJobQueue(boss, o, leaseSeconds);
    try {
      await createQueueOnce(boss, queue.retryLimit, leaseSeconds);
    } catch (e) {
      await boss.stop({ graceful: false, wait: true });
      throw e;
    }
    return queue;
  }

  addChunks(jobId: string, chunks: readonly JobChunkInput[]): Promise<void> {
    return this.o.chunks.add(jobId, chunks);
  }

  async enqueue(jobId: string, count: number): Promise<void> {
    for (let from = 0; from < count; from += MESSAGES_PER_INSERT) {
      const messages = Array.from({ length: Math.min(MESSAGES_PER_INSERT, count - from) }, (_, i) => ({
        name: CHUNK_QUEUE,
        data: { jobId, chunk: from + i } satisfies ChunkMessage,
        expireInSeconds: this.leaseSeconds,
        retryLimit: this.retryLimit,
        retryDelay: 0,
      }));
      await this.boss.insert(messages);
    }
  }

  chunk(jobId: string, index: number): Promise<JobChunkRecord | null> {
    return this.o.chunks.get(jobId, index);
  }

  commitChunk(
    jobId: string,
    index: number,
    results: readonly JobResultInput[],
    patch: (job: JobRecord, tally: JobTally) => JobPatch,
  ): Promise<JobRecord | null> {
    return this.o.chunks.commit(jobId, index, results, patch);
  }

  async cancel(jobId: string): Promise<JobRecord | null> {
    return this.o.chunks.cancel(jobId);
  }

  results(jobId: string, opts: { from: number; limit: number }): Promise<JobResultInput[]> {
    return this.o.chunks.results(jobId, opts);
  }

  async take(): Promise<ChunkDelivery | null> {
    const [job] = await this.boss.fetch<ChunkMessage>(CHUNK_QUEUE, { batchSize: 1, includeMetadata: true });
    if (!job) return null;
    return { id: job.id, jobId: job.data.jobId, chunk: job.data.chunk, retries: job.retryCount };
  }

  complete(d: ChunkDelivery): Promise<void> {
    return this.boss.complete(CHUNK_QUEUE, d.id);
  }

  fail(d: ChunkDelivery, reason: string): Promise<void> {
    return this.boss.fail(CHUNK_QUEUE, d.id, { reason });
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.boss.stop({ graceful: false, wait: true, close: true });
  }
}
