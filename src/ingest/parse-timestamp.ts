// The one rule for reading a point in time from data (files, uploads, requests): ISO-8601, or epoch seconds / milliseconds.
import { DataFileError } from '../errors';

/**
 * Epoch numbers below this are seconds, at or above it milliseconds: 1e11 s is the year 5138, 1e11 ms is March 1973,
 * so every plausible date reads right either way (millisecond stamps before 1973 are the one casualty).
 */
export const EPOCH_SECONDS_BELOW = 1e11;

const ISO_8601 =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/;
const EPOCH = /^-?\d+(?:\.\d+)?$/;

export const TIMESTAMP_FORMATS = 'ISO-8601 (2026-03-01, 2026-03-01T12:30:00Z) or epoch seconds / milliseconds';

/** The time a value names, or undefined when it names none (wrong type, bad format, impossible date). */
export function toTimestamp(value: unknown): Date | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value;
  if (typeof value === 'number') return fromEpoch(value);
  if (typeof value !== 'string') return undefined;
  const s = value.trim();
  if (EPOCH.test(s)) return fromEpoch(Number(s));
  const m = ISO_8601.exec(s);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, sec, zone] = m;
  // A time without a zone is read as UTC: the server's own time zone must not change what a file means.
  const iso = h === undefined ? `${y}-${mo}-${d}T00:00:00Z` : `${s.replace(' ', 'T')}${zone ? '' : 'Z'}`;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return undefined;
  // Date would roll 2026-02-30 over into March; a calendar date that does not exist is an error, not a guess.
  const local = zone ? new Date(`${y}-${mo}-${d}T${h ?? '00'}:${mi ?? '00'}:${sec ?? '00'}Z`) : date;
  const same =
    local.getUTCFullYear() === Number(y) && local.getUTCMonth() + 1 === Number(mo) && local.getUTCDate() === Number(d);
  return same ? date : undefined;
}

function fromEpoch(n: number): Date | undefined {
  if (!Number.isFinite(n)) return undefined;
  const date = new Date(Math.abs(n) < EPOCH_SECONDS_BELOW ? n * 1000 : n);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** True for the values a data file uses to say "no time here". */
export function isBlankCell(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

export interface TimestampPlace {
  file: string;
  /** 1-based line of the file (CSV header is line 1). */
  row: number;
  column: string;
}

/** Why a cell is not a time, in words naming its column; undefined when it is one (or is blank). */
export function timestampProblem(value: unknown, column: string): string | undefined {
  if (isBlankCell(value) || toTimestamp(value)) return undefined;
  return `column "${column}" has ${JSON.stringify(value)}, which is not a time (${TIMESTAMP_FORMATS})`;
}

/** A cell's time, undefined when blank; a value that is not a time is a DataFileError naming file, row and column. */
export function parseTimestampCell(value: unknown, where: TimestampPlace): Date | undefined {
  if (isBlankCell(value)) return undefined;
  const date = toTimestamp(value);
  if (date) return date;
  throw new DataFileError(`${where.file} line ${where.row}: ${timestampProblem(value, where.column)}`, {
    file: where.file,
    row: where.row,
    field: where.column,
  });
}
