// Stable theme ids: each new centroid takes the id of the most similar known theme, one-to-one, above a threshold.
import { cosine } from './vector-math';

export interface KnownTheme {
  id: string;
  centroid: Float32Array;
}

/**
 * For each new centroid, a known id or null (a new theme). Pairs are taken most similar first, so a known theme
 * goes to the cluster that resembles it best; centroids of another size (another encoder) never match.
 */
export function matchThemeIds(
  centroids: readonly Float32Array[],
  known: readonly KnownTheme[],
  minSimilarity: number,
): (string | null)[] {
  const pairs: { c: number; k: number; s: number }[] = [];
  centroids.forEach((centroid, c) => {
    known.forEach((theme, k) => {
      if (theme.centroid.length !== centroid.length) return;
      const s = cosine(centroid, theme.centroid);
      if (s >= minSimilarity) pairs.push({ c, k, s });
    });
  });
  pairs.sort((a, b) => b.s - a.s || a.c - b.c || a.k - b.k);
  const ids: (string | null)[] = centroids.map(() => null);
  const taken = new Set<number>();
  for (const { c, k } of pairs) {
    if (ids[c] !== null || taken.has(k)) continue;
    ids[c] = known[k].id;
    taken.add(k);
  }
  return ids;
}
