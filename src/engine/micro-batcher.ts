// Gathers concurrent requests into model batches (bounded size, bounded wait), grouping similar lengths to cut padding.
import { OverloadedError } from '../errors';
import { selectBatch } from './batch-policy';

export interface MicroBatcherOptions<I, O> {
  maxBatch: number;
  /**
   * Most items in a batch of bulk work (default maxBatch). An online request arriving while a bulk batch runs waits
   * for it, so bulk batches are kept small; on CPU that costs little throughput (cost is per token, not per call).
   */
  maxBulkBatch?: number;
  maxWaitMs: number;
  /** Items allowed to wait at once; beyond it submit() rejects with OverloadedError. */
  maxQueue: number;
  /**
   * Most padding a batch may carry, as a fraction of its real tokens. On CPU the model costs the same per token at
   * any batch size, so padding is pure loss: a batch stops growing before it would exceed this.
   */
  maxPaddingFraction?: number;
  /** Batches run at once (default 1): one per inference worker, each on its own session. */
  concurrency?: number;
  /** Most padded tokens (longest × items) in one batch; absent: no limit. Set per provider by batch-policy.ts. */
  maxBatchTokens?: number;
  /** The padding-relevant size of an item (its token count). */
  lengthOf: (item: I) => number;
  /** Runs one batch; must return one output per input, in order. */
  run: (items: I[]) => Promise<O[]>;
  /** Observes every batch once it ran (size, padded and real tokens, model time), e.g. for metrics. */
  onBatch?: (stats: BatchStats) => void;
  /** Milliseconds clock (performance.now by default); injected by tests that price batches. */
  now?: () => number;
}

export interface BatchStats {
  size: number;
  paddedTokens: number;
  realTokens: number;
  /** Milliseconds the batch took on the model (on the batcher's clock). */
  ms: number;
}

export interface SubmitOptions {
  /** Bulk work (batch jobs) runs only when no interactive request waits. */
  bulk?: boolean;
  /**
   * When the items' request should be done, on the batcher's clock (performance.now by default). An item whose batch
   * would start too late for that (its batch and the request's work outside the model, priced at the mean batch time
   * so far: late()) is dropped with an OverloadedError instead of run: its caller is answered 503 now rather than
   * late, and the model spends no time on it. Absent: none.
   */
  deadline?: number;
}

interface Entry<I, O> {
  item: I;
  length: number;
  /** Bulk work (batch jobs) runs only when no interactive request waits. */
  bulk: boolean;
  enqueuedAt: number;
  deadline: number;
  resolve: (o: O) => void;
  reject: (e: unknown) => void;
}

/**
 * How far back in the queue a batch looks for neighbours of its oldest entry, in batches (maxBatch entries each). With
 * the whole queue to choose from, entries of common lengths rode along with every seed while entries of rarer lengths
 * waited to become the oldest: under 2x overload accepted requests waited anywhere from 0 to the whole bound (p50
 * ~0.5 s, p90 ~0.9 s), and a quarter of the admitted ones were dropped at their deadline after ~0.9 s (npm run
 * bench:overload -- --dump). Two batches' worth keeps most of the padding benefit at low load, where the queue is short.
 */
const NEIGHBOUR_WINDOW_BATCHES = 2;

/** Mean batches of time a deadline reserves for a request's work outside the model (see late()). */
const OUTSIDE_WORK_BATCHES = 1;

export class MicroBatcher<I, O> {
  private pending: Entry<I, O>[] = [];
  /** Batches running now (up to `concurrency`). */
  private running = 0;
  /** Cancels the scheduled flush, while one is scheduled. */
  private cancelFlush: (() => void) | undefined;
  private closed = false;
  /** Tokens of the interactive entries waiting, and padded tokens of the batch running: the backlog estimatedWaitMs prices. */
  private pendingTokens = 0;
  private runningTokens = 0;
  /**
   * Model milliseconds per padded token: moving averages of batch time and of padded tokens, divided. The ratio of the
   * averages, not the average of per-batch ratios: a one-text batch costs a fixed hand-off on top of its tokens, and
   * averaging ratios let those small batches price a loaded queue at 5–20× its real cost (the default request, whose
   * worker also runs the drivers' side graph between batches, was refused at 64 connections with p99 under 0.5 s).
   */
  private msPerToken: number | undefined;
  private avgBatchMs = 0;
  private avgBatchTokens = 0;
  /** Moving average of model milliseconds per batch: how long before its deadline an item must start. */
  private msPerBatch = 0;
  private batches = 0;

