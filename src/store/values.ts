// Checks and conversions between caller values and column values, so each repository validates the same way.
import { ValidationError } from '../errors';

export function requireId(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '')
    throw new ValidationError(`${field} must be a non-empty string`, { field });
  if (value.length > 512) throw new ValidationError(`${field} is longer than 512 characters`, { field });
  return value;
}

export function optionalId(value: unknown, field: string): string | null {
  return value === undefined || value === null ? null : requireId(value, field);
}

export function optionalText(value: unknown, field: string): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw new ValidationError(`${field} must be a string or null`, { field });
  return value;
}

export function requireOneOf<T extends string>(value: unknown, allowed: readonly T[], field: string): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new ValidationError(`${field} must be one of ${allowed.join(', ')}`, { field });
  }
  return value as T;
}

/** Risks are calibrated probabilities. */
export function requireProbability(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new ValidationError(`${field} must be a number between 0 and 1`, { field });
  }
  return value;
}

export function requireCount(value: unknown, field: string, min = 0): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new ValidationError(`${field} must be an integer ≥ ${min}`, { field });
  }
  return value;
}

export function requireBoolean(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') throw new ValidationError(`${field} must be true or false`, { field });
  return value;
}

export function requirePlainObject(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ValidationError(`${field} must be an object`, { field });
  }
  return value as Record<string, unknown>;
}

/** Limits bound what one call can pull into memory. */
export function pageOf(page: { limit: number; offset?: number }, maxLimit = 1000): { limit: number; offset: number } {
  const limit = requireCount(page?.limit, 'limit', 1);
  if (limit > maxLimit) throw new ValidationError(`limit must be at most ${maxLimit}`, { field: 'limit' });
  return { limit, offset: requireCount(page?.offset ?? 0, 'offset') };
}

/** Normalised to toISOString() so that text order in SQL is time order. */
export function timestamp(value: string | Date | undefined, field: string): string {
  if (value === undefined) return new Date().toISOString();
  const date = value instanceof Date ? value : typeof value === 'string' ? new Date(value) : new Date(NaN);
  if (Number.isNaN(date.getTime())) throw new ValidationError(`${field} must be an ISO-8601 timestamp`, { field });
  return date.toISOString();
}

export function toJson(value: unknown, field: string): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (cause) {
    throw new ValidationError(`${field} cannot be stored as JSON: ${(cause as Error).message}`, { field, cause });
  }
  if (json === undefined) throw new ValidationError(`${field} must be JSON-serialisable`, { field });
  return json;
}

export function fromJson(text: string | null): unknown {
  return text === null ? null : JSON.parse(text);
}

export function embeddingToBlob(value: Float32Array | undefined): Buffer | null {
  if (value === undefined) return null;
  if (!(value instanceof Float32Array))
    throw new ValidationError('embedding must be a Float32Array', { field: 'embedding' });
  return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
}

export function blobToEmbedding(blob: Buffer | null): Float32Array | null {
  // The copy gives the floats an aligned buffer of their own; SQLite's may start at any byte.
  return blob === null ? null : new Float32Array(new Uint8Array(blob).buffer);
}
