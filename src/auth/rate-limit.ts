// Per-key request rate limit (per client IP when no key identifies the caller): 429 with Retry-After beyond it.
import type { RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit, type AugmentedRequest } from 'express-rate-limit';
import { TooManyRequestsError } from '../errors';
import type { Logger } from '../logging';
import type { RateLimitRepository } from '../store';
import { authLocals } from './require-api-key';
import { accessFor } from './route-scopes';
import { SharedRateLimitStore } from './shared-rate-limit-store';

export interface RateLimitSettings {
  /** Requests per window for each key (or IP); 0: no limit except for keys that carry their own. */
  requests: number;
  windowSeconds: number;
  /** Counters in the store, shared by every replica on it (PostgreSQL); absent: this process's memory. */
  shared?: RateLimitRepository;
}

export function rateLimitPerKey(opts: RateLimitSettings & { logger: Logger }): RequestHandler {
  const limitOf = (res: Parameters<RequestHandler>[1]) => authLocals(res).apiKey?.rateLimit ?? opts.requests;
  return rateLimit({
    windowMs: opts.windowSeconds * 1000,
    ...(opts.shared ? { store: new SharedRateLimitStore(opts.shared, opts.logger) } : {}),
    limit: (_req, res) => limitOf(res),
    // Health probes and the dashboard's files are never throttled; nor is anyone when no limit applies.
    skip: (req, res) =>
      (authLocals(res).access ?? accessFor(req.method, req.path, { publicMetrics: true }).access) === 'public' ||
      limitOf(res) === 0,
    keyGenerator: (req, res) => {
      const key = authLocals(res).apiKey;
      return key ? `key:${key.id}` : `ip:${ipKeyGenerator(req.ip ?? 'unknown')}`;
    },
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    logger: opts.logger,
    handler: (req, res, next) => {
      const info = (req as AugmentedRequest).rateLimit;
      const key = authLocals(res).apiKey;
      const who = key ? `API key ${key.id}` : `client ${req.ip ?? 'unknown'}`;
      const retryAfterSeconds = info?.resetTime ? (info.resetTime.getTime() - Date.now()) / 1000 : opts.windowSeconds;
      next(
        new TooManyRequestsError(
          `rate limit exceeded for ${who}: ${info?.limit ?? limitOf(res)} requests per ${opts.windowSeconds} s; retry later`,
          {
            retryAfterSeconds,
          },
        ),
      );
    },
  });
}
