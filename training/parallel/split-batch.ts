// How a batch's rows are dealt to the threads of a data-parallel step.
/**
 * Deals the rows, longest first, to `parts` parts in turn, so every part pads to about the same length and does about
 * the same work; row order inside a part does not matter to the loss. Fewer rows than parts give fewer parts.
 */
export function splitBatch(indices: readonly number[], parts: number, lengthOf?: (row: number) => number): number[][] {
  const n = Math.max(1, Math.min(parts, indices.length));
  const order = lengthOf ? [...indices].sort((a, b) => lengthOf(b) - lengthOf(a)) : [...indices];
  const out: number[][] = Array.from({ length: n }, () => []);
  order.forEach((row, k) => out[k % n].push(row));
  return out;
}
