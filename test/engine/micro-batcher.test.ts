import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OverloadedError } from '../../src/errors';
import { MicroBatcher, type BatchStats } from '../../src/engine';

function doubler(opts: {
  maxBatch: number;
  maxWaitMs: number;
  maxQueue?: number;
  delayMs?: number;
  maxBulkBatch?: number;
  maxPaddingFraction?: number;
}) {
  const batches: number[][] = [];
  const stats: BatchStats[] = [];
  const batcher = new MicroBatcher<number, number>({
    maxBatch: opts.maxBatch,
    maxBulkBatch: opts.maxBulkBatch,
    maxPaddingFraction: opts.maxPaddingFraction,
    maxWaitMs: opts.maxWaitMs,
    maxQueue: opts.maxQueue ?? 1000,
    lengthOf: (n) => n,
    run: async (items) => {
      batches.push(items);
      if (opts.delayMs) await new Promise((r) => setTimeout(r, opts.delayMs));
      return items.map((n) => n * 2);
    },
    onBatch: (s) => stats.push(s),
  });
  return { batcher, batches, stats };
}

describe('MicroBatcher', () => {
  it('gathers concurrent submissions into one batch and returns each caller its own results', async () => {
    const { batcher, batches } = doubler({ maxBatch: 32, maxWaitMs: 20 });
    const calls = [[1, 2], [3], [4, 5, 6]].map((items) => Promise.all(batcher.submit(items)));
    expect(await Promise.all(calls)).toEqual([[2, 4], [6], [8, 10, 12]]);
    expect(batches).toHaveLength(1);
    expect(batches[0]).toHaveLength(6);
  });

  it('never exceeds maxBatch and runs a full batch without waiting for the timer', async () => {
    const { batcher, batches } = doubler({ maxBatch: 4, maxWaitMs: 10_000 });
    const items = Array.from({ length: 10 }, (_, i) => i + 1);
    const t0 = performance.now();
    const first8 = Promise.all(batcher.submit(items.slice(0, 8)));
    expect(await first8).toEqual(items.slice(0, 8).map((n) => n * 2));
    expect(performance.now() - t0).toBeLessThan(5_000);
    expect(batches.every((b) => b.length <= 4)).toBe(true);
  });

  it('runs a partial batch once maxWaitMs has passed', async () => {
    const { batcher, batches } = doubler({ maxBatch: 64, maxWaitMs: 5 });
    expect(await Promise.all(batcher.submit([7]))).toEqual([14]);
    expect(batches).toEqual([[7]]);
  });

  it('with maxWaitMs 0, runs before a timer set earlier in the same tick (no 1 ms clamp) yet batches that tick', async () => {
    const order: string[] = [];
    const batcher = new MicroBatcher<number, number>({
      maxBatch: 8,
      maxWaitMs: 0,
      maxQueue: 100,
      lengthOf: (n) => n,
      run: (items) => (order.push(`run ${items.length}`), Promise.resolve(items)),
    });
    // Inside an I/O callback the check phase (setImmediate) comes before the timers phase; setTimeout(0) is 1 ms.
    let done: Promise<number[]> | undefined;
    await new Promise<void>((resolve) =>
      fs.stat('.', () => {
        setTimeout(() => order.push('timer'), 0);
        const a = batcher.submit([1, 2]);
        const b = batcher.submit([3]);
        done = Promise.all([...a, ...b]);
        resolve();
      }),
    );
    expect(await done!).toEqual([1, 2, 3]);
    await new Promise((r) => setTimeout(r, 5));
    expect(order).toEqual(['run 3', 'timer']);
  });

  it('groups similar lengths when more items wait than fit in a batch', async () => {
    const { batcher, batches } = doubler({ maxBatch: 3, maxWaitMs: 1, delayMs: 5 });
    // The first call occupies the runner; the rest queue up together and must be grouped by length.
    const first = Promise.all(batcher.submit([50]));
    await new Promise((r) => setTimeout(r, 3)); // the first batch is running now
    const rest = Promise.all(batcher.submit([100, 1, 99, 2, 98, 3]));
    await Promise.all([first, rest]);
    const later = batches.slice(1).map((b) => [...b].sort((x, y) => x - y));
    expect(later).toContainEqual([98, 99, 100]);
    expect(later).toContainEqual([1, 2, 3]);
  });

  it('looks for neighbours among the oldest two batches of entries only, so a common length cannot jump the queue', async () => {
    const { batcher, batches } = doubler({ maxBatch: 2, maxWaitMs: 1, delayMs: 5, maxPaddingFraction: 0 });
    const first = Promise.all(batcher.submit([50]));
    await new Promise((r) => setTimeout(r, 3)); // the first batch is running now
    // Oldest first: 10, then three of other lengths, then a young 10 outside the window of 2 × maxBatch = 4 entries.
    const rest = Promise.all(batcher.submit([10, 20, 30, 40, 10]));
    await Promise.all([first, rest]);
    // Over the whole queue the two 10s would share the first batch; within the window the oldest 10 goes alone.
    expect(batches[1]).toEqual([10]);
    const youngTen = batches.findIndex((b, i) => i > 1 && b.includes(10));
    const older = [20, 30, 40].map((n) => batches.findIndex((b) => b.includes(n)));
    expect(older.some((i) => i < youngTen)).toBe(true);
  });

  it('refuses work beyond maxQueue with an OverloadedError instead of queueing without bound', () => {
    const { batcher } = doubler({ maxBatch: 2, maxWaitMs: 1000, maxQueue: 3, delayMs: 50 });
    // Queued only to fill the queue; allSettled keeps its eventual outcome from surfacing as unhandled.
    void Promise.allSettled(batcher.submit([1]));
    expect(() => batcher.submit([1, 2, 3])).toThrow(OverloadedError);
  });

  it('rejects every item of a failed batch, and keeps serving afterwards', async () => {
    let fail = true;
    const batcher = new MicroBatcher<number, number>({
      maxBatch: 8,
      maxWaitMs: 1,
      maxQueue: 100,
      lengthOf: () => 1,
      run: async (items) => {
        if (fail) throw new Error('boom');
        return items;
      },
    });
    await expect(Promise.all(batcher.submit([1, 2]))).rejects.toThrow('boom');
    fail = false;
    expect(await Promise.all(batcher.submit([3]))).toEqual([3]);
  });

  it('reports padding per batch', async () => {
    const { batcher, stats } = doubler({ maxBatch: 8, maxWaitMs: 5 });
    await Promise.all(batcher.submit([2, 4]));
    expect(stats).toEqual([{ size: 2, paddedTokens: 8, realTokens: 6, ms: expect.any(Number) }]);
  });
});

