// Late fusion (stacking): a logistic stacker over the tabular model's out-of-fold log-odds and a few text-risk summaries.
import { z } from 'zod';
import { ModelLoadError, ValidationError } from '../errors';
import { stratifiedFolds } from '../sampling';
import type { FeatureSchema } from './feature-schema';
import type { GbdtParamsInput } from './gbdt';
import { LogisticStacker, logisticStackerJsonSchema } from './logistic-stacker';
import { TabularModel, type FeatureContribution, type TabularPrediction } from './tabular-model';
import { TEXT_FEATURES, type TextAggregates } from './text-aggregates';

export const TABULAR_LOGIT = 'tabular_logit';
export const TEXT_MISSING = 'text_missing';
/** Stacker inputs, in order: the tabular log-odds, three text summaries and the "wrote nothing" indicator. */
export const LATE_INPUTS: readonly string[] = [
  TABULAR_LOGIT,
  TEXT_FEATURES.recencyWeightedMean,
  TEXT_FEATURES.max,
  TEXT_FEATURES.count,
  TEXT_MISSING,
];
export const DEFAULT_FOLDS = 5;
export const DEFAULT_STACKER_L2 = 1;
/** Risks are clipped to [ε, 1-ε] before the logit, so one over-confident text cannot carry unbounded leverage. */
const RISK_EPS = 1e-3;

export const lateFusionJsonSchema = z.strictObject({
  stacker: logisticStackerJsonSchema,
  /** Provenance: how many folds produced the out-of-fold tabular log-odds the stacker was fitted on. */
  folds: z.number().int().min(2),
});

export type LateFusionJson = z.infer<typeof lateFusionJsonSchema>;

export interface LateFusionFitOptions {
  rows: readonly Record<string, unknown>[];
  schema: FeatureSchema;
  labels: readonly number[];
  textAggregates: readonly (TextAggregates | null | undefined)[];
  seed: number;
  params?: Omit<GbdtParamsInput, 'seed'>;
  validFraction?: number;
  folds?: number;
  l2?: number;
}

function logit(p: number): number {
  const q = Math.min(Math.max(p, RISK_EPS), 1 - RISK_EPS);
  return Math.log(q / (1 - q));
}

/** The stacker's text inputs; zeros and the indicator for a customer who wrote nothing, so the indicator alone shifts them. */
export function lateTextInputs(aggregates: TextAggregates | null | undefined): number[] {
  if (!aggregates || aggregates.count === 0) return [0, 0, 0, 1];
  return [logit(aggregates.recencyWeightedMean), logit(aggregates.max), Math.log1p(aggregates.count), 0];
}

/** Log-odds of a tabular prediction, summed from its attribution so serving and training agree to the last bit. */
export function tabularLogit(prediction: TabularPrediction): number {
  return prediction.contributions.reduce((s, c) => s + c.contribution, prediction.baseline);
}

/**
 * Tabular log-odds of every row from a model that never saw that row: k stratified folds, each scored by a model fitted
 * on the other k-1. In-sample log-odds of boosted trees are over-confident, and a stacker fitted on them learns to
 * trust the tabular model more, and the texts less, than held-out customers warrant.
 */
export function outOfFoldLogits(options: Omit<LateFusionFitOptions, 'textAggregates' | 'l2'>): Float64Array {
  const { rows, schema, labels, seed } = options;
  const k = options.folds ?? DEFAULT_FOLDS;
  if (!Number.isInteger(k) || k < 2)
    throw new ValidationError(`folds must be an integer of at least 2, got ${k}`, { field: 'folds' });
  const out = new Float64Array(rows.length);
  const inFold = new Int32Array(rows.length);
  stratifiedFolds(labels, k, seed).forEach((fold, f) => fold.forEach((i) => (inFold[i] = f)));
  for (let f = 0; f < k; f++) {
    const fit = [...rows.keys()].filter((i) => inFold[i] !== f);
    const scored = [...rows.keys()].filter((i) => inFold[i] === f);
    if (scored.length === 0) continue;
    let model: TabularModel;
    try {
      model = TabularModel.train({
        rows: fit.map((i) => rows[i]),
        labelOf: (_row, j) => labels[fit[j]],
        schema,
        seed,
        params: options.params,
        validFraction: options.validFraction,
      });
    } catch (e) {
      // Tiny classes can leave a fold's complement one-sided; say which fit failed, not just that one did.
      if (!(e instanceof ValidationError)) throw e;
      throw new ValidationError(`out-of-fold tabular model ${f + 1} of ${k}: ${e.message}`, {
        field: e.field ?? 'folds',
        cause: e,
      });
    }
    for (const i of scored) out[i] = tabularLogit(model.predict(rows[i]));
  }
  return out;
}

export class LateFusion {
  readonly method = 'late' as const;

  private constructor(
    readonly stacker: LogisticStacker,
    readonly folds: number,
  ) {}

  static fit(options: LateFusionFitOptions): LateFusion {
    const { textAggregates, labels } = options;
    const oof = outOfFoldLogits(options);
    const x = Array.from(oof, (z, i) => [z, ...lateTextInputs(textAggregates[i])]);
    const stacker = LogisticStacker.fit({
      names: LATE_INPUTS,
      x,
      y: [...labels],
      l2: options.l2 ?? DEFAULT_STACKER_L2,
    });
    return new LateFusion(stacker, options.folds ?? DEFAULT_FOLDS);
  }

  /** Fused risk of a customer with texts; contributions are the tabular ones scaled by the stacker's weight, plus one per text input. */
  predict(
    tabular: TabularPrediction,
    aggregates: TextAggregates,
  ): { risk: number; contributions: FeatureContribution[] } {
    const text = lateTextInputs(aggregates);
    const risk = this.stacker.predict([tabularLogit(tabular), ...text]);
    const scale = this.stacker.weightOf(TABULAR_LOGIT);
    const shown = [aggregates.recencyWeightedMean, aggregates.max, aggregates.count];
    const textContributions = shown.map((value, j) => ({
      feature: LATE_INPUTS[j + 1],
      value,
      contribution: this.stacker.weights[j + 1] * text[j],
    }));
    const contributions = [
      ...tabular.contributions.map((c) => ({ ...c, contribution: scale * c.contribution })),
      ...textContributions,
    ].sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution));
    return { risk, contributions };
  }

  toJSON(): LateFusionJson {
    return { stacker: this.stacker.toJSON(), folds: this.folds };
  }

  static fromJSON(json: LateFusionJson, source: string): LateFusion {
    if (json.stacker.names.join() !== LATE_INPUTS.join()) {
      throw new ModelLoadError(`${source}: stacker inputs must be ${LATE_INPUTS.join(', ')}`, {
        field: 'late.stacker.names',
      });
    }
    return new LateFusion(LogisticStacker.fromJSON(json.stacker), json.folds);
  }
}
