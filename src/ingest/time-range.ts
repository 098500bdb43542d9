// Time-window bounds of queries (API, dashboard, themes, CLI), read with the one timestamp rule; a date alone spans its day.
import { z } from 'zod';
import { TIMESTAMP_FORMATS, toTimestamp } from './parse-timestamp';

const DATE_ONLY = /^\s*\d{4}-\d{2}-\d{2}\s*$/;
const DAY_MS = 86_400_000;

/** A `from` or `to` value: kept as the caller's string (OpenAPI shows a string), checked by toTimestamp. */
export const timeBoundSchema = z.string().refine((s) => toTimestamp(s) !== undefined, `must be ${TIMESTAMP_FORMATS}`);

/** The inclusive start a `from` names. Call only on values timeBoundSchema accepted. */
export function rangeStart(from: string): Date {
  return toTimestamp(from)!;
}

/** The exclusive end a `to` names: the next midnight (UTC) after a date, the next millisecond after an instant. */
export function rangeEnd(to: string): Date {
  return new Date(toTimestamp(to)!.getTime() + (DATE_ONLY.test(to) ? DAY_MS : 1));
}

/**
 * Whether a window is in order (either end may be open). zod runs an object's refinements even when a field failed its
 * own check, so a bound that is not a time counts as in order here: its field's error is the one reported.
 */
export function rangeInOrder(r: { from?: string; to?: string }): boolean {
  const from = r.from === undefined ? undefined : toTimestamp(r.from);
  const to = r.to === undefined ? undefined : toTimestamp(r.to);
  return from === undefined || to === undefined || from < rangeEnd(r.to!);
}
