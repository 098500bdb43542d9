// Seeded, stratified splits: validation splits for early stopping and calibration, k folds for cross-validation (shared by training and fusion).
import seedrandom from 'seedrandom';

export type Rng = () => number;

export function rng(seed: number): Rng {
  return seedrandom(String(seed));
}

export function shuffle<T>(items: readonly T[], random: Rng): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** Indices into `labels`, split so each side keeps the class ratio. */
export function stratifiedSplit(
  labels: readonly number[],
  validFraction: number,
  seed: number,
): { train: number[]; valid: number[] } {
  const random = rng(seed);
  const train: number[] = [];
  const valid: number[] = [];
  for (const cls of [0, 1]) {
    const idx = shuffle(
      labels.flatMap((l, i) => (l === cls ? [i] : [])),
      random,
    );
    const cut = Math.round(idx.length * validFraction);
    valid.push(...idx.slice(0, cut));
    train.push(...idx.slice(cut));
  }
  return { train: shuffle(train, random), valid: shuffle(valid, random) };
}

/** k disjoint stratified folds covering every index once. */
export function stratifiedFolds(labels: readonly number[], k: number, seed: number): number[][] {
  const random = rng(seed);
  const folds: number[][] = Array.from({ length: k }, () => []);
  for (const cls of [0, 1]) {
    const idx = shuffle(
      labels.flatMap((l, i) => (l === cls ? [i] : [])),
      random,
    );
    idx.forEach((v, n) => folds[n % k].push(v));
  }
  return folds;
}
