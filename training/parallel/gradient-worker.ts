// One gradient worker thread seen from the training thread: numbered requests, their replies, and failure if it dies.
import { Worker } from 'node:worker_threads';
import { TrainingFailedError } from '../../src/errors';
import type { WorkerReply, WorkerRequest } from './protocol';

const ENTRY = new URL('./worker-entry.mjs', import.meta.url);

type Body<T> = T extends unknown ? Omit<T, 'id'> : never;

export class GradientWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (r: WorkerReply) => void; reject: (e: unknown) => void }>();
  private nextId = 1;
  private failure: Error | undefined;

  constructor(readonly index: number) {
    // No execArgv: the entry is plain JS and loads its TypeScript through tsx's API, not through inherited loaders.
    this.worker = new Worker(ENTRY, { execArgv: [] });
    this.worker.on('message', (r: WorkerReply) => this.settle(r));
    this.worker.on('error', (e) => (this.failure = e));
    this.worker.on('exit', (code) => {
      const why = this.failure ? this.failure.message : `exit code ${code}`;
      this.failure ??= new Error(`exited with code ${code}`);
      const err = new TrainingFailedError(`gradient worker ${this.index} stopped (${why}); training cannot go on`, {
        cause: this.failure,
      });
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    });
  }

  request(body: Body<WorkerRequest>): Promise<WorkerReply> {
    if (this.failure)
      return Promise.reject(new TrainingFailedError(`gradient worker ${this.index} is gone (${this.failure.message})`));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...body, id });
    });
  }

  private settle(r: WorkerReply): void {
    const p = this.pending.get(r.id);
    if (!p) return;
    this.pending.delete(r.id);
    if (r.type === 'error') p.reject(new TrainingFailedError(`gradient worker ${this.index} failed: ${r.message}`));
    else p.resolve(r);
  }

  /** Test hook: ends the thread as a crash would. */
  async crashForTest(): Promise<void> {
    this.failure = new Error('crashed by a test');
    await this.worker.terminate();
  }

  async dispose(): Promise<void> {
    await this.worker.terminate();
  }
}
