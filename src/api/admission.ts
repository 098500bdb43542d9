// Admission control for online scoring: refuse early (503 + Retry-After) rather than queue a request it cannot serve in time.
import type { RequestHandler } from 'express';
import { OverloadedError } from '../errors';
import type { ModelRegistry } from '../models';

export interface AdmissionOptions {
  models: ModelRegistry;
  /** Largest estimated engine backlog, in ms, a new request may join; 0 admits everything. */
  maxQueueWaitMs: number;
}

/**
 * The engine's maxQueue bounds memory, not latency: 10,000 windows are minutes of CPU work. Above saturation a queue
 * that deep only makes every accepted request slow, so requests are turned away while the backlog is priced above
 * maxQueueWaitMs, before their bodies are even parsed. Batch jobs and the CLI call the engine directly and are not
 * subject to it: they have no client waiting on a socket.
 */
export function admissionControl(opts: AdmissionOptions): RequestHandler {
  return (_req, _res, next) => {
    if (opts.maxQueueWaitMs <= 0) return next();
    const waitMs = opts.models.active().engine.estimatedWaitMs;
    if (waitMs <= opts.maxQueueWaitMs) return next();
    next(
      new OverloadedError(
        `the scoring queue holds about ${Math.round(waitMs)} ms of work, over the ${opts.maxQueueWaitMs} ms limit; retry later`,
        { retryAfterSeconds: waitMs / 1000 },
      ),
    );
  };
}
