// Seeded sampling of row indices, so every fit over the same rows makes the same choices.
import { rng, shuffle } from '../sampling';

/** Up to `size` distinct indices of [0, n), in ascending order; all of them when n ≤ size. */
export function seededSample(n: number, size: number, seed: number): number[] {
  const all = Array.from({ length: n }, (_, i) => i);
  if (n <= size) return all;
  return shuffle(all, rng(seed))
    .slice(0, size)
    .sort((a, b) => a - b);
}