  private readonly now: () => number;

  constructor(private readonly opts: MicroBatcherOptions<I, O>) {
    this.now = opts.now ?? (() => performance.now());
  }

  get queueDepth(): number {
    return this.pending.length;
  }

  /**
   * How long an interactive request submitted now would wait before its batch starts: the interactive backlog's tokens
   * plus the running batch, priced at the observed cost per token (0 until a batch has run). Bulk work does not count:
   * it yields to interactive requests. An estimate for admission control, not a promise.
   */
  get estimatedWaitMs(): number {
    if (this.msPerToken === undefined) return 0;
    const padding = 1 + (this.opts.maxPaddingFraction ?? 0);
    // Parallel runners (one per inference worker) work through the backlog together.
    return ((this.pendingTokens * padding + this.runningTokens) * this.msPerToken) / this.concurrency;
  }

  /**
   * Each item resolves with its own output, whatever batch it ends up in. Bulk items (batch jobs) are batched only
   * while no interactive item waits, so a running job delays an online request by one batch at most.
   */
  submit(items: readonly I[], opts: SubmitOptions = {}): Promise<O>[] {
    const bulk = opts.bulk ?? false;
    if (this.closed) throw new OverloadedError('the engine is shutting down; retry on another instance');
    if (this.pending.length + items.length > this.opts.maxQueue) {
      throw new OverloadedError(
        `engine queue is full (${this.pending.length} waiting, limit ${this.opts.maxQueue}); retry later`,
      );
    }
    const now = this.now();
    const deadline = opts.deadline ?? Infinity;
    if (this.late(deadline, now)) throw this.expired('reached the model queue too late to be scored by its deadline');
    const promises = items.map(
      (item) =>
        new Promise<O>((resolve, reject) => {
          const length = this.opts.lengthOf(item);
          if (!bulk) this.pendingTokens += length;
          this.pending.push({ item, length, bulk, enqueuedAt: now, deadline, resolve, reject });
        }),
    );
    this.schedule();
    return promises;
  }

  /** Refuses new work; waiting items still run. */
  close(): void {
    this.closed = true;
  }

  /** Resolves once nothing waits and no batch runs. */
  async drain(): Promise<void> {
    while (this.pending.length > 0 || this.running > 0) await new Promise((r) => setTimeout(r, 2));
  }

  private get concurrency(): number {
    return Math.max(1, this.opts.concurrency ?? 1);
  }

  private schedule(): void {
    if (this.running >= this.concurrency || this.pending.length === 0) return;
    if (this.pending.length >= this.opts.maxBatch) {
      this.flush();
      return;
    }
    if (this.cancelFlush) return;
    const delay = this.opts.maxWaitMs - (this.now() - this.pending[0].enqueuedAt);
    // setTimeout turns 0 into 1 ms, which a lone request (the CPU policy's maxWaitMs is 0) would wait for nothing;
    // setImmediate still lets the windows submitted in this tick (one request's texts) join the batch.
    if (delay > 0) {
      const timer = setTimeout(() => this.flush(), delay);
      this.cancelFlush = () => clearTimeout(timer);
    } else {
      const immediate = setImmediate(() => this.flush());
      this.cancelFlush = () => clearImmediate(immediate);
    }
  }

  private flush(): void {
    this.cancelFlush?.();
    this.cancelFlush = undefined;
    if (this.running >= this.concurrency) return;
    this.dropExpired();
    if (this.pending.length === 0) return;
    const batch = this.takeBatch();
    this.pendingTokens -= batch.reduce((s, e) => s + (e.bulk ? 0 : e.length), 0);
    this.running++;
    void this.runBatch(batch).finally(() => {
      this.running--;
      this.schedule();
    });
    // Another runner may be free (several workers): what still waits is scheduled for it too.
    this.schedule();
  }

