// Per-feature statistics fitted on training rows (fill values, category codes) and stored with the model so serving encodes the same way.
import { z } from 'zod';
import { ValidationError } from '../errors';
import type { FeatureSchema, FeatureSpec } from './feature-schema';
import { categoryKey, isMissing, parseNumeric } from './parse-value';

/** Code 0 is shared by missing values and categories never seen in training. */
export const UNKNOWN_CODE = 0;
/** Codes must fit the tree model's 255 bins, code 0 included; rarer categories fall into the unknown code. */
export const MAX_CATEGORIES = 254;

export const featureStatsSchema = z.discriminatedUnion('type', [
  z.strictObject({
    name: z.string(),
    type: z.literal('numeric'),
    /** Value used for missing cells; null when the policy keeps them missing or rejects them. */
    fill: z.number().nullable(),
  }),
  z.strictObject({
    name: z.string(),
    type: z.literal('categorical'),
    /** categories[i] has code i + 1, most frequent first. */
    categories: z.array(z.string()).max(MAX_CATEGORIES),
    fill: z.number().int().nonnegative().nullable(),
  }),
]);

export type FeatureStat = z.infer<typeof featureStatsSchema>;
export type FeatureStats = FeatureStat[];

function mode<T>(counts: Map<T, number>, tieBreak: (a: T, b: T) => number): T {
  return [...counts].sort((a, b) => b[1] - a[1] || tieBreak(a[0], b[0]))[0][0];
}

function numericFill(spec: FeatureSpec, values: number[]): number | null {
  if (spec.missing === 'zero') return 0;
  if (spec.missing === 'missing-category' || spec.missing === 'error') return null;
  if (values.length === 0) {
    throw new ValidationError(
      `feature "${spec.name}" has no values in the training rows, so its ${spec.missing} cannot be computed`,
      { field: spec.name },
    );
  }
  if (spec.missing === 'mean') return values.reduce((s, v) => s + v, 0) / values.length;
  const sorted = [...values].sort((a, b) => a - b);
  if (spec.missing === 'median') {
    const mid = sorted.length >> 1;
    return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }
  const counts = new Map<number, number>();
  for (const v of sorted) counts.set(v, (counts.get(v) ?? 0) + 1);
  return mode(counts, (a, b) => a - b);
}

function fitOne(spec: FeatureSpec, rows: readonly Record<string, unknown>[]): FeatureStat {
  if (spec.type === 'numeric') {
    const values: number[] = [];
    rows.forEach((row, i) => {
      const raw = row[spec.name];
      if (isMissing(raw)) return;
      try {
        values.push(parseNumeric(raw, spec.name));
      } catch (e) {
        throw new ValidationError(`training row ${i + 1}: ${(e as Error).message}`, { field: spec.name, row: i + 1 });
      }
    });
    return { name: spec.name, type: 'numeric', fill: numericFill(spec, values) };
  }
  const counts = new Map<string, number>();
  rows.forEach((row, i) => {
    const raw = row[spec.name];
    if (isMissing(raw)) return;
    try {
      const key = categoryKey(raw, spec.name);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    } catch (e) {
      throw new ValidationError(`training row ${i + 1}: ${(e as Error).message}`, { field: spec.name, row: i + 1 });
    }
  });
  const categories = [...counts]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, MAX_CATEGORIES)
    .map(([k]) => k);
  if (spec.missing === 'mode' && categories.length === 0) {
    throw new ValidationError(
      `feature "${spec.name}" has no values in the training rows, so its mode cannot be computed`,
      { field: spec.name },
    );
  }
  // Most frequent first, so the mode is code 1.
  return { name: spec.name, type: 'categorical', categories, fill: spec.missing === 'mode' ? 1 : null };
}

export function fitFeatureStats(options: {
  schema: FeatureSchema;
  rows: readonly Record<string, unknown>[];
}): FeatureStats {
  return options.schema.features.map((spec) => fitOne(spec, options.rows));
}

/** Stats loaded from JSON must describe exactly the schema's features, in order. */
export function checkStatsMatchSchema(schema: FeatureSchema, stats: FeatureStats): void {
  if (stats.length !== schema.features.length) {
    throw new ValidationError(
      `stats describe ${stats.length} features but the schema declares ${schema.features.length}`,
    );
  }
  schema.features.forEach((f, i) => {
    if (stats[i].name !== f.name || stats[i].type !== f.type) {
      throw new ValidationError(
        `stats[${i}] is ${stats[i].type} "${stats[i].name}" but the schema declares ${f.type} "${f.name}"`,
        { field: f.name },
      );
    }
  });
}
