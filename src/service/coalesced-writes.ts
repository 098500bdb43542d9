// Runs the store writes of requests that reach it in the same event-loop turn as one transaction: one commit, not one each.
import type { Store, StoreRepositories } from '../store';

interface Job {
  fn: (tx: StoreRepositories) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

export interface CoalescedWritesOptions {
  store: Pick<Store, 'transaction'>;
}

/**
 * The requests of one model batch finish together and each would open, write and commit a transaction of its own;
 * behind SQLite's single writer those commits run one after the other. Here they share one: every write queued in
 * the same turn runs, in order, inside one transaction, and each caller's promise settles only after that commit, so
 * a response still goes out only once its rows are durable. When any of them fails, the shared transaction is rolled
 * back and each runs again in a transaction of its own: every caller gets exactly the outcome it would have had
 * alone, and one bad write never takes the others with it.
 */
export class CoalescedWrites {
  private queued: Job[] = [];
  private flushing = false;

  constructor(private readonly opts: CoalescedWritesOptions) {}

  /** Resolves with fn's result once the transaction it ran in has committed. */
  run<T>(fn: (tx: StoreRepositories) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queued.push({ fn, resolve: resolve as (value: unknown) => void, reject });
      if (this.flushing) return;
      this.flushing = true;
      // setImmediate, not a microtask: the other requests of the same batch are still a few awaits away.
      setImmediate(() => void this.flush());
    });
  }

  private async flush(): Promise<void> {
    const jobs = this.queued;
    this.queued = [];
    this.flushing = false;
    if (jobs.length === 1) return this.alone(jobs[0]);
    let results: unknown[];
    try {
      results = await this.opts.store.transaction(async (tx) => {
        const out: unknown[] = [];
        for (const job of jobs) out.push(await job.fn(tx));
        return out;
      });
    } catch {
      // Nothing of the shared transaction was kept: each job gets its own, as if it had never been grouped.
      await Promise.all(jobs.map((job) => this.alone(job)));
      return;
    }
    jobs.forEach((job, i) => job.resolve(results[i]));
  }

  private async alone(job: Job): Promise<void> {
    try {
      job.resolve(await this.opts.store.transaction((tx) => job.fn(tx)));
    } catch (e) {
      job.reject(e);
    }
  }
}
