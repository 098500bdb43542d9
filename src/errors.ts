// The one typed error hierarchy of churnscope: every failure a caller can act on carries a code, an HTTP status and a cause.

export interface ErrorDetails {
  /** The input field, column or option at fault, when there is one. */
  field?: string;
  /** File and row, for errors found while reading data files. */
  file?: string;
  row?: number;
  cause?: unknown;
}

export abstract class ChurnscopeError extends Error {
  abstract readonly code: string;
  abstract readonly status: number;
  readonly field?: string;
  readonly file?: string;
  readonly row?: number;

  constructor(message: string, details: ErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.field = details.field;
    this.file = details.file;
    this.row = details.row;
  }

  /** The same error reported under another field name (e.g. the API's name for an engine's field), message included. */
  withField(field: string): this {
    const copy = Object.create(Object.getPrototypeOf(this) as object) as this;
    Object.assign(copy, this, {
      field,
      message: this.field ? this.message.split(this.field).join(field) : this.message,
    });
    copy.stack = this.stack;
    return copy;
  }

  /** The body an HTTP response or a CLI's JSON error carries; never a stack trace. */
  toJSON(): { code: string; message: string; field?: string; file?: string; row?: number } {
    return { code: this.code, message: this.message, field: this.field, file: this.file, row: this.row };
  }
}

/** The caller sent something malformed: wrong type, empty text, unknown option value. */
export class ValidationError extends ChurnscopeError {
  readonly code = 'invalid_input';
  readonly status = 400;
}

/** The request is valid, but the data it asks about is too little to answer it (e.g. drift over too few texts). */
export class InsufficientDataError extends ChurnscopeError {
  readonly code = 'insufficient_data';
  readonly status = 422;
}

/** The input is well formed but larger than the configured limit. */
export class PayloadTooLargeError extends ChurnscopeError {
  readonly code = 'payload_too_large';
  readonly status = 413;
}

/** The body is in a format the endpoint does not take (the message lists those it does). */
export class UnsupportedMediaTypeError extends ChurnscopeError {
  readonly code = 'unsupported_media_type';
  readonly status = 415;
}

export class NotFoundError extends ChurnscopeError {
  readonly code = 'not_found';
  readonly status = 404;
}

/** A model directory or file is missing, corrupt or does not have the inputs/outputs we need. */
export class ModelLoadError extends ChurnscopeError {
  readonly code = 'model_load_failed';
  readonly status = 500;
}

/** Configuration given at start-up is invalid; the process should refuse to start. */
export class ConfigError extends ChurnscopeError {
  readonly code = 'invalid_config';
  readonly status = 500;
}

/** A refusal the same request can get past later: the API answers it with Retry-After (whole seconds, at least 1). */
export abstract class RetryLaterError extends ChurnscopeError {
  /** Seconds a client should wait before retrying; the API sends it as Retry-After. */
  readonly retryAfterSeconds: number;

  constructor(message: string, details: ErrorDetails & { retryAfterSeconds?: number } = {}, defaultSeconds = 1) {
    super(message, details);
    this.retryAfterSeconds = Math.max(1, Math.ceil(details.retryAfterSeconds ?? defaultSeconds));
  }
}

/** The engine is saturated or shutting down; retrying later can succeed. */
export class OverloadedError extends RetryLaterError {
  readonly code: string = 'overloaded';
  readonly status = 503;
}

/**
 * Work was lost because the inference worker died (it is being restarted), or the model was already disposed. A
 * transient refusal like OverloadedError, so jobs retry it and the API answers 503 with Retry-After.
 */
export class ServiceUnavailableError extends OverloadedError {
  override readonly code: string = 'service_unavailable';
}

/** The model itself failed on a batch (e.g. a token id outside its vocabulary): a server-side fault, not overload. */
export class InferenceError extends ChurnscopeError {
  readonly code = 'inference_failed';
  readonly status = 500;
}

/** A training run could not go on for a reason on our side (e.g. a data-parallel gradient worker died). */
export class TrainingFailedError extends ChurnscopeError {
  readonly code = 'training_failed';
  readonly status = 500;
}

/** The request carries no API key, a malformed one, or one that is unknown or revoked. */
export class UnauthorizedError extends ChurnscopeError {
  readonly code = 'unauthorized';
  readonly status = 401;
}

/** The API key is valid but lacks the scope the route needs. */
export class ForbiddenError extends ChurnscopeError {
  readonly code = 'forbidden';
  readonly status = 403;
}

/** The caller exceeded its request rate; retrying after retryAfterSeconds can succeed. */
export class TooManyRequestsError extends RetryLaterError {
  readonly code = 'rate_limited';
  readonly status = 429;
}

/** The request conflicts with what is stored (a duplicate name or version). */
export class ConflictError extends ChurnscopeError {
  readonly code = 'conflict';
  readonly status = 409;
}

/** A data file (CSV/JSONL) cannot be read or parsed. */
export class DataFileError extends ChurnscopeError {
  readonly code = 'invalid_data_file';
  readonly status = 400;
}

/** The shared database cannot be reached (down, restarting, network); the same request can succeed once it is back. */
export class StoreUnavailableError extends RetryLaterError {
  readonly code = 'store_unavailable';
  readonly status = 503;

  /** A database restart takes seconds, not a tick: clients are told 5 unless the caller knows better. */
  constructor(message: string, details: ErrorDetails & { retryAfterSeconds?: number } = {}) {
    super(message, details, 5);
  }
}

/** A produced artefact (e.g. an int8 model) does worse than its gate allows; the message carries the figures. */
export class QualityGateError extends ChurnscopeError {
  readonly code = 'quality_gate_failed';
  readonly status = 422;
}

/** Training stopped on request (Ctrl-C); the last complete epoch's checkpoint stays for --resume. */
export class TrainingInterruptedError extends ChurnscopeError {
  readonly code = 'interrupted';
  readonly status = 503;

  constructor(readonly epochsDone: number) {
    super(`training interrupted after ${epochsDone} complete epoch(s); rerun with --resume to continue`);
  }
}

export function isChurnscopeError(e: unknown): e is ChurnscopeError {
  return e instanceof ChurnscopeError;
}
