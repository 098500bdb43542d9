// Request ids and one access-log line per request, through a per-request pino child logger that never sees bodies or queries.
import { randomUUID } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import type { Logger } from '../logging';

export const REQUEST_ID_HEADER = 'X-Request-Id';

/** What a client may pass as its own request id: short, printable, no spaces or quotes (it lands in logs and headers). */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

/** Longest path written to the log; ids in paths are fine, but a client must not fill the log through the URL. */
const MAX_LOGGED_PATH = 200;

export function requestIdOf(incoming: string | string[] | undefined): string {
  const value = Array.isArray(incoming) ? incoming[0] : incoming;
  return value !== undefined && SANE_REQUEST_ID.test(value) ? value : randomUUID();
}

/** The request's child logger (falls back to the given one for responses that did not pass the middleware). */
export function requestLog(res: Response, fallback: Logger): Logger {
  return (res.locals.log as Logger | undefined) ?? fallback;
}

/**
 * Gives every request an id (the client's, when sane, else a fresh UUID), echoes it in the response, and logs
 * method, path, status and duration when the response ends. The query string is left out on purpose: filters and
 * probes may carry customers' words. Bodies and the Authorization header are never logged.
 */
export function requestLogging(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const reqId = requestIdOf(req.headers['x-request-id']);
    const log = logger.child({ reqId });
    res.locals.requestId = reqId;
    res.locals.log = log;
    res.setHeader(REQUEST_ID_HEADER, reqId);
    const started = performance.now();
    let logged = false;
    const line = (aborted: boolean) => {
      if (logged) return;
      logged = true;
      const fields = {
        method: req.method,
        path: req.path.length > MAX_LOGGED_PATH ? `${req.path.slice(0, MAX_LOGGED_PATH)}…` : req.path,
        status: res.statusCode,
        durationMs: Math.round((performance.now() - started) * 10) / 10,
        ...(aborted ? { aborted: true } : {}),
      };
      // A 503 is admission control doing its job under overload: worth counting, not paging anyone for.
      if (res.statusCode >= 500 && res.statusCode !== 503) log.error(fields, 'request failed');
      else log.info(fields, aborted ? 'request aborted by the client' : 'request');
    };
    res.once('finish', () => line(false));
    // 'close' without 'finish': the client went away before the response was written.
    res.once('close', () => line(!res.writableFinished));
    next();
  };
}
