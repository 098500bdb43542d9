// The TextModel whose ONNX sessions live in worker threads, so inference never blocks the event loop; restarts crashed workers.
import type { ExecutionProvider } from '../config';
import { ModelLoadError, ServiceUnavailableError } from '../errors';
import type { Logger } from '../logging';
import { OnnxWorkerThread } from './onnx-worker-thread';
import { WorkerSideGraphs } from './worker-side-graphs';
import { emptyOutputs, packBatch } from './pack-batch';
import {
  TOKEN_STATES_OUTPUT,
  checkSignature,
  openWithFallback,
  runFetches,
  sessionSettings,
  type FallbackOptions,
} from './session-setup';
import type { ModelOutputs, ModelRunOptions, SideGraph, SideGraphSpec, TextModel } from './text-model';
import type { CrashKind, WorkerReply } from './worker-protocol';

export interface WorkerTextModelOptions extends FallbackOptions {
  /** Worker threads, each with its own session (at least 1). */
  workers: number;
  /** Intra-op threads per session; 0 lets ORT decide. */
  threads: number;
  spinning?: boolean;
  /** See engine.workerDeadlineMs: a worker silent this long on a call is terminated and restarted. */
  deadlineMs?: number;
  logger: Logger;
}

/** One worker position in the pool: its live thread, or the restart under way. */
interface Slot {
  index: number;
  thread?: OnnxWorkerThread;
  starting?: Promise<OnnxWorkerThread>;
  lastCrashAt?: number;
}

/** A worker that crashes again within this long of its last crash waits RESTART_BACKOFF_MS before the next start. */
const CRASH_LOOP_MS = 2000;
const RESTART_BACKOFF_MS = 1000;

export class WorkerTextModel implements TextModel {
  private readonly slots: Slot[];
  private disposed = false;
  private restartCount = 0;
  private readonly sideGraphs = new WorkerSideGraphs();

  private constructor(
    private readonly opts: WorkerTextModelOptions,
    readonly provider: ExecutionProvider,
    readonly modelPath: string,
    readonly embeddingDim: number,
    readonly supportsTokenStates: boolean,
    first: OnnxWorkerThread,
    firstSlot: Slot,
  ) {
    firstSlot.thread = first;
    this.slots = [firstSlot];
    for (let i = 1; i < opts.workers; i++) this.slots.push({ index: i });
  }

  /** Opens the first worker with provider fallback, then the others on the provider it settled on. */
  static async create(opts: WorkerTextModelOptions): Promise<WorkerTextModel> {
    let model: WorkerTextModel | undefined;
    const slot: Slot = { index: 0 };
    const thread: OnnxWorkerThread = new OnnxWorkerThread({
      onExit: (code, err) => model?.onExit(slot, thread, code, err),
      deadlineMs: opts.deadlineMs,
    });
    try {
      const opened = await openWithFallback(opts, async (file, providers) => {
        const reply = await thread.request({
          type: 'open',
          modelPath: file,
          settings: sessionSettings(opts, providers),
        });
        return expect(reply, 'opened').signature;
      });
      const dim = checkSignature(opened.session, opened.modelPath);
      const tokenStates = opened.session.outputNames.includes(TOKEN_STATES_OUTPUT);
      model = new WorkerTextModel(opts, opened.provider, opened.modelPath, dim, tokenStates, thread, slot);
      await Promise.all(model.slots.slice(1).map((s) => model!.acquire(s)));
      return model;
    } catch (e) {
      await (model ? model.dispose() : thread.terminate());
      throw e;
    }
  }

  /** Workers restarted after a crash since create, for logs and tests. */
  get restarts(): number {
    return this.restartCount;
  }

  get workers(): number {
    return this.slots.length;
  }

  /** One call per worker at once: the micro-batcher keeps every worker busy. */
  get parallelism(): number {
    return this.slots.length;
  }

  async run(sequences: readonly Int32Array[], opts: ModelRunOptions = {}): Promise<ModelOutputs> {
    if (this.disposed) throw new ServiceUnavailableError('the model was disposed; retry on the active model');
    if (sequences.length === 0) return emptyOutputs(this.embeddingDim);
    // Packed here so bad input fails before anything is sent, and the buffers can be handed over without a copy.
    const { batch, seq, ids, mask } = packBatch(sequences);
    const thread = await this.acquire(this.leastBusy());
    const withStates = opts.tokenStates === true && this.supportsTokenStates;
    const fetches = runFetches(withStates);
    const reply = await thread.request({ type: 'run', batch, seq, ids: ids.buffer, mask: mask.buffer, fetches }, [
      ids.buffer,
      mask.buffer,
    ]);
    const out = expect(reply, 'ran');
    return {
      embedding: new Float32Array(out.embedding),
      embeddingDim: this.embeddingDim,
      logits: new Float32Array(out.logits),
      probability: new Float32Array(out.probability),
      ...(withStates && out.tokenStates
        ? { tokenStates: { data: new Float32Array(out.tokenStates.data), sequence: seq, dim: out.tokenStates.dim } }
        : {}),
    };
  }

