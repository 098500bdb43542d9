// Fusion of text risk and behaviour: one tree model over both, a behaviour-only twin, and the rules for degrading when half the input is absent.
import fs from 'node:fs';
import { z } from 'zod';
import { ModelLoadError, ValidationError } from '../errors';
import { parseFeatureSchema, type FeatureSchema } from './feature-schema';
import { TabularModel, type FeatureContribution, type TabularTrainOptions } from './tabular-model';
import { DEFAULT_HALF_LIFE_DAYS, TEXT_FEATURE_NAMES, textFeatureValues, type TextAggregates } from './text-aggregates';

export const FUSION_FORMAT = 'churnscope-fusion';
export const FUSION_FILE = 'fusion.json';

const fusionJsonSchema = z.strictObject({
  format: z.literal(FUSION_FORMAT),
  version: z.literal(1),
  /** Serving must age texts exactly as training did, or text_risk_recent_mean means something else. */
  halfLifeDays: z.number().positive(),
  /** Version of the text bundle whose calibrated risks the aggregates were built from. */
  textModel: z.string().optional(),
  fused: z.unknown(),
  tabular: z.unknown(),
});

export type FusionModelJson = z.infer<typeof fusionJsonSchema>;

const risk01 = z.number().min(0).max(1);
export const textAggregatesSchema = z.strictObject({
  latest: risk01,
  max: risk01,
  recencyWeightedMean: risk01,
  count: z.number().int().nonnegative(),
});

export interface FusionTrainOptions extends Omit<TabularTrainOptions, 'schema'> {
  /** The behavioural schema; the four text features are appended to it for the fused model. */
  schema: FeatureSchema;
  /** One entry per row; null for customers who wrote nothing. */
  textAggregates: readonly (TextAggregates | null | undefined)[];
  halfLifeDays?: number;
  textModel?: string;
}

export interface FusionInput {
  /** Behavioural features of a known customer; absent when the customer is not in the customer table. */
  features?: Record<string, unknown> | null;
  textAggregates?: TextAggregates | null;
}

export interface FusionPrediction {
  risk: number;
  /** Behaviour-only risk, for comparison; null when there were no features. */
  tabularRisk: number | null;
  used: 'fused' | 'tabular' | 'text';
  /** Per-feature log-odds of the model that produced `risk`, largest first; empty when only text was used. */
  contributions: FeatureContribution[];
}

function fusedSchemaOf(schema: FeatureSchema): FeatureSchema {
  const clash = schema.features.find((f) => TEXT_FEATURE_NAMES.includes(f.name));
  if (clash) throw new ValidationError(`feature "${clash.name}" is reserved for the text aggregates; rename it in the schema`, { field: clash.name });
  // 'missing-category' keeps "no texts" missing, so the trees route those customers on their own branch instead of faking a 0 risk.
  const text = TEXT_FEATURE_NAMES.map((name) => ({ name, type: 'numeric' as const, missing: 'missing-category' as const }));
  return parseFeatureSchema({ ...schema, features: [...schema.features, ...text] }, 'fused feature schema');
}

function checkAggregates(value: unknown): TextAggregates {
  const parsed = textAggregatesSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = ['textAggregates', ...issue.path].join('.');
  throw new ValidationError(`${field}: ${issue.message}`, { field });
}

export class FusionModel {
  private constructor(
    readonly fused: TabularModel,
    readonly tabular: TabularModel,
    readonly halfLifeDays: number,
    readonly textModel: string | undefined,
  ) {}

