// Deletes texts older than the retention period: once when created (server start), then on an interval until disposed.
import { ConfigError } from '../errors';
import type { Logger } from '../logging';
import type { TextRepository } from '../store';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface RetentionJobOptions {
  store: { texts: Pick<TextRepository, 'deleteOlderThan'> };
  /** Texts written more than this many days ago are deleted. */
  retentionDays: number;
  /** Time between runs. */
  intervalMs: number;
  logger: Logger;
  clock?: () => Date;
  /** Other holders of customers' texts (e.g. batch-job files) purged with the same cutoff; each returns a count. */
  alsoPurge?: Record<string, (cutoff: Date) => Promise<number>>;
}

export interface RetentionRun {
  /** Texts written before this instant were deleted. */
  cutoff: string;
  deleted: number;
  /** Counts from alsoPurge, by name. */
  others?: Record<string, number>;
}

/** The cutoff for a retention period, as of `now`. */
export function retentionCutoff(now: Date, retentionDays: number): Date {
  return new Date(now.getTime() - retentionDays * DAY_MS);
}

export class RetentionJob {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<RetentionRun> | undefined;
  private disposed = false;

  private constructor(private readonly opts: RetentionJobOptions) {}

  /** Runs the first purge before returning (a failure is logged, not thrown: serving goes on and the next run retries). */
  static async create(opts: RetentionJobOptions): Promise<RetentionJob> {
    if (!Number.isInteger(opts.retentionDays) || opts.retentionDays < 1) {
      throw new ConfigError(`privacy.retentionDays must be a whole number of days ≥ 1, got ${opts.retentionDays}`, {
        field: 'privacy.retentionDays',
      });
    }
    if (!Number.isFinite(opts.intervalMs) || opts.intervalMs < 1000) {
      throw new ConfigError(`the retention interval must be at least one second, got ${opts.intervalMs} ms`, {
        field: 'privacy.retentionIntervalMinutes',
      });
    }
    const job = new RetentionJob(opts);
    await job.runLogged();
    job.timer = setInterval(() => void job.runLogged(), opts.intervalMs);
    // The timer alone must not keep a process alive that has nothing else to do.
    job.timer.unref();
    return job;
  }

  /** One purge now; a call while one runs joins it instead of starting a second. */
  runOnce(): Promise<RetentionRun> {
    this.running ??= this.purge().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** Stops the timer and waits for a purge in progress; idempotent. */
  async dispose(): Promise<void> {
    this.disposed = true;
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }

  private async purge(): Promise<RetentionRun> {
    const now = (this.opts.clock ?? (() => new Date()))();
    const cutoff = retentionCutoff(now, this.opts.retentionDays);
    const deleted = await this.opts.store.texts.deleteOlderThan(cutoff);
    const others: Record<string, number> = {};
    for (const [name, purge] of Object.entries(this.opts.alsoPurge ?? {})) others[name] = await purge(cutoff);
    const run = { cutoff: cutoff.toISOString(), deleted, ...(Object.keys(others).length ? { others } : {}) };
    this.opts.logger.info({ ...run, retentionDays: this.opts.retentionDays }, 'retention: old texts deleted');
    return run;
  }

  private async runLogged(): Promise<void> {
    if (this.disposed) return;
    try {
      await this.runOnce();
    } catch (err) {
      this.opts.logger.error({ err }, 'retention run failed; the next run retries');
    }
  }
}
