// Hyper-parameters of the histogram gradient-boosting classifier, with defaults close to scikit-learn's HistGradientBoosting.
import { z } from 'zod';
import { ValidationError } from '../../errors';

export const gbdtParamsSchema = z.strictObject({
  learningRate: z.number().positive().max(1).default(0.1),
  /** Upper bound on trees; early stopping usually ends sooner. */
  maxIterations: z.number().int().positive().default(200),
  maxDepth: z.number().int().positive().max(32).default(8),
  /** Trees grow best-first, so this bounds them even when depth does not. */
  maxLeaves: z.number().int().min(2).default(31),
  /** L2 penalty on leaf values (the λ in G²/(H+λ)). */
  l2: z.number().nonnegative().default(1),
  minSamplesLeaf: z.number().int().positive().default(20),
  /**
   * Extra L2 and minimum rows per category for categorical (set) splits, LightGBM's cat_l2 / min_data_per_group:
   * sorting categories by gradient lets a split pick noise among many small categories, and these rein it in.
   */
  categoricalL2: z.number().nonnegative().default(10),
  minCategorySamples: z.number().int().nonnegative().default(100),
  /** A split must reduce the (doubled) loss by at least this much. */
  minGainToSplit: z.number().nonnegative().default(0),
  /** Fraction of training rows each tree sees, drawn without replacement. */
  subsample: z.number().positive().max(1).default(1),
  /** Bins per feature, the missing-value bin included. */
  maxBins: z.number().int().min(3).max(255).default(255),
  /** Iterations without a lower validation loss before training stops; only used with a validation set. */
  earlyStoppingPatience: z.number().int().positive().default(10),
  seed: z.number().int().default(0),
});

export type GbdtParams = z.output<typeof gbdtParamsSchema>;
export type GbdtParamsInput = z.input<typeof gbdtParamsSchema>;

export function resolveParams(input: GbdtParamsInput = {}): GbdtParams {
  const parsed = gbdtParamsSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue.path.join('.');
  throw new ValidationError(`gbdt option ${field || '(root)'}: ${issue.message}`, { field: field || undefined });
}
