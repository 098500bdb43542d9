// A fitted binary gradient-boosted tree classifier: prediction, per-feature attribution and validated plain-JSON round trips.
import { z } from 'zod';
import { ModelLoadError, ValidationError } from '../../errors';
import { sigmoid } from './logistic';
import { gbdtParamsSchema, type GbdtParams } from './params';
import { trainGbdt, type GbdtTrainOptions, type TrainingHistory } from './train-gbdt';
import { Tree, treeJsonSchema } from './tree';

export const GBDT_FORMAT = 'churnscope-gbdt';

export const gbdtJsonSchema = z
  .strictObject({
    format: z.literal(GBDT_FORMAT),
    version: z.literal(1),
    kinds: z.array(z.enum(['numeric', 'categorical'])).min(1),
    /** Log-odds every prediction starts from (the training positive rate). */
    baseScore: z.number(),
    /** Provenance only; prediction needs just the trees. */
    params: gbdtParamsSchema.optional(),
    trees: z.array(treeJsonSchema),
  })
  .superRefine((m, ctx) => {
    m.trees.forEach((t, i) => {
      if (Math.max(...t.feature) >= m.kinds.length) {
        ctx.addIssue({
          code: 'custom',
          path: ['trees', i, 'feature'],
          message: `splits on a feature beyond the model's ${m.kinds.length}`,
        });
      }
    });
  });

export type GbdtJson = z.infer<typeof gbdtJsonSchema>;

export interface Contributions {
  /** The score before any split: baseScore plus every tree's root value. */
  bias: number;
  /** Per feature, in log-odds; bias + sum(values) = predictRaw(x). */
  values: Float64Array;
}

export class GradientBoostedClassifier {
  private constructor(
    readonly kinds: readonly ('numeric' | 'categorical')[],
    readonly baseScore: number,
    private readonly trees: readonly Tree[],
    readonly params?: GbdtParams,
    /** Losses per iteration; only on a freshly trained model, never serialised. */
    readonly history?: TrainingHistory,
  ) {}

  static train(options: GbdtTrainOptions): GradientBoostedClassifier {
    const fit = trainGbdt(options);
    return new GradientBoostedClassifier([...options.kinds], fit.baseScore, fit.trees, fit.params, fit.history);
  }

  get nFeatures(): number {
    return this.kinds.length;
  }

  get nTrees(): number {
    return this.trees.length;
  }

  private check(x: ArrayLike<number>): void {
    if (x.length !== this.kinds.length)
      throw new ValidationError(`expected ${this.kinds.length} feature values, got ${x.length}`);
  }

  /** The log-odds of the positive class. */
  predictRaw(x: ArrayLike<number>): number {
    this.check(x);
    let raw = this.baseScore;
    for (const tree of this.trees) raw += tree.predict(x);
    return raw;
  }

  predictProba(x: ArrayLike<number>): number {
    return sigmoid(this.predictRaw(x));
  }

  /** Saabas path attribution for one row: cheap and exact in sum, though biased toward features split near the root. */
  contributions(x: ArrayLike<number>): Contributions {
    this.check(x);
    const values = new Float64Array(this.kinds.length);
    let bias = this.baseScore;
    for (const tree of this.trees) bias += tree.addContributions(x, values);
    return { bias, values };
  }

  toJSON(): GbdtJson {
    return {
      format: GBDT_FORMAT,
      version: 1,
      kinds: [...this.kinds],
      baseScore: this.baseScore,
      params: this.params,
      trees: this.trees.map((t) => t.toJSON()),
    };
  }

  static fromJSON(json: unknown, source = 'gbdt model'): GradientBoostedClassifier {
    const parsed = gbdtJsonSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue.path.join('.');
      throw new ModelLoadError(`${source}: ${field || '(root)'}: ${issue.message}`, { field: field || undefined });
    }
    const m = parsed.data;
    return new GradientBoostedClassifier(
      m.kinds,
      m.baseScore,
      m.trees.map((t) => new Tree(t)),
      m.params,
    );
  }
}
