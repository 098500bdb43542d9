// Rejects what cannot be scored (non-strings, blank or oversized texts) with typed errors before any model work starts.
import { PayloadTooLargeError, ValidationError } from '../errors';

export interface ValidateTextOptions {
  /** Largest accepted text in UTF-8 bytes. */
  maxBytes: number;
  /** Name reported in errors, e.g. "text" or "items[3].text". */
  field?: string;
}

export function validateText(value: unknown, opts: ValidateTextOptions): string {
  const field = opts.field ?? 'text';
  if (typeof value !== 'string') {
    const got = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
    throw new ValidationError(`${field} must be a string, got ${got}`, { field });
  }
  // Cheap upper bound first so a 1 GB string is never fully encoded.
  if (value.length > opts.maxBytes || Buffer.byteLength(value, 'utf8') > opts.maxBytes) {
    throw new PayloadTooLargeError(
      `${field} is ${Buffer.byteLength(value, 'utf8')} bytes; the limit is ${opts.maxBytes} bytes`,
      { field },
    );
  }
  if (value.trim().length === 0) {
    throw new ValidationError(`${field} is empty or whitespace only; send the text to score`, { field });
  }
  return value;
}
