// Admission control: the batcher prices its backlog at the observed cost per token, and online scoring is refused above the bound.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ADMIT_FRACTION,
  admissionControl,
  InFlightBound,
  LATE_BACKOFF,
  MIN_ADMIT_FRACTION,
  RECOVERY_PER_SUCCESS,
  ScoreAdmission,
  type AdmittedOutcome,
} from '../../src/api/admission';
import { errorHandler } from '../../src/api/error-handler';
import { scoreRouter } from '../../src/api/routes/score';
import { MicroBatcher, type ScoreOptions } from '../../src/engine';
import { OverloadedError, ServiceUnavailableError } from '../../src/errors';
import { silentLogger } from '../../src/logging';
import type { ModelRegistry } from '../../src/models';
import type { Playbook } from '../../src/playbook';
import type { Store } from '../../src/store';

/**
 * A batcher over items that are their own token counts, whose model "takes" msPerToken of a fake clock per padded
 * token and waits for `gate` before returning, so the test decides when a batch ends and what it cost.
 */
function pricedBatcher(msPerToken: number) {
  let now = 0;
  let open: () => void = () => {};
  const batcher = new MicroBatcher<number, number>({
    maxBatch: 4,
    maxWaitMs: 0,
    maxQueue: 1000,
    maxPaddingFraction: 0,
    lengthOf: (n) => n,
    now: () => now,
    run: async (items) => {
      await new Promise<void>((r) => (open = r));
      now += Math.max(...items) * items.length * msPerToken;
      return items;
    },
  });
  const settle = () => new Promise((r) => setTimeout(r, 5));
  return {
    batcher,
    finishBatch: async () => {
      open();
      await settle();
    },
    settle,
  };
}

describe('MicroBatcher.estimatedWaitMs', () => {
  it('is 0 until a batch has shown what a token costs', async () => {
    const { batcher, settle } = pricedBatcher(2);
    void batcher.submit([10, 10]);
    await settle();
    expect(batcher.queueDepth).toBe(0);
    expect(batcher.estimatedWaitMs).toBe(0);
  });

  it('prices the running batch and the waiting entries at the learnt cost per token, and falls to 0 once drained', async () => {
    const { batcher, finishBatch, settle } = pricedBatcher(2);
    const first = batcher.submit([10, 10]);
    await settle();
    await finishBatch(); // 20 tokens in 40 ms: 2 ms per token
    expect(await Promise.all(first)).toEqual([10, 10]);
    const second = batcher.submit([8]);
    await settle();
    // Running: one window of 8 tokens; waiting: two of 4 (equal lengths, so they share one batch).
    const waiting = batcher.submit([4, 4]);
    expect(batcher.estimatedWaitMs).toBe((8 + 4 + 4) * 2);
    await finishBatch();
    expect(await Promise.all(second)).toEqual([8]);
    await finishBatch();
    expect(await Promise.all(waiting)).toEqual([4, 4]);
    expect(batcher.estimatedWaitMs).toBe(0);
  });

  it('follows a change in cost: recent batches weigh more than old ones', async () => {
    let now = 0;
    let msPerToken = 1;
    const batcher = new MicroBatcher<number, number>({
      maxBatch: 1,
      maxWaitMs: 0,
      maxQueue: 100,
      lengthOf: (n) => n,
      now: () => now,
      run: async (items) => {
        now += items[0] * msPerToken;
        return items;
      },
    });
    const priceOfTen = async () => {
      await Promise.all(batcher.submit([10]));
      const held = batcher.submit([10]);
      const estimate = batcher.estimatedWaitMs;
      await Promise.all(held);
      return estimate;
    };
    expect(await priceOfTen()).toBe(10);
    // The model got 5x slower per token (another model, longer texts, a busier host): the estimate follows.
    msPerToken = 5;
    const estimates: number[] = [];
    for (let i = 0; i < 30; i++) estimates.push(await priceOfTen());
    expect(estimates[0]).toBeGreaterThan(10);
    expect(estimates[0]).toBeLessThan(50);
    for (let i = 1; i < estimates.length; i++) expect(estimates[i]).toBeGreaterThanOrEqual(estimates[i - 1]);
    expect(estimates.at(-1)).toBeCloseTo(50, 0);
  });
});