  static train(options: FusionTrainOptions): FusionModel {
    const { rows, schema, textAggregates, ...rest } = options;
    if (textAggregates.length !== rows.length) {
      throw new ValidationError(`textAggregates has ${textAggregates.length} entries for ${rows.length} rows`, { field: 'textAggregates' });
    }
    const fusedRows = rows.map((row, i) => ({ ...row, ...textFeatureValues(textAggregates[i]) }));
    const fused = TabularModel.train({ ...rest, rows: fusedRows, schema: fusedSchemaOf(schema) });
    // The twin sees every customer's behaviour and nothing else, so customers without texts are scored by a model
    // whose capacity went entirely to behaviour rather than by the fused model's "text missing" branches.
    const tabular = TabularModel.train({ ...rest, rows, schema });
    return new FusionModel(fused, tabular, options.halfLifeDays ?? DEFAULT_HALF_LIFE_DAYS, options.textModel);
  }

  get schema(): FeatureSchema {
    return this.tabular.schema;
  }

  predict(input: FusionInput): FusionPrediction {
    const features = input.features ?? undefined;
    const aggregates = input.textAggregates ? checkAggregates(input.textAggregates) : undefined;
    const hasText = aggregates !== undefined && aggregates.count > 0;
    if (features === undefined && !hasText) {
      throw new ValidationError('nothing to score: give the customer\'s features, text aggregates or both', { field: 'features' });
    }
    if (features !== undefined) {
      const smuggled = Object.keys(features).find((k) => TEXT_FEATURE_NAMES.includes(k));
      if (smuggled) throw new ValidationError(`"${smuggled}" is computed from textAggregates and cannot be given as a feature`, { field: smuggled });
    }
    if (features === undefined) {
      // Unknown customer: no behaviour to model, and the fused trees were never trained on "all behaviour missing".
      // The latest text's calibrated risk is the customer's current mood, the best single signal left; it is a
      // dissatisfaction probability, not a churn probability, and callers see that from used: 'text'.
      return { risk: aggregates!.latest, tabularRisk: null, used: 'text', contributions: [] };
    }
    if (!hasText) {
      // Silent customer: the behaviour-only twin, trained on everyone, is the stronger model for behaviour alone.
      const out = this.tabular.predict(features);
      return { risk: out.risk, tabularRisk: out.risk, used: 'tabular', contributions: out.contributions };
    }
    const tabularRisk = this.tabular.risk(features);
    const out = this.fused.predict({ ...features, ...textFeatureValues(aggregates) });
    return { risk: out.risk, tabularRisk, used: 'fused', contributions: out.contributions };
  }

  toJSON(): FusionModelJson {
    return {
      format: FUSION_FORMAT, version: 1, halfLifeDays: this.halfLifeDays,
      ...(this.textModel === undefined ? {} : { textModel: this.textModel }),
      fused: this.fused.toJSON(), tabular: this.tabular.toJSON(),
    };
  }

  static fromJSON(json: unknown, source = 'fusion model'): FusionModel {
    const parsed = fusionJsonSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue.path.join('.');
      throw new ModelLoadError(`${source}: ${field || '(root)'}: ${issue.message}`, { field: field || undefined });
    }
    const fused = TabularModel.fromJSON(parsed.data.fused, `${source}: fused`);
    const tabular = TabularModel.fromJSON(parsed.data.tabular, `${source}: tabular`);
    const expected = [...tabular.schema.features.map((f) => `${f.name}:${f.type}`), ...TEXT_FEATURE_NAMES.map((n) => `${n}:numeric`)];
    if (fused.schema.features.map((f) => `${f.name}:${f.type}`).join() !== expected.join()) {
      throw new ModelLoadError(`${source}: fused model features must be the tabular features followed by ${TEXT_FEATURE_NAMES.join(', ')}`, { field: 'fused.schema' });
    }
    return new FusionModel(fused, tabular, parsed.data.halfLifeDays, parsed.data.textModel);
  }

  /** Reads a fusion.json written by trainFusion. */
  static load(file: string): FusionModel {
    let raw: unknown;
    try {
      raw = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (e) {
      const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (e as Error).message;
      throw new ModelLoadError(`cannot read fusion model ${file}: ${reason}`, { file, cause: e });
    }
    return FusionModel.fromJSON(raw, file);
  }
}
