// Admission control for online scoring: refuse early (503 + Retry-After) rather than queue a request it cannot serve in time.
import type { Request, RequestHandler, Response } from 'express';
import { OverloadedError } from '../errors';
import type { ModelRegistry } from '../models';
import type { AdmissionState } from './metrics';
import { errorCodeOf } from './error-handler';

export interface AdmissionOptions {
  models: ModelRegistry;
  /** Longest a newly admitted request should expect to wait, in ms; 0 admits everything. */
  maxQueueWaitMs: number;
  /** Milliseconds clock (performance.now by default), injected by tests. */
  now?: () => number;
}

/** Fewer requests than this in flight are always admitted: the bound is for overload, not for a quiet server. */
const MIN_IN_FLIGHT = 8;
/**
 * Completions the throughput estimate looks back over, and how recent they must be to count. Enough for a few seconds
 * at full load: over 128 completions (a quarter second at 500/s) the rate jumped with every burst of batched answers,
 * and the peak of such jumpy rates admitted a third more requests than the server finished in time.
 */
const WINDOW = 1024;
const WINDOW_MAX_AGE_MS = 10_000;
/**
 * The share of maxQueueWaitMs the in-flight bound fills. At the whole of it, a request admitted under 2x overload
 * expected to wait about maxQueueWaitMs, so any dip in throughput made it miss its deadline after a ~1 s wait: one
 * refusal in five was such a late drop, and the refusal p99 was 963 ms (npm run bench:overload). At half, admitted
 * requests wait about half the bound and late drops become rare, so nearly every refusal is immediate; the workers
 * still have hundreds of windows queued, so throughput does not drop.
 */
export const ADMIT_FRACTION = 0.5;
/**
 * The fraction backs off when admitted requests still miss their deadline (the host slowed after they were let in):
 * ×LATE_BACKOFF per late drop, down to MIN_ADMIT_FRACTION, and creeps back by RECOVERY_PER_SUCCESS per request served.
 * A steady server never backs off; on a shared host whose speed dips it settles where late drops are rare (about one
 * per 0.05 × fraction / 0.0001 ≈ 250 served at 0.5), so a refusal stays immediate. Additive increase and
 * multiplicative decrease, as congestion control does, so it cannot oscillate into refusing a quiet server.
 */
export const MIN_ADMIT_FRACTION = 0.2;
export const LATE_BACKOFF = 0.95;
export const RECOVERY_PER_SUCCESS = 0.0001;
/**
 * How long the highest recent completion rate is remembered as the server's capacity. Under light load the rate is
 * the offered load, not what the server can do: without this memory a step from 1 to 64 clients would be refused
 * until 128 requests had finished at the new rate.
 */
const PEAK_MEMORY_MS = 60_000;
/** How an admitted request ended: served, dropped by the engine as too late for its deadline (a 503), or failed. */
export type AdmittedOutcome = 'ok' | 'late' | 'failed';

/** A refusal episode ends once an admission finds fewer than this share of the limit in flight: the server caught up. */
const CAUGHT_UP_SHARE = 0.5;

/**
 * Little's law on the whole request path: with `rate` requests finishing per second, `inFlight` requests take about
 * inFlight / rate seconds, so at most ADMIT_FRACTION × capacity × maxQueueWaitMs may be in flight, where capacity is
 * the highest rate seen in the last minute. It sees everything a request waits for (parsing, tokenizing, the engine
 * queue, the store), unlike the engine's own backlog estimate.
 */
export class InFlightBound {
  private inFlight = 0;
  private readonly finished: number[] = [];
  private peak: { rate: number; at: number } | undefined;
  /** When the current run of refusals began; undefined while the server keeps up. */
  private refusingSince: number | undefined;
  private admitFraction = ADMIT_FRACTION;
  private readonly now: () => number;

  constructor(private readonly opts: { maxQueueWaitMs: number; now?: () => number }) {
    this.now = opts.now ?? (() => performance.now());
  }

  /** Requests per second that finished successfully lately; undefined until there is enough recent evidence. */
  rate(): number | undefined {
    const t = this.now();
    // Completions are kept in time order and the clock only moves on, so stale ones at the front never count again:
    // dropping them keeps this amortised O(1) per request instead of copying up to WINDOW entries.
    while (this.finished.length > 0 && t - this.finished[0] > WINDOW_MAX_AGE_MS) this.finished.shift();
    const recent = this.finished;
    if (recent.length < 16) return undefined;
    const span = recent[recent.length - 1] - recent[0];
    return span > 0 ? ((recent.length - 1) * 1000) / span : undefined;
  }

  /**
   * Requests per second the server has shown it can finish: the highest recent rate of the last minute, except while
   * it refuses work. Then the server is saturated and every completion in the window was measured at full load, so
   * that rate is the capacity now, lower than the peak or not: on a host whose speed dips (a shared machine), an old
   * peak admitted more than the server finished in time and late deadline drops brought the refusal p99 back to
   * ~0.9 s (npm run bench:overload).
   */
  capacity(): number | undefined {
    const rate = this.rate();
    const t = this.now();
    // No recent completions at all: an idle server, which admits everything until it has a rate again.
    if (rate === undefined || (this.peak && t - this.peak.at > PEAK_MEMORY_MS)) this.peak = undefined;
    const saturated = this.refusingSince !== undefined && this.finished[0] >= this.refusingSince;
    if (rate !== undefined && (this.peak === undefined || rate >= this.peak.rate || saturated)) {
      this.peak = { rate, at: t };
    }
    return this.peak?.rate;
  }

