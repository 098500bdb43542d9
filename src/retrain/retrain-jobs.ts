// Retraining as a background job of the running server: one at a time, its phase and report readable while it runs.
import { randomUUID } from 'node:crypto';
import { ConflictError, isChurnscopeError } from '../errors';
import type { Logger } from '../logging';
import type { RetrainReport } from './run-retrain';

export type RetrainPhase = 'queued' | 'loading' | 'training' | 'evaluating' | 'promoting' | 'done';

export interface RetrainJobStatus {
  id: string;
  state: 'running' | 'succeeded' | 'failed';
  phase: RetrainPhase;
  request: unknown;
  startedAt: string;
  finishedAt: string | null;
  report: RetrainReport | null;
  /** One line, as the CLI prints it; set when state is failed. */
  error: string | null;
}

export interface RetrainJobsOptions<Req> {
  /** Runs one retrain; calls onPhase as it goes. */
  run: (request: Req, onPhase: (phase: RetrainPhase) => void) => Promise<RetrainReport>;
  logger: Logger;
  clock?: () => Date;
}

/**
 * Kept in memory (a restart forgets finished jobs and abandons a running one, whose --out folder then stays behind);
 * the store's jobs table is left to batch scoring, whose runner would try to resume any unfinished row it finds.
 */
export class RetrainJobs<Req> {
  private readonly jobs = new Map<string, RetrainJobStatus>();
  private running: Promise<void> | undefined;

  private constructor(private readonly opts: RetrainJobsOptions<Req>) {}

  static create<Req>(opts: RetrainJobsOptions<Req>): Promise<RetrainJobs<Req>> {
    return Promise.resolve(new RetrainJobs(opts));
  }

  /** ConflictError while another retrain runs: two would train on the same CPU and race to promote. */
  start(request: Req): RetrainJobStatus {
    const busy = [...this.jobs.values()].find((j) => j.state === 'running');
    if (busy) throw new ConflictError(`retrain job ${busy.id} is still running; wait for it to finish`);
    const now = () => (this.opts.clock ?? (() => new Date()))().toISOString();
    const job: RetrainJobStatus = {
      id: randomUUID(),
      state: 'running',
      phase: 'queued',
      request,
      startedAt: now(),
      finishedAt: null,
      report: null,
      error: null,
    };
    this.jobs.set(job.id, job);
    this.running = this.opts
      .run(request, (phase) => (job.phase = phase))
      .then((report) => Object.assign(job, { state: 'succeeded', phase: 'done', report }))
      .catch((e: unknown) => {
        // User-level problems (too few outcomes …) are the job's answer; anything else is also logged.
        if (!isChurnscopeError(e)) this.opts.logger.error({ err: e, job: job.id }, 'retrain job failed');
        Object.assign(job, { state: 'failed', error: (e as Error).message });
      })
      .then(() => void (job.finishedAt = now()));
    return { ...job };
  }

  get(id: string): RetrainJobStatus | null {
    const job = this.jobs.get(id);
    return job ? { ...job } : null;
  }

  /** Waits for a running job to end. */
  async dispose(): Promise<void> {
    await this.running;
  }
}