describe('MicroBatcher padding budget', () => {
  it('splits a batch rather than pad short items to a long one', async () => {
    const batches: number[][] = [];
    const batcher = new MicroBatcher<number, number>({
      maxBatch: 8,
      maxWaitMs: 5,
      maxQueue: 100,
      maxPaddingFraction: 0.1,
      lengthOf: (n) => n,
      run: async (items) => (batches.push(items), items),
    });
    await Promise.all(batcher.submit([10, 11, 10, 100, 98]));
    const sorted = batches.map((b) => [...b].sort((x, y) => x - y)).sort((a, b) => a[0] - b[0]);
    expect(sorted).toEqual([
      [10, 10, 11],
      [98, 100],
    ]);
  });

  it('runs an interactive item in the next batch even behind a long bulk backlog', async () => {
    const { batcher, batches } = doubler({ maxBatch: 4, maxWaitMs: 1, delayMs: 5 });
    const bulk = Promise.all(
      batcher.submit(
        Array.from({ length: 40 }, () => 100),
        { bulk: true },
      ),
    );
    await new Promise((r) => setTimeout(r, 2)); // the first bulk batch is running, 36 bulk items wait
    const online = Promise.all(batcher.submit([7]));
    expect(await online).toEqual([14]);
    const onlineBatch = batches.findIndex((b) => b.includes(7));
    expect(onlineBatch).toBeLessThanOrEqual(1);
    expect(batches[onlineBatch]).toEqual([7]);
    expect(await bulk).toHaveLength(40);
  });

  it('prices only interactive work in the wait estimate: a bulk backlog does not make online requests look late', async () => {
    const bulkSide = doubler({ maxBatch: 4, maxWaitMs: 1, delayMs: 5 });
    const onlineSide = doubler({ maxBatch: 4, maxWaitMs: 1, delayMs: 5 });
    const a = Promise.all(
      bulkSide.batcher.submit(
        Array.from({ length: 40 }, () => 100),
        { bulk: true },
      ),
    );
    const b = Promise.all(onlineSide.batcher.submit(Array.from({ length: 40 }, () => 100)));
    await new Promise((r) => setTimeout(r, 15)); // a batch or two has run on each side, so both have a cost per token
    // Same backlog, same cost: the interactive side counts ~10× the tokens (waiting + running vs running only).
    expect(onlineSide.batcher.estimatedWaitMs).toBeGreaterThan(0);
    expect(bulkSide.batcher.estimatedWaitMs * 3).toBeLessThan(onlineSide.batcher.estimatedWaitMs);
    await Promise.all([a, b]);
  });

  it('keeps bulk batches within maxBulkBatch while interactive batches use maxBatch', async () => {
    const { batcher, batches } = doubler({ maxBatch: 16, maxBulkBatch: 4, maxWaitMs: 1 });
    await Promise.all(
      batcher.submit(
        Array.from({ length: 20 }, () => 5),
        { bulk: true },
      ),
    );
    expect(batches.map((b) => b.length)).toEqual([4, 4, 4, 4, 4]);
    batches.length = 0;
    await Promise.all(batcher.submit(Array.from({ length: 16 }, () => 5)));
    expect(batches.map((b) => b.length)).toEqual([16]);
  });
  it('runs up to `concurrency` batches at once (one per inference worker), never more', async () => {
    let running = 0;
    let peak = 0;
    const batcher = new MicroBatcher<number, number>({
      maxBatch: 1,
      maxWaitMs: 0,
      maxQueue: 100,
      concurrency: 2,
      lengthOf: (n) => n,
      run: async (items) => {
        peak = Math.max(peak, ++running);
        await new Promise((r) => setTimeout(r, 10));
        running--;
        return items;
      },
    });
    expect(await Promise.all(batcher.submit([1, 2, 3, 4, 5]))).toEqual([1, 2, 3, 4, 5]);
    expect(peak).toBe(2);
  });
});