  /**
   * Interactive entries first when any wait, else bulk ones. Within that pool the oldest entry always goes (no
   * starvation); the rest are the entries among the oldest NEIGHBOUR_WINDOW_BATCHES × maxBatch whose lengths sit
   * closest to it, within the batch policy's padding and token limits (batch-policy.ts), so a batch of short tickets is
   * not padded to the length of one long review.
   */
  private takeBatch(): Entry<I, O>[] {
    const interactive = this.pending.filter((e) => !e.bulk);
    const pool = interactive.length > 0 ? interactive : this.pending;
    const maxBatch =
      interactive.length > 0
        ? this.opts.maxBatch
        : Math.min(this.opts.maxBatch, this.opts.maxBulkBatch ?? this.opts.maxBatch);
    // Neighbours come from the oldest few batches' worth of entries only, so service stays close to first come, first
    // served: an entry of a common length cannot overtake hundreds of older ones of rarer lengths.
    const byLength = pool.slice(0, NEIGHBOUR_WINDOW_BATCHES * maxBatch).sort((a, b) => a.length - b.length);
    const { lo, hi } = selectBatch(
      byLength.map((e) => e.length),
      byLength.indexOf(pool[0]),
      {
        maxBatch,
        maxPaddingFraction: this.opts.maxPaddingFraction,
        maxBatchTokens: this.opts.maxBatchTokens ?? Infinity,
      },
    );
    const batch = byLength.slice(lo, hi);
    const chosen = new Set(batch);
    this.pending = this.pending.filter((e) => !chosen.has(e));
    return batch;
  }

  /**
   * A batch starting now, plus the work its requests still have outside the model, would end after the deadline
   * (always false without one). That outside work — read before admission, stored and answered after the batch, all
   * on one busy event loop — is priced at one more mean batch: bench:overload's accepted p99 ran 1.1 mean batches
   * past maxQueueWaitMs when only the batch itself was reserved.
   */
  private late(deadline: number, now: number): boolean {
    return now + (1 + OUTSIDE_WORK_BATCHES) * this.msPerBatch > deadline;
  }

  /**
   * A runner is free: entries that can no longer be done by their deadline are refused now instead of run. A
   * request's windows share one deadline, so they go together and none is left to run for nobody.
   */
  private dropExpired(): void {
    const now = this.now();
    if (!this.pending.some((e) => this.late(e.deadline, now))) return;
    const kept: Entry<I, O>[] = [];
    for (const e of this.pending) {
      if (!this.late(e.deadline, now)) kept.push(e);
      else {
        if (!e.bulk) this.pendingTokens -= e.length;
        e.reject(this.expired(`waited ${Math.round(now - e.enqueuedAt)} ms for the model and would miss its deadline`));
      }
    }
    this.pending = kept;
  }

  private expired(what: string): OverloadedError {
    return new OverloadedError(`the request ${what} (server.maxQueueWaitMs); retry later`, {
      retryAfterSeconds: this.estimatedWaitMs / 1000,
    });
  }

  private async runBatch(batch: Entry<I, O>[]): Promise<void> {
    const longest = batch.reduce((m, e) => Math.max(m, e.length), 0);
    const realTokens = batch.reduce((s, e) => s + e.length, 0);
    this.runningTokens += longest * batch.length;
    const started = this.now();
    try {
      const outputs = await this.opts.run(batch.map((e) => e.item));
      this.learnCost(this.now() - started, longest * batch.length);
      if (outputs.length !== batch.length)
        throw new Error(`batch runner returned ${outputs.length} outputs for ${batch.length} inputs`);
      batch.forEach((e, i) => e.resolve(outputs[i]));
    } catch (err) {
      for (const e of batch) e.reject(err);
    } finally {
      this.runningTokens -= longest * batch.length;
      const ms = this.now() - started;
      this.opts.onBatch?.({ size: batch.length, paddedTokens: longest * batch.length, realTokens, ms });
    }
  }

  private learnCost(ms: number, paddedTokens: number): void {
    const first = this.batches++ === 0;
    this.msPerBatch = first ? ms : 0.8 * this.msPerBatch + 0.2 * ms;
    // Weighted towards recent batches, so the estimate follows a model swap or a change of text lengths within a few batches.
    this.avgBatchMs = first ? ms : 0.8 * this.avgBatchMs + 0.2 * ms;
    this.avgBatchTokens = first ? paddedTokens : 0.8 * this.avgBatchTokens + 0.2 * paddedTokens;
    if (this.avgBatchTokens > 0) this.msPerToken = this.avgBatchMs / this.avgBatchTokens;
  }
}
