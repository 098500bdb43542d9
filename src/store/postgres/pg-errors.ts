// Turns node-postgres and server errors into churnscope's errors, so no pg error escapes the store for callers to decode.
import { ConflictError, NotFoundError, StoreUnavailableError, ValidationError } from '../../errors';

function field(e: unknown, name: 'code' | 'message'): string {
  const v = (e as Record<string, unknown> | null)?.[name];
  return typeof v === 'string' ? v : '';
}

// Socket-level failures (server down, unreachable, reset) and the server's "going away" states.
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, recovering)
  '53300', // too_many_connections
]);

/** The database is not there right now; waiting can succeed. */
export function isUnavailable(e: unknown): boolean {
  if (e instanceof StoreUnavailableError) return true;
  const code = field(e, 'code');
  if (UNAVAILABLE_CODES.has(code) || code.startsWith('08')) return true;
  // node-postgres reports a dropped socket and a connect timeout by message only.
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(
    field(e, 'message'),
  );
}

/** The one-line reason, without addresses or credentials (those go to the log, not to clients). */
export function unavailable(e: unknown, during: string): StoreUnavailableError {
  if (e instanceof StoreUnavailableError) return e;
  const code = field(e, 'code');
  const reason = code && !code.startsWith('08') && !/^\d/.test(code) ? code : 'connection lost or refused';
  return new StoreUnavailableError(`the PostgreSQL store is unavailable ${during} (${reason}); retry later`, {
    cause: e,
  });
}

export interface ConstraintContext {
  duplicate?: string;
  missingReference?: string;
  field?: string;
}

/** Repositories validate first; this is the backstop for what only the database can see (duplicates, references). */
export function translateConstraint(e: unknown, ctx: ConstraintContext): never {
  const code = field(e, 'code');
  if (code === '23503') {
    throw new NotFoundError(ctx.missingReference ?? 'a referenced row does not exist', { field: ctx.field, cause: e });
  }
  if (code === '23505') {
    throw new ConflictError(ctx.duplicate ?? 'a row with this key already exists', { field: ctx.field, cause: e });
  }
  if (code.startsWith('23') || code === '22021' || code === '22P05') {
    throw new ValidationError(`the database refused the row: ${field(e, 'message')}`, { field: ctx.field, cause: e });
  }
  throw e;
}
