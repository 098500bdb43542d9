// Finds a node's best split from its histogram: ordered scans for numerics (missing tried on both sides), gradient-sorted sets for categoricals.
import type { FeatureBins } from './binning';
import type { HistogramLayout } from './histogram';

export interface Sums {
  g: number;
  h: number;
  c: number;
}

export interface SplitCandidate {
  feature: number;
  gain: number;
  /** Which bins go left; partitioning and the fitted tree both derive from it. */
  leftBins: Uint8Array;
  /** Numeric splits: bins 1..binThreshold (and missing, if missingLeft) go left. */
  binThreshold: number;
  missingLeft: boolean;
  left: Sums;
  right: Sums;
}

export interface SplitConstraints {
  l2: number;
  minSamplesLeaf: number;
  minGainToSplit: number;
  categoricalL2: number;
  minCategorySamples: number;
}

/** Keeps near-empty hessians (all rows confidently fitted) from producing huge leaf values. */
const MIN_HESSIAN = 1e-3;
/** Smooths the gradient ratio that orders categories, so tiny categories do not jump to the ends. */
const CAT_SMOOTH = 10;

export function score(s: Sums, l2: number): number {
  return (s.g * s.g) / (s.h + l2);
}

class Search {
  best: SplitCandidate | null = null;
  constructor(
    private readonly parent: Sums,
    readonly limits: SplitConstraints,
  ) {}

  /** Records the split if it is allowed and better; returns whether it was taken. `extraL2` penalises set splits. */
  offer(feature: number, lg: number, lh: number, lc: number, extraL2 = 0): boolean {
    const { parent, limits } = this;
    const l2 = limits.l2 + extraL2;
    const rc = parent.c - lc;
    const rh = parent.h - lh;
    if (lc < limits.minSamplesLeaf || rc < limits.minSamplesLeaf || lh < MIN_HESSIAN || rh < MIN_HESSIAN) return false;
    const left = { g: lg, h: lh, c: lc };
    const right = { g: parent.g - lg, h: rh, c: rc };
    const gain = score(left, l2) + score(right, l2) - score(parent, l2);
    if (gain <= limits.minGainToSplit || gain <= 1e-12 || (this.best && gain <= this.best.gain)) return false;
    this.best = { feature, gain, leftBins: new Uint8Array(0), binThreshold: -1, missingLeft: false, left, right };
    return true;
  }
}

function scanNumeric(search: Search, f: number, hist: Float64Array, base: number, nBins: number): void {
  const mg = hist[base];
  const mh = hist[base + 1];
  const mc = hist[base + 2];
  let g = 0;
  let h = 0;
  let c = 0;
  for (let t = 1; t < nBins; t++) {
    const s = base + 3 * t;
    g += hist[s];
    h += hist[s + 1];
    c += hist[s + 2];
    // Missing right; at the last bin this is the "present vs missing" split, meaningful only when some are missing.
    if ((t < nBins - 1 || mc > 0) && search.offer(f, g, h, c)) {
      search.best!.binThreshold = t;
      // With no missing rows here, unseen missing values follow the larger child.
      search.best!.missingLeft = mc === 0 && c >= search.best!.right.c;
    }
    if (mc > 0 && t < nBins - 1 && search.offer(f, g + mg, h + mh, c + mc)) {
      search.best!.binThreshold = t;
      search.best!.missingLeft = true;
    }
  }
  if (search.best?.feature === f) {
    const { binThreshold, missingLeft } = search.best;
    const mask = new Uint8Array(256);
    for (let b = 1; b <= binThreshold; b++) mask[b] = 1;
    mask[0] = missingLeft ? 1 : 0;
    search.best.leftBins = mask;
  }
}

function scanCategorical(search: Search, f: number, hist: Float64Array, base: number, nBins: number): void {
  // Categories too small to judge are left out of the ordering and so go right (with unseen ones).
  const present: number[] = [];
  for (let b = 0; b < nBins; b++)
    if (hist[base + 3 * b + 2] >= Math.max(1, search.limits.minCategorySamples)) present.push(b);
  const ratio = (b: number) => hist[base + 3 * b] / (hist[base + 3 * b + 1] + CAT_SMOOTH);
  present.sort((a, b) => ratio(a) - ratio(b) || a - b);
  let g = 0;
  let h = 0;
  let c = 0;
  let bestK = -1;
  // Small categories never decide a split on their own: at least one judged category stays right with them.
  for (let k = 0; k + 1 < present.length; k++) {
    const s = base + 3 * present[k];
    g += hist[s];
    h += hist[s + 1];
    c += hist[s + 2];
    if (search.offer(f, g, h, c, search.limits.categoricalL2)) bestK = k;
  }
  if (bestK >= 0) {
    const mask = new Uint8Array(256);
    for (let k = 0; k <= bestK; k++) mask[present[k]] = 1;
    search.best!.leftBins = mask;
  }
}

export function findBestSplit(options: {
  hist: Float64Array;
  layout: HistogramLayout;
  bins: readonly FeatureBins[];
  totals: Sums;
  constraints: SplitConstraints;
}): SplitCandidate | null {
  const { hist, layout, bins, totals, constraints } = options;
  const search = new Search(totals, constraints);
  for (let f = 0; f < bins.length; f++) {
    const base = layout.offsets[f];
    if (bins[f].kind === 'numeric') scanNumeric(search, f, hist, base, layout.nBins[f]);
    else scanCategorical(search, f, hist, base, layout.nBins[f]);
  }
  return search.best;
}
