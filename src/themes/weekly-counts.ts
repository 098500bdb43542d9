// Weekly counts for trends: ISO weeks starting Monday (UTC), every week of the range present, empty ones as 0.
import type { WeekCount } from './theme-types';

const DAY_MS = 86_400_000;

/** Start (ms, UTC midnight) of the Monday of the week holding `iso`. */
export function weekStart(iso: string): number {
  const t = Date.parse(iso);
  const midnight = Math.floor(t / DAY_MS) * DAY_MS;
  const weekday = (new Date(midnight).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  return midnight - weekday * DAY_MS;
}

export interface WeekRange {
  first: number;
  last: number;
}

/** The weeks spanned by the timestamps (null when there are none). */
export function weekRange(isoDates: Iterable<string>): WeekRange | null {
  let first = Infinity;
  let last = -Infinity;
  for (const d of isoDates) {
    const w = weekStart(d);
    if (w < first) first = w;
    if (w > last) last = w;
  }
  return Number.isFinite(first) ? { first, last } : null;
}

/** Counts per week over `range` (by default the dates' own span). */
export function weeklyCounts(isoDates: readonly string[], range: WeekRange | null = weekRange(isoDates)): WeekCount[] {
  if (!range) return [];
  const counts = new Map<number, number>();
  for (const d of isoDates) {
    const w = weekStart(d);
    counts.set(w, (counts.get(w) ?? 0) + 1);
  }
  const out: WeekCount[] = [];
  for (let w = range.first; w <= range.last; w += 7 * DAY_MS)
    out.push({ week: new Date(w).toISOString().slice(0, 10), count: counts.get(w) ?? 0 });
  return out;
}