  /** The share of maxQueueWaitMs the bound fills now: ADMIT_FRACTION, less after late drops. */
  get fraction(): number {
    return this.admitFraction;
  }

  /** How many may be in flight now (Infinity while the rate is unknown). */
  limit(): number {
    const capacity = this.capacity();
    return capacity === undefined
      ? Infinity
      : Math.max(MIN_IN_FLIGHT, Math.floor((capacity * this.opts.maxQueueWaitMs * this.admitFraction) / 1000));
  }

  /** Admits one request, or returns why not; call the returned function once, with how it ended. */
  admit(): { release: (outcome: AdmittedOutcome) => void } | { refusal: string; retryAfterSeconds: number } {
    const limit = this.limit();
    if (this.inFlight >= limit) {
      this.refusingSince ??= this.now();
      const rate = this.rate() ?? 1;
      const withinMs = Math.round(this.opts.maxQueueWaitMs * this.admitFraction);
      return {
        refusal: `${this.inFlight} scoring requests are in flight and about ${limit} finish within ${withinMs} ms; retry later`,
        retryAfterSeconds: this.inFlight / rate,
      };
    }
    if (this.inFlight < limit * CAUGHT_UP_SHARE) this.refusingSince = undefined;
    this.inFlight++;
    let released = false;
    return {
      release: (outcome) => {
        if (released) return;
        released = true;
        this.inFlight--;
        if (outcome === 'late') this.admitFraction = Math.max(MIN_ADMIT_FRACTION, this.admitFraction * LATE_BACKOFF);
        if (outcome !== 'ok') return;
        this.admitFraction = Math.min(ADMIT_FRACTION, this.admitFraction + RECOVERY_PER_SUCCESS);
        this.finished.push(this.now());
        if (this.finished.length > WINDOW) this.finished.shift();
      },
    };
  }
}

/**
 * The engine's maxQueue bounds memory, not latency: 10,000 windows are minutes of CPU work. Above saturation a queue
 * that deep only makes every accepted request slow, so requests are turned away — before their bodies are parsed —
 * while either the engine's backlog is priced above maxQueueWaitMs or more requests are in flight than finish in half
 * that time. Both are estimates; what they miss is caught by the deadline each admitted request is given
 * (deadlineOf): a request that could not be done maxQueueWaitMs after admission — its batch, and one more mean batch
 * for reading, storing and answering it — is dropped with a 503 before it runs. So an accepted request finishes
 * within about maxQueueWaitMs, plus one batch for what the estimate misses (npm run bench:overload checks it).
 * Batch jobs and the CLI call the engine directly and are not subject to it: no client waits on a socket.
 */
export class ScoreAdmission {
  private readonly bound: InFlightBound;
  private readonly deadlines = new WeakMap<Request, number>();
  private readonly now: () => number;

  constructor(private readonly opts: AdmissionOptions) {
    this.now = opts.now ?? (() => performance.now());
    this.bound = new InFlightBound({ maxQueueWaitMs: opts.maxQueueWaitMs, now: this.now });
  }

  /** The bound's share of maxQueueWaitMs and in-flight limit now, for /metrics. */
  state(): AdmissionState {
    return { fraction: this.bound.fraction, limit: this.bound.limit() };
  }

  /** When the admitted request's model work should be done (performance.now ms); undefined: no bound. */
  deadlineOf(req: Request): number | undefined {
    return this.deadlines.get(req);
  }

  middleware(): RequestHandler {
    const { maxQueueWaitMs } = this.opts;
    return (req, res, next) => {
      if (maxQueueWaitMs <= 0) return next();
      const admittedAt = this.now();
      const waitMs = this.opts.models.active().engine.estimatedWaitMs;
      if (waitMs > maxQueueWaitMs) {
        return next(
          new OverloadedError(
            `the scoring queue holds about ${Math.round(waitMs)} ms of work, over the ${maxQueueWaitMs} ms limit; retry later`,
            { retryAfterSeconds: waitMs / 1000 },
          ),
        );
      }
      const admitted = this.bound.admit();
      if ('refusal' in admitted)
        return next(new OverloadedError(admitted.refusal, { retryAfterSeconds: admitted.retryAfterSeconds }));
      this.deadlines.set(req, admittedAt + maxQueueWaitMs);
      res.once('close', () => admitted.release(outcomeOf(res)));
      next();
    };
  }
}

/**
 * A 503 'overloaded' after admission: the engine dropped the request at its deadline or found its queue full — the
 * server let in more than it could serve, so it counts as late. A 503 'service_unavailable' (the inference worker
 * crashed or the model was swapped out under it) says nothing about load: a crash fails every request in flight at
 * once, and counting those as late would squeeze the admitted share to its floor for thousands of requests.
 */
function outcomeOf(res: Response): AdmittedOutcome {
  if (res.statusCode < 300) return 'ok';
  return res.statusCode === 503 && errorCodeOf(res) === 'overloaded' ? 'late' : 'failed';
}

/** The admission middleware alone (no deadlines handed to the route). */
export function admissionControl(opts: AdmissionOptions): RequestHandler {
  return new ScoreAdmission(opts).middleware();
}