describe('admissionControl', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise((r) => server?.close(r));
    server = undefined;
  });

  async function appWithBacklog(waitMs: number, maxQueueWaitMs: number): Promise<string> {
    const models = { active: () => ({ engine: { estimatedWaitMs: waitMs } }) } as unknown as ModelRegistry;
    const app = express();
    app.post('/v1/score', admissionControl({ models, maxQueueWaitMs }), (_req, res) => void res.json({ scored: true }));
    app.use(errorHandler(silentLogger()));
    server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server!.once('listening', r));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/score`;
  }

  it('refuses with 503, a JSON error and Retry-After when the backlog is priced above the bound', async () => {
    const res = await fetch(await appWithBacklog(2400, 1000), { method: 'POST' });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('3');
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('overloaded');
    expect(body.error.message).toMatch(/about 2400 ms of work, over the 1000 ms limit/);
  });

  it('backs off for a late drop (503 overloaded after admission) but not for a crashed worker (503 service_unavailable)', async () => {
    const models = { active: () => ({ engine: { estimatedWaitMs: 0 } }) } as unknown as ModelRegistry;
    const admission = new ScoreAdmission({ models, maxQueueWaitMs: 1000 });
    let fail: () => Error = () => new OverloadedError('dropped at its deadline');
    const app = express();
    app.post('/v1/score', admission.middleware(), (_req, _res, next) => next(fail()));
    app.use(errorHandler(silentLogger()));
    server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server!.once('listening', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/score`;
    const post = async () => {
      const res = await fetch(url, { method: 'POST' });
      await res.text();
      // release runs on the response's close, just after the client has read it.
      await new Promise((r) => setTimeout(r, 20));
      return res.status;
    };
    expect(admission.state().fraction).toBe(ADMIT_FRACTION);
    fail = () => new ServiceUnavailableError('the inference worker crashed; it is being restarted');
    for (let i = 0; i < 5; i++) expect(await post()).toBe(503);
    expect(admission.state().fraction).toBe(ADMIT_FRACTION);
    fail = () => new OverloadedError('dropped at its deadline');
    expect(await post()).toBe(503);
    expect(admission.state().fraction).toBeCloseTo(ADMIT_FRACTION * LATE_BACKOFF, 9);
  });

  it('admits below the bound, and admits everything when the bound is 0', async () => {
    expect((await fetch(await appWithBacklog(900, 1000), { method: 'POST' })).status).toBe(200);
    await new Promise((r) => server?.close(r));
    expect((await fetch(await appWithBacklog(1e9, 0), { method: 'POST' })).status).toBe(200);
  });
});