describe('MicroBatcher deadlines', () => {
  /** One runner whose batches end when the test says, on a clock the test moves. */
  function gated() {
    let now = 0;
    const release: Array<() => void> = [];
    const ran: number[][] = [];
    const batcher = new MicroBatcher<number, number>({
      maxBatch: 1,
      maxWaitMs: 0,
      maxQueue: 100,
      lengthOf: (n) => n,
      now: () => now,
      run: async (items) => {
        ran.push(items);
        await new Promise<void>((r) => release.push(r));
        return items;
      },
    });
    const settle = () => new Promise((r) => setTimeout(r, 1));
    return {
      batcher,
      ran,
      advance: (ms: number) => (now += ms),
      finishBatch: async () => {
        release.shift()?.();
        await settle();
      },
      settle,
    };
  }

  it("prices the backlog by time over tokens across batches, so small batches' fixed cost does not inflate it", async () => {
    const { batcher, advance, finishBatch, settle } = gated();
    // A one-token batch that took 10 ms (hand-off cost), then a 1,000-token batch that took 50 ms.
    const small = Promise.all(batcher.submit([1]));
    await settle();
    advance(10);
    await finishBatch();
    await small;
    const big = Promise.all(batcher.submit([1000]));
    await settle();
    advance(50);
    await finishBatch();
    await big;
    // One 1,000-token batch running and one waiting: priced from the averages (18 ms per ~200 tokens), about 180 ms.
    // Averaging per-batch ratios instead gives 8 ms/token (the small batch's 10 barely decayed), about 16 s.
    const pending = Promise.all(batcher.submit([1000]));
    const waiting = Promise.all(batcher.submit([1000]));
    await settle();
    expect(batcher.estimatedWaitMs).toBeGreaterThan(50);
    expect(batcher.estimatedWaitMs).toBeLessThan(200);
    advance(50);
    await finishBatch();
    advance(50);
    await finishBatch();
    await Promise.all([pending, waiting]);
  });

  it('drops waiting items whose batch would end after their deadline with an OverloadedError, before they run', async () => {
    const { batcher, ran, advance, finishBatch, settle } = gated();
    const first = Promise.all(batcher.submit([1], { deadline: 100 }));
    await settle(); // [1] runs; the next ones wait behind it
    const late = Promise.all(batcher.submit([2, 3], { deadline: 50 })).catch((e: unknown) => e);
    // Not past its deadline when the runner frees, but a batch (60 ms, as the first one took) and as much again for the
    // request's work outside the model would end after it.
    const tooLateToFinish = Promise.all(batcher.submit([6], { deadline: 170 })).catch((e: unknown) => e);
    const onTime = Promise.all(batcher.submit([4], { deadline: 500 }));
    advance(60);
    await finishBatch();
    expect(await first).toEqual([1]);
    const err = await late;
    expect(err).toBeInstanceOf(OverloadedError);
    expect((err as Error).message).toMatch(/waited 60 ms for the model and would miss its deadline/);
    expect(await tooLateToFinish).toBeInstanceOf(OverloadedError);
    await finishBatch();
    expect(await onTime).toEqual([4]);
    expect(ran).toEqual([[1], [4]]);
    expect(batcher.queueDepth).toBe(0);
    // The dropped items no longer count in the backlog the admission estimate prices.
    expect(batcher.estimatedWaitMs).toBe(0);
  });

  it('runs an item that can start in time, however long its batch then takes', async () => {
    const { batcher, advance, finishBatch, settle } = gated();
    const item = Promise.all(batcher.submit([5], { deadline: 10 }));
    await settle();
    advance(1000);
    await finishBatch();
    expect(await item).toEqual([5]);
  });

  it('refuses at submit a request too late to be scored by its deadline, and never drops bulk work or items without one', async () => {
    const { batcher, ran, advance, finishBatch, settle } = gated();
    advance(20);
    expect(() => batcher.submit([1], { deadline: 10 })).toThrow(/too late to be scored by its deadline/);
    expect(batcher.queueDepth).toBe(0);
    const head = Promise.all(batcher.submit([1]));
    await settle();
    const noDeadline = Promise.all(batcher.submit([2]));
    const bulk = Promise.all(batcher.submit([3], { bulk: true }));
    advance(1e6);
    for (let i = 0; i < 3; i++) await finishBatch();
    expect(await Promise.all([head, noDeadline, bulk])).toEqual([[1], [2], [3]]);
    expect(ran).toEqual([[1], [2], [3]]);
  });
});
