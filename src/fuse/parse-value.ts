// Turns one raw cell (CSV string, JSON value) into a number or a category key, so training and serving read values identically.
import { ValidationError } from '../errors';

/** Spellings that CSV exports and JSON clients use for "no value". */
const MISSING_WORDS = new Set(['', 'na', 'n/a', 'nan', 'null', 'none']);
/** Plain decimal notation only: Number() would also accept "0x1f", "Infinity" and "  ", which are never meant as amounts. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export function isMissing(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value === 'number') return Number.isNaN(value);
  if (typeof value === 'string') return MISSING_WORDS.has(value.trim().toLowerCase());
  return false;
}

function describe(value: unknown): string {
  return typeof value === 'string'
    ? `"${value}"`
    : Array.isArray(value)
      ? 'an array'
      : typeof value === 'object'
        ? 'an object'
        : typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint'
          ? String(value)
          : typeof value;
}

/** A finite number from a non-missing cell; words such as "yes" belong to categorical features only. */
export function parseNumeric(value: unknown, feature: string): number {
  let n = Number.NaN;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && DECIMAL.test(value.trim())) n = Number(value.trim());
  if (!Number.isFinite(n)) {
    throw new ValidationError(`feature "${feature}" is numeric; got ${describe(value)}`, { field: feature });
  }
  return n;
}

/** Category keys are case-insensitive because clients send "Yes" and "yes" for the same thing. */
export function categoryKey(value: unknown, feature: string): string {
  if (typeof value === 'string') return value.trim().toLowerCase();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new ValidationError(`feature "${feature}" is categorical; got ${describe(value)}`, { field: feature });
}
