// Every worker looks, now and then, for queued jobs whose upload a dead replica left half-stored, and fails them with the reason.
import type { Logger } from '../logging';
import type { QueuedJobs } from './queued-jobs';

export interface UploadSweeperOptions {
  jobs: Pick<QueuedJobs, 'failInterrupted'>;
  logger: Logger;
  /** Default one minute. */
  everyMs?: number;
  /** An upload untouched this long is dead (live ones touch their row every 5 s). Default two minutes. */
  staleMs?: number;
}

export class UploadSweeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();

  private constructor(private readonly o: UploadSweeperOptions) {}

  static async create(opts: UploadSweeperOptions): Promise<UploadSweeper> {
    const sweeper = new UploadSweeper(opts);
    await sweeper.sweep();
    sweeper.timer = setInterval(() => void sweeper.sweep(), opts.everyMs ?? 60_000);
    sweeper.timer.unref();
    return sweeper;
  }

  async dispose(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  private sweep(): Promise<unknown> {
    this.running = this.o.jobs
      .failInterrupted({ staleMs: this.o.staleMs ?? 120_000 })
      .catch((err: unknown) => this.o.logger.warn({ err }, 'cannot sweep interrupted uploads; trying again later'));
    return this.running;
  }
}
