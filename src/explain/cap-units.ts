// Bounds the cost of an explanation: merges neighbouring units until at most maxUnits remain.
import type { TextSpan } from './text-span';

/**
 * Each unit goes to one of maxUnits equal-length slices of the units' combined length, by where its middle falls;
 * units sharing a slice merge. One linear pass (a 100 KB text can have thousands of units), merges only neighbours,
 * and keeps the merged units of similar size so none swallows half the text.
 */
export function capUnits(units: readonly TextSpan[], maxUnits: number): TextSpan[] {
  if (units.length <= maxUnits) return [...units];
  const total = units.reduce((s, u) => s + (u.end - u.start), 0);
  const out: TextSpan[] = [];
  let seen = 0;
  let lastBucket = -1;
  for (const u of units) {
    const len = u.end - u.start;
    const bucket = Math.min(maxUnits - 1, Math.floor(((seen + len / 2) / total) * maxUnits));
    seen += len;
    if (bucket === lastBucket) out[out.length - 1] = { start: out[out.length - 1].start, end: u.end };
    else out.push({ ...u });
    lastBucket = bucket;
  }
  return out;
}
