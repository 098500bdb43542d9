// Grows one regression tree on gradients best-first (largest gain first) within max depth and max leaves.
import type { FeatureBins } from './binning';
import { buildHistogram, subtractHistogram, type HistogramLayout } from './histogram';
import { findBestSplit, type SplitCandidate, type SplitConstraints, type Sums } from './split-finder';
import type { TreeJson } from './tree';

export interface GrowParams extends SplitConstraints {
  maxDepth: number;
  maxLeaves: number;
  learningRate: number;
}

export interface GrowOptions {
  binned: readonly Uint8Array[];
  bins: readonly FeatureBins[];
  layout: HistogramLayout;
  grad: Float64Array;
  hess: Float64Array;
  /** The rows this tree learns from (all of them, or a subsample). */
  rows: Uint32Array;
  params: GrowParams;
}

interface OpenLeaf {
  node: number;
  rows: Uint32Array;
  split: SplitCandidate;
  hist: Float64Array;
  depth: number;
}

function sumRows(rows: Uint32Array, grad: Float64Array, hess: Float64Array): Sums {
  let g = 0;
  let h = 0;
  for (const i of rows) {
    g += grad[i];
    h += hess[i];
  }
  return { g, h, c: rows.length };
}

function partition(rows: Uint32Array, col: Uint8Array, leftBins: Uint8Array): [Uint32Array, Uint32Array] {
  const left = new Uint32Array(rows.length);
  const right = new Uint32Array(rows.length);
  let nl = 0;
  let nr = 0;
  for (const i of rows) {
    if (leftBins[col[i]]) left[nl++] = i;
    else right[nr++] = i;
  }
  return [left.subarray(0, nl), right.subarray(0, nr)];
}

export function growTree(options: GrowOptions): TreeJson {
  const { binned, bins, layout, grad, hess, params } = options;
  const tree: TreeJson = {
    feature: [],
    threshold: [],
    missingLeft: [],
    categories: [],
    left: [],
    right: [],
    value: [],
    count: [],
  };
  const addNode = (s: Sums): number => {
    tree.feature.push(-1);
    tree.threshold.push(0);
    tree.missingLeft.push(0);
    tree.categories.push(null);
    tree.left.push(-1);
    tree.right.push(-1);
    // The Newton step -G/(H+λ), shrunk; kept on inner nodes too for path attribution.
    tree.value.push((-s.g / (s.h + params.l2)) * params.learningRate);
    tree.count.push(s.c);
    return tree.value.length - 1;
  };
  const splitOf = (hist: Float64Array, totals: Sums, depth: number): SplitCandidate | null =>
    depth < params.maxDepth && totals.c >= 2 * params.minSamplesLeaf
      ? findBestSplit({ hist, layout, bins, totals, constraints: params })
      : null;

  const rootSums = sumRows(options.rows, grad, hess);
  addNode(rootSums);
  const open: OpenLeaf[] = [];
  const rootHist = buildHistogram({ layout, binned, grad, hess, rows: options.rows });
  const rootSplit = splitOf(rootHist, rootSums, 0);
  if (rootSplit) open.push({ node: 0, rows: options.rows, split: rootSplit, hist: rootHist, depth: 0 });

  let leaves = 1;
  while (leaves < params.maxLeaves && open.length) {
    let pick = 0;
    for (let k = 1; k < open.length; k++) if (open[k].split.gain > open[pick].split.gain) pick = k;
    const leaf = open.splice(pick, 1)[0];
    const { split, node } = leaf;
    const f = split.feature;
    const [leftRows, rightRows] = partition(leaf.rows, binned[f], split.leftBins);
    const l = addNode(split.left);
    const r = addNode(split.right);
    tree.feature[node] = f;
    tree.left[node] = l;
    tree.right[node] = r;
    const fb = bins[f];
    if (fb.kind === 'numeric') {
      tree.threshold[node] =
        split.binThreshold - 1 < fb.thresholds.length ? fb.thresholds[split.binThreshold - 1] : null;
      tree.missingLeft[node] = split.missingLeft ? 1 : 0;
    } else {
      const codes: number[] = [];
      for (let b = 0; b < fb.nCodes; b++) if (split.leftBins[b]) codes.push(b);
      tree.categories[node] = codes;
    }
    leaves++;

    const depth = leaf.depth + 1;
    if (depth >= params.maxDepth) continue;
    // Build the smaller child's histogram and derive the larger one's.
    const leftSmaller = leftRows.length <= rightRows.length;
    const small = buildHistogram({ layout, binned, grad, hess, rows: leftSmaller ? leftRows : rightRows });
    const large = subtractHistogram(leaf.hist, small);
    const children = [
      { node: l, rows: leftRows, hist: leftSmaller ? small : large, sums: split.left },
      { node: r, rows: rightRows, hist: leftSmaller ? large : small, sums: split.right },
    ];
    for (const child of children) {
      const childSplit = splitOf(child.hist, child.sums, depth);
      if (childSplit) open.push({ node: child.node, rows: child.rows, split: childSplit, hist: child.hist, depth });
    }
  }
  return tree;
}
