// One worker thread running onnx-worker.mjs: numbered requests, their replies, and rejection of all of them if it dies.
import { Worker } from 'node:worker_threads';
import { InferenceError, ServiceUnavailableError } from '../errors';
import type { WorkerReply, WorkerRequest } from './worker-protocol';

const ENTRY = new URL('./onnx-worker.mjs', import.meta.url);

type Body<T> = T extends unknown ? Omit<T, 'id'> : never;

interface Pending {
  resolve: (reply: WorkerReply) => void;
  reject: (e: unknown) => void;
}

export class OnnxWorkerThread {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private exitCode: number | undefined;
  private lastError: Error | undefined;

  /** `onExit` hears every exit, expected (terminate) or not; `error` is the uncaught exception that caused it, if any. */
  constructor(onExit: (code: number, error: Error | undefined) => void) {
    // No execArgv: the entry is plain JS, so the worker needs neither tsx nor vitest's loaders (and starts faster).
    this.worker = new Worker(ENTRY, { execArgv: [] });
    this.worker.unref();
    this.worker.on('message', (reply: WorkerReply) => this.settle(reply));
    this.worker.on('error', (e) => (this.lastError = e));
    this.worker.on('exit', (code) => {
      this.exitCode = code;
      const cause = this.lastError;
      const message = cause
        ? `the inference worker crashed (${cause.message}); it is being restarted, retry shortly`
        : `the inference worker exited (code ${code}); it is being restarted, retry shortly`;
      for (const p of this.pending.values()) p.reject(new ServiceUnavailableError(message, { cause }));
      this.pending.clear();
      onExit(code, cause);
    });
  }

  get alive(): boolean {
    return this.exitCode === undefined;
  }

  /** Requests sent and not yet answered: the load the pool balances on. */
  get inFlight(): number {
    return this.pending.size;
  }

  /** Sends one request; `transfer` buffers move to the worker (unusable here afterwards). */
  request(body: Body<WorkerRequest>, transfer: ArrayBuffer[] = []): Promise<WorkerReply> {
    if (!this.alive) {
      return Promise.reject(
        new ServiceUnavailableError(`the inference worker has exited (code ${this.exitCode}); retry shortly`),
      );
    }
    const id = this.nextId++;
    return new Promise<WorkerReply>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      // Only work in flight keeps the process alive; an idle worker must not stop a CLI from exiting.
      if (this.pending.size === 1) this.worker.ref();
      this.worker.postMessage({ ...body, id }, transfer);
    });
  }

  async terminate(): Promise<void> {
    if (this.alive) await this.worker.terminate();
  }

  private settle(reply: WorkerReply): void {
    const p = this.pending.get(reply.id);
    if (!p) return;
    this.pending.delete(reply.id);
    if (this.pending.size === 0) this.worker.unref();
    if (reply.type === 'failed') p.reject(new InferenceError(reply.message));
    else p.resolve(reply);
  }
}
