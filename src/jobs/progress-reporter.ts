// Mirrors a running job's progress into its row at most twice a second: the progress file stays the authority, the row is what clients poll.
import type { Store } from '../store';
import type { JobCounts } from './job-status';
import type { ScoreFileSummary, ScoreProgress } from './score-file';

const MIN_INTERVAL_MS = 500;

export class ProgressReporter {
  private current: JobCounts;
  private readonly started = Date.now();
  private lastWrite = 0;
  private inFlight: Promise<unknown> | undefined;
  private finished = false;

  constructor(private readonly opts: { store: Store; jobId: string; base: JobCounts }) {
    this.current = { ...opts.base, rowsPerSecond: 0 };
  }

  get counts(): JobCounts {
    return this.current;
  }

  onProgress(p: ScoreProgress): void {
    const seconds = (Date.now() - this.started) / 1000;
    this.current = {
      ...this.current,
      rowsDone: p.total.records,
      scored: p.total.written,
      errors: p.total.errors,
      rowsPerSecond: seconds > 0 ? round(p.scored / seconds) : 0,
    };
    this.flush(false);
  }

  setTotal(rows: number | null): void {
    if (rows === null || this.finished) return;
    this.current = { ...this.current, rowsTotal: rows };
    this.flush(true);
  }

  /** Stops the periodic writes and returns the final counts for the caller's closing update. */
  async finish(summary: ScoreFileSummary): Promise<JobCounts> {
    this.finished = true;
    await this.inFlight;
    this.current = { ...this.current, rowsPerSecond: round(summary.rowsPerSecond) };
    if (!summary.aborted) this.current.rowsTotal = this.current.rowsDone;
    return this.current;
  }

  private flush(force: boolean): void {
    if (this.finished || this.inFlight || (!force && Date.now() - this.lastWrite < MIN_INTERVAL_MS)) return;
    this.lastWrite = Date.now();
    this.inFlight = this.opts.store.jobs
      .update(this.opts.jobId, { counts: this.current })
      .catch(() => undefined) // a missed progress write only delays what pollers see
      .finally(() => (this.inFlight = undefined));
  }
}

const round = (x: number) => Math.round(x * 10) / 10;