  async openSideGraph(spec: SideGraphSpec): Promise<SideGraph> {
    // Opened on the first worker now, so a graph ORT refuses fails the model open, not a request.
    const id = await this.sideGraphs.open(spec, await this.acquire(this.slots[0]));
    return {
      run: async (input, dims) => {
        if (this.disposed) throw new ServiceUnavailableError('the model was disposed; retry on the active model');
        return this.sideGraphs.run(id, await this.acquire(this.leastBusy()), input, dims);
      },
    };
  }

  /**
   * Test hook: makes worker `index` die (process.exit or an uncaught throw), as a native crash would: now, or when it
   * receives its next batch.
   */
  async simulateCrash(how: CrashKind, opts: { when?: 'now' | 'next-run'; index?: number } = {}): Promise<void> {
    const thread = await this.acquire(this.slots[opts.index ?? 0]);
    void thread.request({ type: 'crash', how, when: opts.when ?? 'now' }).catch(() => undefined);
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await Promise.all(
      this.slots.map(async (slot) => {
        const thread = slot.thread ?? (await slot.starting?.catch(() => undefined));
        if (!thread) return;
        // Released cleanly when the worker answers in time; terminated either way.
        const released = thread.request({ type: 'dispose' }).catch(() => undefined);
        await Promise.race([released, new Promise((r) => setTimeout(r, 2000).unref())]);
        await thread.terminate();
      }),
    );
  }

  private leastBusy(): Slot {
    const load = (s: Slot) => (s.thread?.alive ? s.thread.inFlight : Number.MAX_SAFE_INTEGER);
    return this.slots.reduce((best, s) => (load(s) < load(best) ? s : best));
  }

  /** The slot's live thread, starting one (after a crash) when there is none. */
  private acquire(slot: Slot): Promise<OnnxWorkerThread> {
    if (slot.thread?.alive) return Promise.resolve(slot.thread);
    if (this.disposed) return Promise.reject(new ServiceUnavailableError('the model was disposed'));
    slot.starting ??= this.start(slot).then(
      (t) => {
        slot.thread = t;
        slot.starting = undefined;
        return t;
      },
      (e: unknown) => {
        slot.starting = undefined;
        throw new ServiceUnavailableError(`the inference worker could not be started: ${(e as Error).message}`, {
          cause: e,
        });
      },
    );
    return slot.starting;
  }

  private async start(slot: Slot): Promise<OnnxWorkerThread> {
    if (slot.lastCrashAt !== undefined && performance.now() - slot.lastCrashAt < CRASH_LOOP_MS) {
      await new Promise((r) => setTimeout(r, RESTART_BACKOFF_MS));
    }
    const thread: OnnxWorkerThread = new OnnxWorkerThread({
      onExit: (code, err) => this.onExit(slot, thread, code, err),
      deadlineMs: this.opts.deadlineMs,
    });
    try {
      // The provider and file the first worker settled on: every worker runs the same model the same way.
      const providers = this.opts.providers.slice(this.opts.providers.indexOf(this.provider));
      const reply = await thread.request({
        type: 'open',
        modelPath: this.modelPath,
        settings: sessionSettings(this.opts, providers),
      });
      checkSignature(expect(reply, 'opened').signature, this.modelPath);
    } catch (e) {
      await thread.terminate();
      throw e;
    }
    if (this.disposed) {
      await thread.terminate();
      throw new ServiceUnavailableError('the model was disposed');
    }
    return thread;
  }

  private onExit(slot: Slot, thread: OnnxWorkerThread, code: number, err: Error | undefined): void {
    // A thread that died while starting is the start's failure, handled there; only a serving one is restarted here.
    if (this.disposed || slot.thread !== thread) return;
    slot.thread = undefined;
    slot.lastCrashAt = performance.now();
    this.restartCount++;
    this.opts.logger.error(
      { worker: slot.index, code, err, restarts: this.restartCount },
      `inference worker ${slot.index} died (${err?.message ?? `exit code ${code}`}); restarting it`,
    );
    // Restarted now rather than on the next request, so capacity comes back while the service is idle too.
    this.acquire(slot).then(
      () => this.opts.logger.info({ worker: slot.index }, `inference worker ${slot.index} restarted`),
      (e: unknown) => this.opts.logger.error({ worker: slot.index, err: e }, 'inference worker restart failed'),
    );
  }
}

function expect<T extends WorkerReply['type']>(reply: WorkerReply, type: T): Extract<WorkerReply, { type: T }> {
  if (reply.type !== type) throw new ModelLoadError(`inference worker answered ${reply.type} where ${type} was due`);
  return reply as Extract<WorkerReply, { type: T }>;
}
