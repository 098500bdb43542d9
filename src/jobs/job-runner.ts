// Runs batch jobs one at a time from the jobs table, checkpointing through scoreFile so a restarted server resumes them without loss or duplicates.
import fs from 'node:fs';
import { ConflictError, NotFoundError, isChurnscopeError } from '../errors';
import type { FusionModel } from '../fuse';
import type { Logger } from '../logging';
import type { ServingModel } from '../models';
import type { PrivacyPolicy } from '../privacy';
import type { JobRecord, Store } from '../store';
import { countRecords } from './count-records';
import { jobDir, jobFiles } from './job-files';
import { isQueuedSpec, parseJobSpec, type JobSpec } from './job-spec';
import { countsOf } from './job-status';
import { ProgressReporter } from './progress-reporter';
import type { RetryPolicy } from './retry-transient';
import { jobFuseRisk } from './job-fuse-risk';
import { scoreFile } from './score-file';
import { storeJobRows } from './store-job-rows';

export interface JobRunnerOptions {
  store: Store;
  /**
   * Leases the active model (ModelRegistry.acquire): a job runs on the model it started with and holds it to the end,
   * so a swap applies to the next job and the old model is disposed only after this job releases it.
   */
  acquireModel: () => JobModelLease;
  jobsDir: string;
  chunkSize?: number;
  /** Backoff for transient engine refusals (queue full) inside a job; default DEFAULT_RETRY. */
  retry?: RetryPolicy;
  logger: Logger;
  clock?: () => Date;
  /** Applied to texts that jobs store (storeTexts), as for online scoring. */
  privacy?: PrivacyPolicy;
  /** Rows naming a customer (customerCol) get the fused risk, exactly as online requests do. */
  fusion?: FusionModel;
  /**
   * Other processes record jobs in the same store (PostgreSQL replicas): at start only jobs whose folder is in this
   * jobsDir are resumed, since the others run on the replica that accepted them. Default false (one process).
   */
  sharedStore?: boolean;
}

export interface JobModelLease {
  readonly model: Pick<ServingModel, 'version' | 'engine' | 'calibrator'>;
  release(): void;
}

type StopReason = 'cancel' | 'shutdown';

export class JobRunner {
  private readonly queue: string[] = [];
  private loop: Promise<void> | undefined;
  private current: { id: string; abort: AbortController } | undefined;
  private stopping = false;

  private constructor(private readonly opts: JobRunnerOptions) {}

  /** Opens the jobs folder and picks up every job a previous process left queued or running. */
  static async create(opts: JobRunnerOptions): Promise<JobRunner> {
    fs.mkdirSync(opts.jobsDir, { recursive: true });
    const runner = new JobRunner(opts);
    const unfinished = [
      ...(await opts.store.jobs.list({ state: 'running', limit: 1000 })),
      ...(await opts.store.jobs.list({ state: 'queued', limit: 1000 })),
    ];
    unfinished.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    // Queued jobs (PostgreSQL) live in the database and are worked by `churnscope worker`, never in-process.
    unfinished.splice(0, unfinished.length, ...unfinished.filter((j) => !isQueuedSpec(j.input)));
    if (opts.sharedStore) {
      // Resuming another replica's job would run it twice, or fail it here for want of its input.
      const foreign = unfinished.filter((j) => !fs.existsSync(jobDir(opts.jobsDir, j.id)));
      if (foreign.length)
        opts.logger.info({ jobs: foreign.map((j) => j.id) }, 'unfinished jobs of other replicas left to them');
      unfinished.splice(0, unfinished.length, ...unfinished.filter((j) => !foreign.includes(j)));
    }
    if (unfinished.length) opts.logger.info({ jobs: unfinished.map((j) => j.id) }, 'resuming unfinished batch jobs');
    for (const job of unfinished) runner.enqueue(job.id);
    return runner;
  }

  get jobsDir(): string {
    return this.opts.jobsDir;
  }

  /** Records a job whose input is already in place and queues it. */
  async submit(opts: { id: string; spec: JobSpec }): Promise<JobRecord> {
    // The folder marks the job as this process's (server-side inputs have no upload that would create it).
    fs.mkdirSync(jobDir(this.opts.jobsDir, opts.id), { recursive: true });
    const rec = await this.opts.store.jobs.create({ id: opts.id, input: opts.spec, state: 'queued' });
    this.enqueue(rec.id);
    return rec;
  }

  /** Cancels a queued job at once, a running one after its in-flight chunks are written. */
  async cancel(id: string): Promise<JobRecord> {
    const rec = await this.opts.store.jobs.get(id);
    if (!rec) throw new NotFoundError(`job ${id} does not exist`, { field: 'id' });
    if (rec.state !== 'queued' && rec.state !== 'running')
      throw new ConflictError(`job ${id} is already ${rec.state}; only queued or running jobs can be cancelled`, {
        field: 'id',
      });
    if (this.current?.id === id) {
      this.current.abort.abort('cancel' satisfies StopReason);
      await this.loop;
      return (await this.opts.store.jobs.get(id))!;
    }
    const i = this.queue.indexOf(id);
    if (i >= 0) this.queue.splice(i, 1);
    return this.opts.store.jobs.update(id, { state: 'cancelled' });
  }