describe('InFlightBound', () => {
  /** A bound whose clock the test moves, after `n` successful requests finished `gapMs` apart. */
  function warmed(n: number, gapMs: number, maxQueueWaitMs: number) {
    let now = 0;
    const bound = new InFlightBound({ maxQueueWaitMs, now: () => now });
    for (let i = 0; i < n; i++) {
      const a = bound.admit();
      if ('refusal' in a) throw new Error(a.refusal);
      now += gapMs;
      a.release('ok');
    }
    return { bound, advance: (ms: number) => (now += ms) };
  }

  it('admits everything until it has seen enough recent completions to know the rate', () => {
    const { bound } = warmed(10, 10, 500);
    expect(bound.rate()).toBeUndefined();
    const held = Array.from({ length: 200 }, () => bound.admit());
    expect(held.every((a) => 'release' in a)).toBe(true);
  });

  it('admits about rate x maxQueueWaitMs x ADMIT_FRACTION requests at once and refuses the next, saying why', () => {
    // 100 completions 20 ms apart: 50 per second, so 25 can finish within 500 ms and half of that is admitted.
    const { bound } = warmed(100, 20, 500);
    expect(bound.rate()).toBeCloseTo(50, 5);
    const limit = Math.floor(50 * 0.5 * ADMIT_FRACTION);
    expect(bound.limit()).toBe(limit);
    const held = Array.from({ length: limit }, () => bound.admit());
    expect(held.every((a) => 'release' in a)).toBe(true);
    const refused = bound.admit();
    expect(refused).toMatchObject({
      refusal: `${limit} scoring requests are in flight and about ${limit} finish within ${500 * ADMIT_FRACTION} ms; retry later`,
    });
    expect((refused as { retryAfterSeconds: number }).retryAfterSeconds).toBeCloseTo(limit / 50, 5);
    // One finishing makes room for one more.
    (held[0] as { release: (outcome: AdmittedOutcome) => void }).release('ok');
    expect('release' in bound.admit()).toBe(true);
  });

  it('keeps the highest rate of the last minute as capacity, so a jump from light to heavy load is admitted', () => {
    // Heavy load: 200 per second. Then light load, 10 per second, fills the window with slow completions.
    const { bound, advance } = warmed(128, 5, 1000);
    expect(bound.limit()).toBe(Math.floor(200 * ADMIT_FRACTION));
    for (let i = 0; i < 128; i++) {
      const a = bound.admit() as { release: (outcome: AdmittedOutcome) => void };
      advance(100);
      a.release('ok');
    }
    expect(bound.rate()).toBeCloseTo(10, 5);
    // 12.8 s later the 200/s peak still counts: 64 clients arriving at once are all admitted.
    expect(bound.limit()).toBe(Math.floor(200 * ADMIT_FRACTION));
    const burst = Array.from({ length: 64 }, () => bound.admit());
    expect(burst.every((a) => 'release' in a)).toBe(true);
    burst.forEach((a) => (a as { release: (outcome: AdmittedOutcome) => void }).release('failed'));
    // A minute on, the peak is forgotten and the light-load rate rules.
    advance(50_000);
    for (let i = 0; i < 20; i++) {
      const a = bound.admit() as { release: (outcome: AdmittedOutcome) => void };
      advance(100);
      a.release('ok');
    }
    expect(bound.limit()).toBe(Math.max(8, Math.floor(10 * ADMIT_FRACTION)));
  });

  it('follows the measured rate while it refuses: a slower saturated server admits less than its old peak', () => {
    // 200 per second earlier; then overload on a host that slowed to 100 per second.
    const { bound, advance } = warmed(1024, 5, 1000);
    const peakLimit = Math.floor(200 * ADMIT_FRACTION);
    expect(bound.limit()).toBe(peakLimit);
    type Admitted = { release: (outcome: AdmittedOutcome) => void };
    const held: Admitted[] = Array.from({ length: peakLimit }, () => bound.admit() as Admitted);
    expect('refusal' in bound.admit()).toBe(true);
    // Saturated: one request finishes every 10 ms and arrivals fill every free place until one is refused.
    for (let i = 0; i < 1100; i++) {
      advance(10);
      held.shift()!.release('ok');
      for (let a = bound.admit(); 'release' in a; a = bound.admit()) held.push(a);
    }
    expect(bound.rate()).toBeCloseTo(100, 5);
    // The 200/s peak is 11 s old, inside its minute, yet the saturated rate is the capacity now.
    expect(bound.limit()).toBe(Math.floor(100 * ADMIT_FRACTION));
    // Caught up (the backlog drained): the light-load rule, highest recent rate, applies again.
    held.splice(0).forEach((a) => a.release('failed'));
    expect('release' in bound.admit()).toBe(true);
  });

  it('admits less after admitted requests were dropped late, and creeps back as requests are served', () => {
    const { bound } = warmed(200, 5, 1000); // 200 per second
    type Admitted = { release: (outcome: AdmittedOutcome) => void };
    expect(bound.limit()).toBe(Math.floor(200 * ADMIT_FRACTION));
    // Ten admitted requests dropped at their deadline: the share of the bound falls by LATE_BACKOFF each.
    for (let i = 0; i < 10; i++) (bound.admit() as Admitted).release('late');
    expect(bound.fraction).toBeCloseTo(ADMIT_FRACTION * LATE_BACKOFF ** 10, 10);
    expect(bound.limit()).toBe(Math.floor(200 * ADMIT_FRACTION * LATE_BACKOFF ** 10));
    // Failures other than lateness say nothing about capacity.
    (bound.admit() as Admitted).release('failed');
    expect(bound.fraction).toBeCloseTo(ADMIT_FRACTION * LATE_BACKOFF ** 10, 10);
    // Never below the floor, however many are late.
    for (let i = 0; i < 500; i++) (bound.admit() as Admitted).release('late');
    expect(bound.fraction).toBe(MIN_ADMIT_FRACTION);
    // Served requests bring it back a little each, never above ADMIT_FRACTION.
    for (let i = 0; i < 1000; i++) (bound.admit() as Admitted).release('ok');
    expect(bound.fraction).toBeCloseTo(MIN_ADMIT_FRACTION + 1000 * RECOVERY_PER_SUCCESS, 10);
    for (let i = 0; i < 5000; i++) (bound.admit() as Admitted).release('ok');
    expect(bound.fraction).toBe(ADMIT_FRACTION);
  });

  it('measures the rate over seconds of completions, so one burst of answers does not raise the capacity', () => {
    // 8 s at 100 per second, then 128 answers in the same 13 ms (one coalesced write answering a batch).
    const { bound, advance } = warmed(800, 10, 10_000);
    const burst = Array.from({ length: 128 }, () => bound.admit() as { release: (outcome: AdmittedOutcome) => void });
    burst.forEach((a) => (advance(0.1), a.release('ok')));
    expect(bound.rate()).toBeGreaterThan(100);
    expect(bound.rate()).toBeLessThan(120);
    expect(bound.limit()).toBeLessThan(Math.ceil(120 * 10 * ADMIT_FRACTION));
  });

  it('never limits below a small floor, and forgets a rate once it is stale', () => {
    const { bound, advance } = warmed(100, 1000 / 4, 500); // 4 per second: 2 within 500 ms, floor 8
    expect(bound.limit()).toBe(8);
    advance(60_000);
    expect(bound.rate()).toBeUndefined();
    expect(bound.limit()).toBe(Infinity);
  });

  it('counts failed requests out of the rate but still frees their place', () => {
    const { bound } = warmed(100, 20, 500);
    const before = bound.rate();
    const a = bound.admit();
    (a as { release: (outcome: AdmittedOutcome) => void }).release('failed');
    (a as { release: (outcome: AdmittedOutcome) => void }).release('ok'); // a second release is ignored
    expect(bound.rate()).toBe(before);
    expect(Array.from({ length: bound.limit() }, () => bound.admit()).every((x) => 'release' in x)).toBe(true);
  });
});

