// Maps every error to a JSON response in one place: typed errors keep their status, anything else is a logged 500 without details.
import type { ErrorRequestHandler, Response } from 'express';
import { isChurnscopeError, RetryLaterError, StoreUnavailableError, UnauthorizedError } from '../errors';
import type { Logger } from '../logging';
import { requestLog } from './request-logging';

interface HttpishError {
  status?: number;
  type?: string;
  message?: string;
}

/** The code of the typed error a response carried, for listeners that run after it was sent (admission's release). */
export function errorCodeOf(res: Response): string | undefined {
  const code: unknown = res.locals.errorCode;
  return typeof code === 'string' ? code : undefined;
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, next) => {
    const log = requestLog(res, logger);
    // A streamed response that failed halfway cannot turn into a JSON error; Express's final handler cuts the connection.
    if (res.headersSent) {
      log.error({ err, path: req.path }, 'response failed after its headers were sent');
      next(err);
      return;
    }
    // The database being away is worth a retry, not an alarm: log it once per request at warn and say when to come back.
    if (err instanceof StoreUnavailableError) log.warn({ err, path: req.path }, 'store unavailable');
    if (isChurnscopeError(err)) res.locals.errorCode = err.code;
    if (err instanceof RetryLaterError) {
      res.setHeader('Retry-After', String(err.retryAfterSeconds));
      res.status(err.status).json({ error: err.toJSON() });
      return;
    }
    if (err instanceof UnauthorizedError) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="churnscope"');
    }
    if (isChurnscopeError(err)) {
      if (err.status >= 500) {
        // Model and configuration failures at run time name files and internals: the log gets them, the client does not.
        log.error({ err, path: req.path }, 'request failed');
        res.status(err.status).json({ error: { code: err.code, message: 'internal error; see server logs' } });
        return;
      }
      res.status(err.status).json({ error: err.toJSON() });
      return;
    }
    // body-parser's own errors: malformed JSON and oversized bodies are the client's mistakes.
    const e = err as HttpishError;
    if (e.type === 'entity.parse.failed') {
      res.status(400).json({ error: { code: 'invalid_json', message: 'request body is not valid JSON' } });
      return;
    }
    if (e.type === 'entity.too.large') {
      res
        .status(413)
        .json({ error: { code: 'payload_too_large', message: 'request body exceeds the configured limit' } });
      return;
    }
    if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
      res.status(e.status).json({ error: { code: 'bad_request', message: e.message ?? 'bad request' } });
      return;
    }
    log.error({ err, path: req.path }, 'unhandled error');
    res.status(500).json({ error: { code: 'internal', message: 'internal error; see server logs' } });
  };
}