  /** For shutdown: the running job checkpoints and stays 'running', so the next start resumes it. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.current?.abort.abort('shutdown' satisfies StopReason);
    await this.loop;
  }

  /**
   * Deletes finished jobs last updated before `cutoff`, files and row: uploads and results hold customers' raw texts,
   * so they fall under the same retention period as stored texts. Returns how many went.
   */
  async purgeFinishedBefore(cutoff: Date): Promise<number> {
    let purged = 0;
    for (const state of ['succeeded', 'failed', 'cancelled'] as const) {
      for (const job of await this.opts.store.jobs.list({ state, limit: 1000 })) {
        if (new Date(job.updatedAt) >= cutoff) continue;
        fs.rmSync(jobDir(this.opts.jobsDir, job.id), { recursive: true, force: true });
        if (await this.opts.store.jobs.delete(job.id)) purged++;
      }
    }
    return purged;
  }

  async dispose(): Promise<void> {
    await this.stop();
  }

  private enqueue(id: string): void {
    if (this.stopping || this.queue.includes(id)) return;
    this.queue.push(id);
    this.loop ??= this.drain().finally(() => (this.loop = undefined));
  }

  private async drain(): Promise<void> {
    while (!this.stopping && this.queue.length) await this.runOne(this.queue.shift()!);
  }

  private async runOne(id: string): Promise<void> {
    const { store, logger } = this.opts;
    const rec = await store.jobs.get(id);
    if (!rec || (rec.state !== 'queued' && rec.state !== 'running')) return;
    const abort = new AbortController();
    this.current = { id, abort };
    const log = logger.child({ job: id });
    let lease: JobModelLease | undefined;
    try {
      const spec = parseJobSpec(id, rec.input);
      lease = this.opts.acquireModel();
      const model = lease.model;
      const prior = countsOf(rec);
      if (prior.modelVersion && prior.modelVersion !== model.version)
        log.warn({ was: prior.modelVersion, now: model.version }, 'job resumes on a different model');
      const files = jobFiles(this.opts.jobsDir, id, spec);
      fs.mkdirSync(files.dir, { recursive: true }); // server-side inputs have no upload to create it
      const reporter = new ProgressReporter({ store, jobId: id, base: { ...prior, modelVersion: model.version } });
      await store.jobs.update(id, { state: 'running', counts: reporter.counts });
      log.info({ resume: fs.existsSync(files.progress) }, 'batch job running');
      const counting = new AbortController();
      if (prior.rowsTotal === null)
        void this.countInBackground(spec, reporter, AbortSignal.any([abort.signal, counting.signal]));
      const summary = await scoreFile({
        input: spec.inputPath,
        output: files.results,
        textColumn: spec.textCol,
        idColumn: spec.idCol,
        timeColumn: spec.timeCol,
        fuseRisk: jobFuseRisk({ store, fusion: this.opts.fusion, now: this.now }, spec),
        engine: model.engine,
        calibrator: model.calibrator,
        resume: fs.existsSync(files.progress),
        chunkSize: this.opts.chunkSize,
        retry: this.opts.retry,
        signal: abort.signal,
        onProgress: (p) => reporter.onProgress(p),
        beforeCommit: spec.storeTexts
          ? (rows) =>
              storeJobRows(
                { store, jobId: id, spec, modelVersion: model.version, now: this.now, privacy: this.opts.privacy },
                rows,
              )
          : undefined,
      });
      counting.abort();
      const counts = await reporter.finish(summary);
      const reason = abort.signal.reason as StopReason | undefined;
      if (summary.aborted && reason === 'shutdown') log.info(counts, 'batch job checkpointed for shutdown');
      else await store.jobs.update(id, { state: summary.aborted ? 'cancelled' : 'succeeded', counts });
      log.info(
        counts,
        summary.aborted ? `batch job ${reason === 'shutdown' ? 'paused' : 'cancelled'}` : 'batch job succeeded',
      );
    } catch (e) {
      // A job that cannot go on fails alone with its reason; the runner and the server carry on.
      const message = isChurnscopeError(e) ? e.message : `internal error: ${(e as Error).message}`;
      log.error({ err: isChurnscopeError(e) ? undefined : e, reason: message }, 'batch job failed');
      await store.jobs.update(id, { state: 'failed', error: message });
    } finally {
      lease?.release();
      this.current = undefined;
    }
  }

  private async countInBackground(spec: JobSpec, reporter: ProgressReporter, signal: AbortSignal): Promise<void> {
    try {
      reporter.setTotal(await countRecords({ file: spec.inputPath, textColumn: spec.textCol, signal }));
    } catch {
      // An unreadable input fails the job itself, with its reason; the count has nothing to add.
    }
  }

  private readonly now = () => (this.opts.clock ?? (() => new Date()))();
}
