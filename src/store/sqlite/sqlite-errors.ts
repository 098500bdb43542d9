// Turns SQLite's error codes into churnscope's errors, so no SqliteError escapes the store for callers to decode.
import { ConflictError, NotFoundError, ValidationError } from '../../errors';

function codeOf(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
}

/** Another connection (or process) holds the lock; waiting can succeed. */
export function isBusy(e: unknown): boolean {
  const code = codeOf(e);
  return code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED');
}

/** The file is not a database, or its pages are damaged. */
export function isCorruption(e: unknown): boolean {
  const code = codeOf(e);
  return code.startsWith('SQLITE_NOTADB') || code.startsWith('SQLITE_CORRUPT');
}

export interface ConstraintContext {
  /** What a duplicate key means to the caller, e.g. "model version v3 is already registered". */
  duplicate?: string;
  /** What a dangling reference means, e.g. "text t1 does not exist". */
  missingReference?: string;
  field?: string;
}

/**
 * Repositories validate first; this is the backstop for what only the database can see (duplicates, references).
 * Anything that is not a constraint failure is rethrown as it is.
 */
export function translateConstraint(e: unknown, ctx: ConstraintContext): never {
  const code = codeOf(e);
  if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
    throw new NotFoundError(ctx.missingReference ?? 'a referenced row does not exist', { field: ctx.field, cause: e });
  }
  if (code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE') {
    throw new ConflictError(ctx.duplicate ?? 'a row with this key already exists', { field: ctx.field, cause: e });
  }
  if (code.startsWith('SQLITE_CONSTRAINT')) {
    throw new ValidationError(`the database refused the row: ${(e as Error).message}`, { field: ctx.field, cause: e });
  }
  throw e;
}
