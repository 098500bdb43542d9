// Length-grouped batches for token-level training: each batch holds texts of similar length, so padding stays small.

/**
 * Texts per sorting pool, in batches: large enough that a pool's batches are nearly uniform in length, small enough that
 * the order stays random at the scale of an epoch (HF Trainer's group_by_length uses 50 batches the same way).
 */
export const POOL_BATCHES = 50;

/**
 * Reorders an epoch's (already shuffled) rows: pools of POOL_BATCHES × batchSize rows are sorted by length and cut
 * into batches, and the batches are shuffled. Same rows, same count per epoch; only which rows share a batch changes.
 * Padding to a random batch's longest text costs full mode most of its time on reviews (10–256 tokens): measured by
 * `npm run bench:train`, which runs both orders.
 */
export function lengthGroupedOrder(
  order: readonly number[],
  batchSize: number,
  lengthOf: (row: number) => number,
  random: () => number,
): number[] {
  if (order.length === 0) return [];
  const pool = POOL_BATCHES * batchSize;
  const batches: number[][] = [];
  for (let p = 0; p < order.length; p += pool) {
    const sorted = order.slice(p, p + pool).sort((a, b) => lengthOf(a) - lengthOf(b));
    for (let b = 0; b < sorted.length; b += batchSize) batches.push(sorted.slice(b, b + batchSize));
  }
  // The loop cuts the order into consecutive slices of batchSize, so a short batch (only the last pool can have one)
  // stays last: anywhere else it would shift every later slice across batch boundaries.
  const short = batches.at(-1)!.length < batchSize ? batches.pop()! : [];
  // Fisher–Yates over the full batches, so an epoch does not run from the shortest texts to the longest.
  for (let i = batches.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [batches[i], batches[j]] = [batches[j], batches[i]];
  }
  return [...batches.flat(), ...short];
}
