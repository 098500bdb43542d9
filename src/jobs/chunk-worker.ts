// Works queued chunks: take one (leased), score it with the batch chunk scorer, commit its rows once, acknowledge.
import { isChurnscopeError } from '../errors';
import type { FusionModel } from '../fuse';
import type { RowItem } from '../ingest';
import type { Logger } from '../logging';
import type { PrivacyPolicy } from '../privacy';
import type { ChunkDelivery, JobPatch, JobQueue, JobRecord, JobResultInput, JobTally, Store } from '../store';
import { jobFuseRisk } from './job-fuse-risk';
import type { JobModelLease } from './job-runner';
import { parseJobSpec } from './job-spec';
import { countsOf } from './job-status';
import type { RetryPolicy } from './retry-transient';
import { scoreChunk, type ScoredRow } from './score-chunk';
import { storeJobRows } from './store-job-rows';

export interface ChunkWorkerOptions {
  store: Store;
  queue: JobQueue;
  /**
   * Leases the active model for one chunk (ModelRegistry.acquire): a chunk is scored on one model, and an activation
   * the worker follows applies from the next chunk on.
   */
  acquireModel: () => JobModelLease;
  fusion?: FusionModel;
  privacy?: PrivacyPolicy;
  retry?: RetryPolicy;
  logger: Logger;
  /** Chunks worked at once: two keep the engine busy while the other one is committed. Default 2. */
  concurrency?: number;
  /** Pause between looks at an empty queue. Default 500 ms. */
  idleMs?: number;
  clock?: () => Date;
}

export interface ChunkWorkerStats {
  chunks: number;
  rows: number;
  /** Deliveries skipped: their job was cancelled, failed or gone, or the chunk was already committed. */
  skipped: number;
}

export class ChunkWorker {
  readonly stats: ChunkWorkerStats = { chunks: 0, rows: 0, skipped: 0 };
  private stopping = false;
  private loops: Promise<void>[] = [];
  private readonly wake = new Set<() => void>();

  private constructor(private readonly o: ChunkWorkerOptions) {}

  static create(opts: ChunkWorkerOptions): Promise<ChunkWorker> {
    const worker = new ChunkWorker(opts);
    worker.loops = Array.from({ length: Math.max(1, opts.concurrency ?? 2) }, () => worker.loop());
    return Promise.resolve(worker);
  }

  /** Finishes the chunks in hand (committed and acknowledged), takes no more. */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const w of this.wake) w();
    await Promise.all(this.loops);
  }

  async dispose(): Promise<void> {
    await this.stop();
  }

  private async loop(): Promise<void> {
    const { queue, logger } = this.o;
    while (!this.stopping) {
      let d: ChunkDelivery | null;
      try {
        d = await queue.take();
      } catch (err) {
        logger.warn({ err }, 'cannot take a chunk from the job queue; trying again');
        await this.idle();
        continue;
      }
      if (!d) {
        await this.idle();
        continue;
      }
      try {
        await this.work(d);
        await queue.complete(d);
      } catch (e) {
        await this.failed(d, e);
      }
    }
  }

  private async work(d: ChunkDelivery): Promise<void> {
    const { store, queue } = this.o;
    const rec = await store.jobs.get(d.jobId);
    const live = rec && (rec.state === 'queued' || rec.state === 'running');
    const chunk = live ? await queue.chunk(d.jobId, d.chunk) : null;
    if (!rec || !chunk || chunk.done) return void this.stats.skipped++;
    const spec = parseJobSpec(d.jobId, rec.input);
    const items = chunk.rows as RowItem[];
    const lease = this.o.acquireModel();
    try {
      const { model } = lease;
      const results = await scoreChunk(items, {
        engine: model.engine,
        calibrator: model.calibrator,
        textColumn: spec.textCol,
        timeColumn: spec.timeCol,
        fuseRisk: jobFuseRisk({ store, fusion: this.o.fusion, now: this.now }, spec),
        retry: this.o.retry,
      });
      const scored = results.filter((r): r is ScoredRow => typeof r !== 'string');
      if (spec.storeTexts && scored.length) {
        // Idempotent per input line (text ids derive from it), so a chunk delivered again stores each text once.
        const ctx = {
          store,
          jobId: d.jobId,
          spec,
          modelVersion: model.version,
          now: this.now,
          privacy: this.o.privacy,
        };
        await storeJobRows(ctx, scored);
      }
      const rows: JobResultInput[] = items.map((item, i) => {
        const r = results[i];
        const at = { rowIndex: chunk.firstRow + i, line: item.line };
        return typeof r === 'string' ? { ...at, output: null, error: r } : { ...at, output: r.output, error: null };
      });
      const after = await queue.commitChunk(d.jobId, d.chunk, rows, (job, t) => this.patch(job, t, model.version));
      if (!after) return void this.stats.skipped++;
      this.stats.chunks++;
      this.stats.rows += rows.length;
      if (after.state === 'succeeded') this.o.logger.info({ job: d.jobId, ...countsOf(after) }, 'batch job succeeded');
    } finally {
      lease.release();
    }
  }

  /** The job's counts from its stored results; the commit that leaves no chunk finishes it. */
  private patch(job: JobRecord, tally: JobTally, modelVersion: string): JobPatch {
    const seconds = Math.max((this.now().getTime() - Date.parse(job.createdAt)) / 1000, 1e-3);
    const done = tally.chunksLeft === 0;
    return {
      state: done ? 'succeeded' : 'running',
      counts: {
        ...countsOf(job),
        rowsDone: tally.rows,
        scored: tally.scored,
        errors: tally.errors,
        rowsPerSecond: Math.round((tally.rows / seconds) * 10) / 10,
        modelVersion,
        ...(done ? { rowsTotal: tally.rows } : {}),
      },
    };
  }

  /** Back to the queue for another try; a chunk that keeps failing fails its job, with the reason. */
  private async failed(d: ChunkDelivery, e: unknown): Promise<void> {
    const { queue, store, logger } = this.o;
    const reason = isChurnscopeError(e) ? e.message : `internal error: ${(e as Error).message}`;
    const log = logger.child({ job: d.jobId, chunk: d.chunk, retries: d.retries });
    try {
      if (d.retries < queue.retryLimit) {
        log.warn({ err: isChurnscopeError(e) ? undefined : e, reason }, 'chunk failed; it goes back to the queue');
        await queue.fail(d, reason);
        return;
      }
      log.error({ reason }, 'chunk failed on every try; failing its job');
      await store.jobs.update(d.jobId, { state: 'failed', error: `chunk ${d.chunk}: ${reason}` });
      await queue.complete(d);
    } catch (err) {
      // The lease expires and the chunk comes back anyway.
      log.warn({ err }, 'cannot report a failed chunk to the queue');
    }
  }

  private idle(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake.delete(done);
        resolve();
      };
      const timer = setTimeout(done, this.o.idleMs ?? 500);
      this.wake.add(done);
    });
  }

  private readonly now = () => (this.o.clock ?? (() => new Date()))();
}
