// The tabular half of fusion: feature schema + fitted encoding stats + gradient-boosted trees, trained, explained and serialised as one.
import { z } from 'zod';
import { ModelLoadError, ValidationError } from '../errors';
import { stratifiedSplit } from '../sampling/splits';
import { displayValue, encodeRow } from './encode-row';
import { featureSchemaSchema, type FeatureSchema } from './feature-schema';
import { checkStatsMatchSchema, featureStatsSchema, fitFeatureStats, type FeatureStats } from './feature-stats';
import { GradientBoostedClassifier, type GbdtParamsInput, type TrainingHistory } from './gbdt';

export const TABULAR_FORMAT = 'churnscope-tabular';

const tabularJsonSchema = z.strictObject({
  format: z.literal(TABULAR_FORMAT),
  version: z.literal(1),
  schema: featureSchemaSchema,
  stats: z.array(featureStatsSchema),
  gbdt: z.unknown(),
});

export type TabularModelJson = z.infer<typeof tabularJsonSchema>;

export interface TabularTrainOptions {
  rows: readonly Record<string, unknown>[];
  schema: FeatureSchema;
  /** 1 (or true) for churned customers. */
  labelOf: (row: Record<string, unknown>, index: number) => number | boolean;
  /** Seeds the early-stopping split and row subsampling. */
  seed?: number;
  params?: Omit<GbdtParamsInput, 'seed'>;
  /** Stratified share of rows held out for early stopping (default 0.1); 0 trains on all rows for params.maxIterations. */
  validFraction?: number;
}

export interface FeatureContribution {
  feature: string;
  /** The input as the model read it (parsed number or category), null when missing. */
  value: string | number | null;
  /** Log-odds pushed onto the risk by this feature (Saabas path attribution). */
  contribution: number;
}

export interface TabularPrediction {
  /** Probability of churn from behavioural features alone. */
  risk: number;
  /** Log-odds before any feature is looked at; baseline + sum of contributions = logit(risk). */
  baseline: number;
  /** Sorted by |contribution|, largest first. */
  contributions: FeatureContribution[];
}

function encodeTraining(
  schema: FeatureSchema,
  stats: FeatureStats,
  rows: readonly Record<string, unknown>[],
): Float64Array[] {
  return rows.map((row, i) => {
    try {
      return encodeRow(schema, stats, row);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      throw new ValidationError(`training row ${i + 1}: ${e.message}`, { field: e.field, row: i + 1, cause: e });
    }
  });
}

export class TabularModel {
  private constructor(
    readonly schema: FeatureSchema,
    readonly stats: FeatureStats,
    private readonly gbdt: GradientBoostedClassifier,
  ) {}

  static train(options: TabularTrainOptions): TabularModel {
    const { rows, schema } = options;
    const seed = options.seed ?? 0;
    const validFraction = options.validFraction ?? 0.1;
    if (!(validFraction >= 0 && validFraction < 1))
      throw new ValidationError(`validFraction must be in [0, 1), got ${validFraction}`, { field: 'validFraction' });
    const labels = rows.map((row, i) => {
      const l = options.labelOf(row, i);
      if (l !== 0 && l !== 1 && typeof l !== 'boolean')
        throw new ValidationError(`training row ${i + 1}: label must be 0/1 or boolean, got ${String(l)}`, {
          row: i + 1,
        });
      return Number(l);
    });
    if (!labels.includes(0) || !labels.includes(1))
      throw new ValidationError('training rows must contain both classes');
    const stats = fitFeatureStats({ schema, rows });
    const x = encodeTraining(schema, stats, rows);
    const kinds = schema.features.map((f) => f.type);
    const params = { ...options.params, seed };
    if (validFraction === 0)
      return new TabularModel(schema, stats, GradientBoostedClassifier.train({ x, y: labels, kinds, params }));
    const split = stratifiedSplit(labels, validFraction, seed);
    const pick = (idx: number[]) => ({ x: idx.map((i) => x[i]), y: idx.map((i) => labels[i]) });
    const gbdt = GradientBoostedClassifier.train({
      ...pick(split.train),
      kinds,
      params,
      validation: pick(split.valid),
    });
    return new TabularModel(schema, stats, gbdt);
  }

  /** Losses per boosting iteration, on a model trained in this process. */
  get history(): TrainingHistory | undefined {
    return this.gbdt.history;
  }

  get nTrees(): number {
    return this.gbdt.nTrees;
  }

  encode(values: Record<string, unknown>): Float64Array {
    return encodeRow(this.schema, this.stats, values);
  }

  /** Risk only, for batch scoring where explanations are not wanted. */
  risk(values: Record<string, unknown>): number {
    return this.gbdt.predictProba(this.encode(values));
  }

  predict(values: Record<string, unknown>): TabularPrediction {
    const x = this.encode(values);
    const { bias, values: contrib } = this.gbdt.contributions(x);
    const contributions = this.schema.features
      .map((f, i) => ({ feature: f.name, value: displayValue(this.schema, i, values), contribution: contrib[i] }))
      .sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution));
    return { risk: this.gbdt.predictProba(x), baseline: bias, contributions };
  }

  toJSON(): TabularModelJson {
    return { format: TABULAR_FORMAT, version: 1, schema: this.schema, stats: this.stats, gbdt: this.gbdt.toJSON() };
  }

  static fromJSON(json: unknown, source = 'tabular model'): TabularModel {
    const parsed = tabularJsonSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue.path.join('.');
      throw new ModelLoadError(`${source}: ${field || '(root)'}: ${issue.message}`, { field: field || undefined });
    }
    const { schema, stats } = parsed.data;
    const gbdt = GradientBoostedClassifier.fromJSON(parsed.data.gbdt, `${source}: gbdt`);
    try {
      checkStatsMatchSchema(schema, stats);
    } catch (e) {
      throw new ModelLoadError(`${source}: ${(e as Error).message}`, { field: 'stats', cause: e });
    }
    if (gbdt.kinds.join() !== schema.features.map((f) => f.type).join()) {
      throw new ModelLoadError(`${source}: gbdt feature kinds do not match the schema's feature types`, {
        field: 'gbdt.kinds',
      });
    }
    return new TabularModel(schema, stats, gbdt);
  }
}
