// Fused trees: one gradient-boosted model over the behavioural features plus the four text aggregates, learnt from scratch.
import { ModelLoadError, ValidationError } from '../errors';
import { parseFeatureSchema, type FeatureSchema } from './feature-schema';
import { TabularModel, type FeatureContribution, type TabularTrainOptions } from './tabular-model';
import { TEXT_FEATURE_NAMES, textFeatureValues, type TextAggregates } from './text-aggregates';

/** Text aggregate names are model inputs and contribution names under both methods, so a schema may not reuse them. */
export function checkNoTextNames(schema: FeatureSchema): void {
  const clash = schema.features.find((f) => TEXT_FEATURE_NAMES.includes(f.name));
  if (clash)
    throw new ValidationError(`feature "${clash.name}" is reserved for the text aggregates; rename it in the schema`, {
      field: clash.name,
    });
}

function fusedSchemaOf(schema: FeatureSchema): FeatureSchema {
  checkNoTextNames(schema);
  // 'missing-category' keeps "no texts" missing, so the trees route those customers on their own branch instead of faking a 0 risk.
  const text = TEXT_FEATURE_NAMES.map((name) => ({
    name,
    type: 'numeric' as const,
    missing: 'missing-category' as const,
  }));
  return parseFeatureSchema({ ...schema, features: [...schema.features, ...text] }, 'fused feature schema');
}

export interface TreeFusionTrainOptions extends TabularTrainOptions {
  textAggregates: readonly (TextAggregates | null | undefined)[];
}

export class TreeFusion {
  readonly method = 'trees' as const;

  private constructor(readonly fused: TabularModel) {}

  static train(options: TreeFusionTrainOptions): TreeFusion {
    const { rows, schema, textAggregates, ...rest } = options;
    const fusedRows = rows.map((row, i) => ({ ...row, ...textFeatureValues(textAggregates[i]) }));
    return new TreeFusion(TabularModel.train({ ...rest, rows: fusedRows, schema: fusedSchemaOf(schema) }));
  }

  predict(
    features: Record<string, unknown>,
    aggregates: TextAggregates,
  ): { risk: number; contributions: FeatureContribution[] } {
    const out = this.fused.predict({ ...features, ...textFeatureValues(aggregates) });
    return { risk: out.risk, contributions: out.contributions };
  }

  toJSON(): unknown {
    return this.fused.toJSON();
  }

  /** The fused model must read exactly the tabular twin's features followed by the text aggregates. */
  static fromJSON(json: unknown, tabular: TabularModel, source: string): TreeFusion {
    const fused = TabularModel.fromJSON(json, `${source}: fused`);
    const expected = [
      ...tabular.schema.features.map((f) => `${f.name}:${f.type}`),
      ...TEXT_FEATURE_NAMES.map((n) => `${n}:numeric`),
    ];
    if (fused.schema.features.map((f) => `${f.name}:${f.type}`).join() !== expected.join()) {
      throw new ModelLoadError(
        `${source}: fused model features must be the tabular features followed by ${TEXT_FEATURE_NAMES.join(', ')}`,
        { field: 'fused.schema' },
      );
    }
    return new TreeFusion(fused);
  }
}
