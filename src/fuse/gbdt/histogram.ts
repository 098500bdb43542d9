// Per-node gradient histograms: for each feature and bin, the sums of gradient, hessian and row count.
import { binCount, type FeatureBins } from './binning';

/** Where each feature's bins start in a flat histogram; every bin takes three slots (g, h, count). */
export interface HistogramLayout {
  offsets: Int32Array;
  nBins: Int32Array;
  length: number;
}

export function histogramLayout(bins: readonly FeatureBins[]): HistogramLayout {
  const nBins = Int32Array.from(bins, binCount);
  const offsets = new Int32Array(bins.length);
  let length = 0;
  nBins.forEach((n, f) => {
    offsets[f] = length;
    length += 3 * n;
  });
  return { offsets, nBins, length };
}

export function buildHistogram(options: {
  layout: HistogramLayout;
  binned: readonly Uint8Array[];
  grad: Float64Array;
  hess: Float64Array;
  rows: Uint32Array;
}): Float64Array {
  const { layout, binned, grad, hess, rows } = options;
  const hist = new Float64Array(layout.length);
  for (let f = 0; f < binned.length; f++) {
    const col = binned[f];
    const base = layout.offsets[f];
    for (let k = 0; k < rows.length; k++) {
      const i = rows[k];
      const slot = base + 3 * col[i];
      hist[slot] += grad[i];
      hist[slot + 1] += hess[i];
      hist[slot + 2] += 1;
    }
  }
  return hist;
}

/** A sibling's histogram is its parent's minus the other child's, which halves the histogram work per split. */
export function subtractHistogram(parent: Float64Array, child: Float64Array): Float64Array {
  const out = new Float64Array(parent.length);
  for (let j = 0; j < parent.length; j++) out[j] = parent[j] - child[j];
  return out;
}
