// One fitted regression tree in flat arrays: prediction, Saabas path attribution and its plain-JSON form.
import { z } from 'zod';

export const treeJsonSchema = z
  .strictObject({
    /** Split feature per node, -1 for leaves. */
    feature: z.array(z.number().int().min(-1)),
    /** Numeric splits send x <= threshold left; null stands for +Infinity (every present value left). */
    threshold: z.array(z.number().nullable()),
    /** Where a missing (NaN) numeric value goes; 1 = left. */
    missingLeft: z.array(z.union([z.literal(0), z.literal(1)])),
    /** Categorical splits: the codes sent left (unknown codes go right); null for numeric splits and leaves. */
    categories: z.array(z.array(z.number().int().min(0).max(255)).nullable()),
    left: z.array(z.number().int().min(-1)),
    right: z.array(z.number().int().min(-1)),
    /** Shrunk Newton value of every node: leaves' values are the prediction, inner ones feed attribution. */
    value: z.array(z.number()),
    /** Training rows that reached the node. */
    count: z.array(z.number().int().nonnegative()),
  })
  .superRefine((t, ctx) => {
    const n = t.feature.length;
    const lengths = [t.threshold, t.missingLeft, t.categories, t.left, t.right, t.value, t.count].map((a) => a.length);
    if (n === 0 || lengths.some((l) => l !== n))
      ctx.addIssue({ code: 'custom', message: 'tree arrays must be non-empty and of equal length' });
    for (let i = 0; i < n && i < Math.min(...lengths); i++) {
      const leaf = t.feature[i] < 0;
      // Children must come after their parent, which also rules out cycles.
      const bad = leaf
        ? t.left[i] !== -1 || t.right[i] !== -1
        : !(t.left[i] > i && t.left[i] < n && t.right[i] > i && t.right[i] < n);
      if (bad) ctx.addIssue({ code: 'custom', path: ['left', i], message: `node ${i} has invalid children` });
    }
  });

export type TreeJson = z.infer<typeof treeJsonSchema>;

export class Tree {
  private readonly masks: (Uint8Array | null)[];
  private readonly thresholds: Float64Array;

  constructor(private readonly data: TreeJson) {
    this.thresholds = Float64Array.from(data.threshold, (t) => (t === null ? Infinity : t));
    this.masks = data.categories.map((codes) => {
      if (!codes) return null;
      const mask = new Uint8Array(256);
      for (const c of codes) mask[c] = 1;
      return mask;
    });
  }

  get size(): number {
    return this.data.feature.length;
  }

  private goesLeft(node: number, v: number): boolean {
    const mask = this.masks[node];
    if (mask) return mask[Number.isInteger(v) && v >= 0 && v < 256 ? v : 0] === 1;
    if (Number.isNaN(v)) return this.data.missingLeft[node] === 1;
    return v <= this.thresholds[node];
  }

  leafOf(x: ArrayLike<number>): number {
    const { feature, left, right } = this.data;
    let node = 0;
    while (feature[node] >= 0) node = this.goesLeft(node, x[feature[node]]) ? left[node] : right[node];
    return node;
  }

  predict(x: ArrayLike<number>): number {
    return this.data.value[this.leafOf(x)];
  }

  /**
   * Saabas attribution: each step down the path credits its change in node value to the split feature.
   * Adds into `out` and returns the root value, so root + sum(out) = predict(x).
   */
  addContributions(x: ArrayLike<number>, out: Float64Array): number {
    const { feature, left, right, value } = this.data;
    let node = 0;
    while (feature[node] >= 0) {
      const next = this.goesLeft(node, x[feature[node]]) ? left[node] : right[node];
      out[feature[node]] += value[next] - value[node];
      node = next;
    }
    return value[0];
  }

  toJSON(): TreeJson {
    return this.data;
  }
}