describe('ScoreAdmission deadlines', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise((r) => server?.close(r));
    server = undefined;
  });

  /** Admission over an idle engine at a fixed clock, in front of the real score route whose engine records its options. */
  async function scoringApp(maxQueueWaitMs: number) {
    const seen: Array<ScoreOptions | undefined> = [];
    const engine = {
      estimatedWaitMs: 0,
      score: async (texts: unknown[], opts?: ScoreOptions) => {
        seen.push(opts);
        if (opts?.deadline !== undefined) throw new OverloadedError('missed its deadline');
        return texts.map(() => ({ probability: 0.5, embedding: new Float32Array(2), tokens: 1 }));
      },
    };
    const model = { version: 'v1', engine, calibrator: { risk: (p: number) => p, band: () => 'low' } };
    const models = {
      active: () => model,
      acquire: () => ({ model, release: () => {} }),
    } as unknown as ModelRegistry;
    const admission = new ScoreAdmission({ models, maxQueueWaitMs, now: () => 42 });
    const app = express();
    app.post('/v1/score', admission.middleware());
    app.use(express.json());
    app.use(
      scoreRouter(
        { models, store: {} as Store, playbook: {} as Playbook },
        { deadlineOf: (req) => admission.deadlineOf(req) },
      ),
    );
    app.use(errorHandler(silentLogger()));
    server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server!.once('listening', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/score`;
    const post = () =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text: 'hello', explain: false }),
      });
    return { post, seen, admission };
  }

  it('hands the engine a deadline maxQueueWaitMs after admission, and a missed one is answered 503 + Retry-After', async () => {
    const { post, seen } = await scoringApp(1000);
    const res = await post();
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(seen).toEqual([{ tokenStates: false, deadline: 1042 }]);
  });

  it('counts a 503 after admission as a late drop: the bound admits a smaller share of maxQueueWaitMs', async () => {
    const { post, admission } = await scoringApp(1000);
    expect(admission.state().fraction).toBe(ADMIT_FRACTION);
    expect((await post()).status).toBe(503);
    // The release runs on the response's close, just after the client has read it.
    for (let i = 0; i < 100 && admission.state().fraction === ADMIT_FRACTION; i++)
      await new Promise((r) => setTimeout(r, 5));
    expect(admission.state().fraction).toBeCloseTo(ADMIT_FRACTION * LATE_BACKOFF, 10);
  });

  it('gives no deadline when admission control is off', async () => {
    const { post, seen } = await scoringApp(0);
    const res = await post();
    expect(seen).toEqual([undefined]);
    expect(res.status).not.toBe(503);
  });
});
