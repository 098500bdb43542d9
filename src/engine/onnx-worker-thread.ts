// One worker thread running onnx-worker.mjs: numbered requests, their replies, and rejection of all of them if it dies.
import { Worker } from 'node:worker_threads';
import { InferenceError, ServiceUnavailableError } from '../errors';
import type { WorkerReply, WorkerRequest } from './worker-protocol';

const ENTRY = new URL('./onnx-worker.mjs', import.meta.url);

type Body<T> = T extends unknown ? Omit<T, 'id'> : never;

interface Pending {
  resolve: (reply: WorkerReply) => void;
  reject: (e: unknown) => void;
  sentAt: number;
}

export interface OnnxWorkerThreadOptions {
  /** `onExit` hears every exit, expected (terminate) or not; `error` is the uncaught exception that caused it, if any. */
  onExit: (code: number, error: Error | undefined) => void;
  /** The oldest unanswered request may be this old before the thread is taken as hung and terminated. */
  deadlineMs?: number;
}

export class OnnxWorkerThread {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private exitCode: number | undefined;
  private lastError: Error | undefined;
  private hung = false;
  private readonly watchdog: NodeJS.Timeout | undefined;

  constructor(opts: OnnxWorkerThreadOptions) {
    const { onExit, deadlineMs } = opts;
    // No execArgv: the entry is plain JS, so the worker needs neither tsx nor vitest's loaders (and starts faster).
    this.worker = new Worker(ENTRY, { execArgv: [] });
    this.worker.unref();
    this.worker.on('message', (reply: WorkerReply) => this.settle(reply));
    this.worker.on('error', (e) => (this.lastError = e));
    this.worker.on('exit', (code) => {
      this.exitCode = code;
      if (this.watchdog) clearInterval(this.watchdog);
      const cause = this.hung ? new Error(`no answer for ${deadlineMs} ms (hung); terminated`) : this.lastError;
      const message = cause
        ? `the inference worker crashed (${cause.message}); it is being restarted, retry shortly`
        : `the inference worker exited (code ${code}); it is being restarted, retry shortly`;
      for (const p of this.pending.values()) p.reject(new ServiceUnavailableError(message, { cause }));
      this.pending.clear();
      onExit(code, cause);
    });
    if (deadlineMs !== undefined) {
      // Checked a few times per deadline; a worker busy in ORT cannot answer, so only the main thread can notice.
      this.watchdog = setInterval(() => this.checkDeadline(deadlineMs), Math.max(50, deadlineMs / 4));
      this.watchdog.unref();
    }
  }

  /** Terminates the thread when its oldest request has waited past the deadline; the exit handler rejects them all. */
  private checkDeadline(deadlineMs: number): void {
    if (!this.alive || this.hung || this.pending.size === 0) return;
    const oldest = Math.min(...[...this.pending.values()].map((p) => p.sentAt));
    if (performance.now() - oldest < deadlineMs) return;
    this.hung = true;
    void this.worker.terminate();
  }

  /** Whether the watchdog terminated this thread for not answering. */
  get wasHung(): boolean {
    return this.hung;
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
      // Only model and side-graph runs are held to the deadline: opening a large model may legitimately take longer.
      const timed = body.type === 'run' || body.type === 'run-graph';
      this.pending.set(id, { resolve, reject, sentAt: timed ? performance.now() : Infinity });
      // Only work in flight keeps the process alive; an idle worker must not stop a CLI from exiting.
      if (this.pending.size === 1) this.worker.ref();
      this.worker.postMessage({ ...body, id }, transfer);
    });
  }

  async terminate(): Promise<void> {
    if (this.watchdog) clearInterval(this.watchdog);
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
